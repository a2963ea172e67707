"""Entry point: ``python main.py [command]`` (see ``python main.py --help``)."""

import time

_STARTED = time.perf_counter()  # before any heavy import, for the smoke timing

if __name__ == "__main__":
    import sys

    if getattr(sys, "frozen", False):
        # A frozen bundle starts the demos' worker processes by running itself: this makes
        # such a start run the worker (quizapp.demos.live) instead of the app. In a checkout
        # the worker is started with ``python -c`` (and freeze_support is a no-op that would
        # cost the first card ~14 ms to import).
        if sys.argv[1:2] == ["--demo-worker"]:  # POSIX: live.WORKER_ARGUMENT, then an fd
            from quizapp.demos.live import worker_main

            raise SystemExit(worker_main(int(sys.argv[2])))
        import multiprocessing

        multiprocessing.freeze_support()  # Windows: multiprocessing's spawn

    from quizapp.cli import main

    raise SystemExit(main(started=_STARTED))
