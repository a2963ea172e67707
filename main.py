"""Entry point: ``python main.py [command]`` (see ``python main.py --help``)."""

import time

_STARTED = time.perf_counter()  # before any heavy import, for the smoke timing

if __name__ == "__main__":
    from quizapp.cli import main

    raise SystemExit(main(started=_STARTED))
