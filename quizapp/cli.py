"""Command line: ``gui`` (default), ``check``, ``smoke``, ``stats``.

Each command is a small function; heavy modules (Qt, matplotlib) are imported only by the
commands that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from quizapp.errors import UserError


def main(argv: Sequence[str] | None = None, started: float | None = None) -> int:
    """Run one command; returns the process exit status."""
    parser = _build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv or ["gui"])
    args.started = started if started is not None else time.perf_counter()
    command = args.command
    try:
        return int(_COMMANDS[command](args))
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp", description="ML interview study app: flashcards, live demos, progress."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--content", metavar="DIR", type=Path,
                       help="content folder (default: the bundled content/)")
        return p

    add_data_dir = _data_dir_option
    add_data_dir(add("gui", "start the app (the default command)"))
    check = add("check", "validate the content folder; exit 1 listing problems as path:line")
    check.add_argument("--json", action="store_true", help="print decks, cards and errors as JSON")
    add_data_dir(add("smoke", "start the real window, grade the first due card Good, and exit"))
    stats = add_data_dir(add("stats", "print review progress counts"))
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _data_dir_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder of the progress database (default: $QUIZAPP_DATA_DIR "
                             "or the user data folder)")
    return parser


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from quizapp.content import default_content_dir, load_library

    return load_library(args.content or default_content_dir())


def _cmd_check(args: argparse.Namespace) -> int:
    library = _load(args)
    if args.json:
        print(json.dumps(library.to_json(), ensure_ascii=False, indent=2))
    else:
        for issue in library.issues:
            print(issue)
        print(f"{len(library.cards)} cards in {len(library.decks)} decks"
              + (f"; {len(library.issues)} problems in {len(set(i.path for i in library.issues))}"
                 " files" if library.issues else ""))
    return 1 if library.issues else 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from quizapp.paths import database_path
    from quizapp.store import open_store
    from quizapp.study.stats import collection_stats

    library = _load(args)
    with open_store(database_path(args.data_dir)) as store:
        stats = collection_stats(library, store)
    if args.json:
        print(json.dumps(stats.to_json()))
    else:
        for key, value in stats.to_json().items():
            print(f"{key:>14}: {value}")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from quizapp.ui.app import run_gui

    return run_gui(content_dir=args.content, data_dir=args.data_dir)


def _cmd_smoke(args: argparse.Namespace) -> int:
    from quizapp.ui.smoke import run_smoke

    return run_smoke(content_dir=args.content, data_dir=args.data_dir, started=args.started)


_COMMANDS = {
    "gui": _cmd_gui,
    "check": _cmd_check,
    "smoke": _cmd_smoke,
    "stats": _cmd_stats,
}
