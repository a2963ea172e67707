"""Entry point: ``python main.py [command]`` (see ``python main.py --help``)."""

import time

_STARTED = time.perf_counter()  # before any heavy import, for the smoke timing

if __name__ == "__main__":
    import sys

    if getattr(sys, "frozen", False):
        # A frozen bundle starts the demos' worker processes by running itself: this makes
        # such a start run the worker (quizapp.demos.live) instead of the app. Elsewhere it is
        # a no-op, and importing multiprocessing would cost the first card ~14 ms.
        import multiprocessing

        multiprocessing.freeze_support()

    from quizapp.cli import main

    raise SystemExit(main(started=_STARTED))
