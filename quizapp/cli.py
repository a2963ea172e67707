"""Command line: ``gui`` (default), ``check``, ``smoke``, ``stats``, ``demo``, ``quiz``,
``optimize``, ``export``, ``import``; ``--version``.

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
from typing import TYPE_CHECKING

from quizapp import __version__
from quizapp.errors import UserError

if TYPE_CHECKING:
    from quizapp.content import Library

USAGE_ERROR = 2  # exit status for a bad command line (as argparse uses)


def main(argv: Sequence[str] | None = None, started: float | None = None) -> int:
    """Run one command; returns the process exit status."""
    parser = _build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["gui", *argv]  # `python main.py --data-dir D` starts the GUI
    args = parser.parse_args(argv)
    args.started = started if started is not None else time.perf_counter()
    if getattr(sys, "frozen", False):  # the desktop bundle (see paths.py)
        from quizapp.paths import data_dir, keep_bundle_matplotlib_cache

        keep_bundle_matplotlib_cache(data_dir(getattr(args, "data_dir", None)))
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
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--content", metavar="DIR", type=Path,
                       help="content folder (default: the bundled content/)")
        return p

    add_data_dir = _data_dir_option
    add_data_dir(add("gui", "start the app (the default command)"))
    check = add_data_dir(add("check", "validate the content folder and the user's decks; exit 1 "
                                      "listing problems as path:line"))
    check.add_argument("--json", action="store_true", help="print decks, cards and errors as JSON")
    smoke = add_data_dir(add("smoke", "start the real window, grade the first due card Good, "
                                      "and exit"))
    smoke.add_argument("--demo", metavar="ID",
                       help="then also open demo ID in its window and step it, open the demo "
                            "gallery and draw a formula (what a desktop bundle must carry)")
    stats = add_data_dir(add("stats", "print review progress: counts, retention, forecast, "
                                      "calendar, weak topics"))
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.add_argument("--out", type=Path, metavar="DIR",
                       help="also write every statistics chart as a PNG into DIR")
    stats.add_argument("--lang", choices=("ko", "en"), default="en",
                       help="chart language (with --out)")
    demo = sub.add_parser("demo", help="list the demos, or run one headless and save a PNG",
                          description="List the demos (--list), or run demo ID headless and "
                                      "save its final figure (--out FILE.png).")
    demo.add_argument("id", nargs="?", help="demo id (see --list)")
    demo.add_argument("--list", action="store_true", help="print id, Korean and English title")
    demo.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                      help="set a parameter (repeatable)")
    demo.add_argument("--steps", type=int, help="number of steps to run (default: the demo's)")
    demo.add_argument("--out", type=Path, metavar="FILE.png", help="where to save the figure")
    demo.add_argument("--lang", choices=("ko", "en"), default="ko", help="plot language")
    quiz = sub.add_parser("quiz", help="quiz tools: score a typed answer",
                          description="Quiz tools. 'quiz score' scores a typed answer to a card "
                                      "by concept, as the quiz and the mock interview do.")
    quiz_sub = quiz.add_subparsers(dest="quiz_command", metavar="SUBCOMMAND", required=True)
    score = quiz_sub.add_parser("score", help="score an answer to a card by its concepts")
    score.add_argument("card", metavar="CARD_ID", help="the card's id (see check --json)")
    score.add_argument("--lang", required=True, help="the language of the answer: ko or en")
    score.add_argument("--answer", required=True, metavar="TEXT", help="the answer text")
    score.add_argument("--json", action="store_true", help="print one JSON object")
    score.add_argument("--content", metavar="DIR", type=Path,
                       help="content folder (default: the bundled content/)")
    _data_dir_option(score)
    optimize = add_data_dir(sub.add_parser(
        "optimize", help="fit the FSRS parameters to your review log",
        description="Fit the FSRS parameters to your review log (fsrs-rs, as Anki's optimizer) "
                    "and schedule with them when they predict it better than those in use."))
    optimize.add_argument("--json", action="store_true", help="print one JSON object")
    export = add_data_dir(add("export", "write decks as an Anki package (--apkg) or the review "
                                        "log as CSV (--reviews)"))
    export.add_argument("--apkg", type=Path, metavar="FILE",
                        help="write an Anki package (.apkg): every deck, or those given by --deck")
    export.add_argument("--deck", action="append", default=[], metavar="ID",
                        help="export this deck only (repeatable; ids: main.py check --json)")
    export.add_argument("--reviews", type=Path, metavar="FILE.csv",
                        help="write the review log as CSV in the FSRS optimizer's schema: "
                             "card_id, review_time (ms since the epoch, UTC), review_rating, "
                             "review_state, review_duration (ms)")
    imported = add_data_dir(add("import", "import an Anki package (.apkg, .colpkg) or an Anki "
                                          "text export (.txt, .csv, .tsv) as your own decks, or "
                                          "append a review log in the FSRS CSV schema"))
    imported.add_argument("file", type=Path, metavar="FILE",
                          help="the file; importing it again updates the cards it made and "
                               "skips reviews already logged")
    return parser


def _data_dir_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder of the progress database (default: $QUIZAPP_DATA_DIR "
                             "or the user data folder)")
    return parser


def _load_plain(args: argparse.Namespace) -> Library:
    """The shipped content and the user's decks, without validating demo presets (no NumPy)."""
    from quizapp.content import default_content_dir, load_library
    from quizapp.paths import user_decks_dir

    return load_library(args.content or default_content_dir(),
                        user_dir=user_decks_dir(getattr(args, "data_dir", None)))


def _load(args: argparse.Namespace) -> Library:
    """The shipped content (or --content) and the user's decks in the data folder."""
    from quizapp.content import default_content_dir, load_library
    from quizapp.demos import demo_ref_problems
    from quizapp.paths import user_decks_dir

    return load_library(args.content or default_content_dir(), validate_demo=demo_ref_problems,
                        user_dir=user_decks_dir(getattr(args, "data_dir", None)))


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
    from quizapp.study.statistics import compute_statistics
    from quizapp.study.stats import collection_stats

    library = _load(args)
    with open_store(database_path(args.data_dir)) as store:
        counts = collection_stats(library, store)
        figures = compute_statistics(library, store)
    if args.out is not None:
        from quizapp.charts import write_charts

        for path in write_charts(figures, args.out, args.lang):
            print(f"wrote {path}", file=sys.stderr)
    data = {**counts.to_json(), **figures.to_json()}
    if args.json:
        print(json.dumps(data))
    else:
        for key, value in counts.to_json().items():
            print(f"{key:>16}: {value}")
        retention = data["true_retention"]
        shown = {k: "-" if v is None else f"{v:.1%}" for k, v in retention.items()}
        print(f"{'true retention':>16}: " + ", ".join(f"{k} {v}" for k, v in shown.items()))
        print(f"{'due next 7 days':>16}: {data['forecast'][:7]}")
        print(f"{'streak':>16}: {data['streak_days']} day(s)")
        weakest = [t.get("deck") or f"#{t.get('tag')}" for t in data["weak_topics"][:5]]
        print(f"{'weakest topics':>16}: {', '.join(weakest) or '-'}")
    return 0


def _no_window(args: argparse.Namespace) -> int | None:
    """Exit status 3 with a message when no window can be opened here (checked before Qt
    starts, which would otherwise abort the process)."""
    from quizapp.ui.display_check import DISPLAY_PROBLEM, display_problem

    problem = display_problem()
    if problem is None:
        return None
    print(f"error: {problem}", file=sys.stderr)
    return DISPLAY_PROBLEM


def _cmd_gui(args: argparse.Namespace) -> int:
    if (status := _no_window(args)) is not None:
        return status
    from quizapp.ui.app import run_gui

    return run_gui(content_dir=args.content, data_dir=args.data_dir)


def _cmd_smoke(args: argparse.Namespace) -> int:
    if args.demo is not None:
        from quizapp.demos import DEMOS

        if args.demo not in DEMOS:
            print(f"error: unknown demo '{args.demo}'; demos: {', '.join(DEMOS)}",
                  file=sys.stderr)
            return USAGE_ERROR
    if (status := _no_window(args)) is not None:
        return status
    from quizapp.ui.smoke import run_smoke

    return run_smoke(content_dir=args.content, data_dir=args.data_dir, started=args.started,
                     demo_id=args.demo)


def _cmd_demo(args: argparse.Namespace) -> int:
    from quizapp.demos import DEMOS, render_png

    if args.list:
        for demo_id, demo in DEMOS.items():
            print(f"{demo_id}\t{demo.title.ko}\t{demo.title.en}")
        return 0
    if args.id is None or args.out is None:
        print("error: give a demo ID and --out FILE.png, or --list", file=sys.stderr)
        return USAGE_ERROR
    demo = DEMOS.get(args.id)
    if demo is None:
        print(f"error: unknown demo '{args.id}'; demos: {', '.join(DEMOS)}", file=sys.stderr)
        return USAGE_ERROR
    overrides = {}
    for item in args.set:
        name, sep, text = item.partition("=")
        param = demo.param(name.strip())
        if not sep or param is None:
            known = "; ".join(f"{p.name} ({p.describe()})" for p in demo.params)
            print(f"error: unknown parameter '{name}' for {args.id}; parameters: {known}",
                  file=sys.stderr)
            return USAGE_ERROR
        try:
            overrides[param.name] = param.parse(text)
        except ValueError:
            print(f"error: {param.name}={text!r}: expected {param.describe()}", file=sys.stderr)
            return USAGE_ERROR
    problems = demo.problems(overrides)
    if problems:
        print(f"error: {'; '.join(problems)}", file=sys.stderr)
        return USAGE_ERROR
    steps = args.steps if args.steps is not None else demo.steps
    if not 1 <= steps <= demo.max_steps():
        print(f"error: --steps must be in [1, {demo.max_steps()}] for {args.id} "
              f"(default {demo.steps})", file=sys.stderr)
        return USAGE_ERROR

    def progress(count: int) -> None:
        print(f"{args.id}: {count}/{steps} steps", file=sys.stderr, flush=True)

    run = render_png(demo(), demo.resolve(overrides), steps, args.out, args.lang,
                     on_progress=progress)
    state = "diverged" if run.diverged else "ok"
    print(f"{args.id}: {run.count} steps, {state}; saved {args.out}")
    return 0


def _cmd_quiz(args: argparse.Namespace) -> int:
    from quizapp.study.scoring import LANGS, score_answer

    library = _load(args)
    card = library.card(args.card)
    if card is None:
        print(f"error: unknown card '{args.card}' (card ids: main.py check --json)",
              file=sys.stderr)
        return USAGE_ERROR
    if args.lang not in LANGS:
        print(f"error: --lang must be ko or en, got '{args.lang}'", file=sys.stderr)
        return USAGE_ERROR
    result = score_answer(card, args.lang, args.answer)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    found = [c.term for c in result.concepts if c.found]
    print(f"score {result.score:.2f} ({len(found)}/{len(result.concepts)} concepts)")
    print(f"found:  {', '.join(found) or '-'}")
    print(f"missed: {', '.join(result.missed) or '-'}")
    return 0


def _cmd_optimize(args: argparse.Namespace) -> int:
    from quizapp.paths import database_path
    from quizapp.store import open_store
    from quizapp.study.fsrs_fit import optimize

    with open_store(database_path(args.data_dir)) as store:
        report = optimize(store)
    if args.json:
        print(json.dumps(report.to_json()))
        if not report.saved:
            print(report.message, file=sys.stderr)  # why nothing changed
        return 0
    print(report.message)
    print(f"reviews used: {report.reviews_used}")
    for name, before, after in (("log loss", report.log_loss_before, report.log_loss_after),
                                ("RMSE (bins)", report.rmse_before, report.rmse_after)):
        if before is not None:
            shown = f"{after:.4f}" if after is not None else "-"
            print(f"{name}: {before:.4f} (in use) -> {shown} (fitted)")
    print("parameters in use: " + ", ".join(f"{w:g}" for w in report.parameters))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    if (args.apkg is None) == (args.reviews is None):
        print("error: say what to write: --apkg FILE or --reviews FILE.csv", file=sys.stderr)
        return USAGE_ERROR
    if args.reviews is not None:
        return _export_reviews(args)
    from quizapp.interop.anki_export import export_apkg

    library = _load_plain(args)
    decks = library.decks
    if args.deck:
        unknown = [d for d in args.deck if library.deck(d) is None]
        if unknown:
            raise UserError(f"unknown deck {', '.join(repr(d) for d in unknown)}; decks: "
                            f"{', '.join(d.id for d in library.decks)}")
        decks = [d for d in library.decks if d.id in args.deck]
    summary = export_apkg(library, decks, args.apkg)
    print(summary.line())
    if library.issues:
        print(f"note: {len(library.skipped)} files with problems were not exported "
              "(see: main.py check)", file=sys.stderr)
    return 0


def _export_reviews(args: argparse.Namespace) -> int:
    from quizapp.interop.review_csv import export_review_csv
    from quizapp.paths import database_path
    from quizapp.store import open_store

    with open_store(database_path(args.data_dir)) as store:
        result = export_review_csv(store, args.reviews)
    print(f"exported {result.reviews} reviews of {result.cards} cards to {args.reviews}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from quizapp.interop.anki_files import import_file
    from quizapp.interop.review_csv import ImportResult, ReviewCsvError
    from quizapp.paths import database_path, user_decks_dir

    library = _load_plain(args)
    try:
        result = import_file(args.file, library, user_decks_dir(args.data_dir),
                             database_path(args.data_dir))
    except ReviewCsvError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"error: {args.file}: nothing was imported", file=sys.stderr)
        return 1
    if not isinstance(result, ImportResult):
        for line in result.lines():
            print(line)
        return 0
    unknown = (f"; {result.unknown_cards} of those cards are not in the content and are kept "
               "like removed cards" if result.unknown_cards else "")
    print(f"imported {result.added} reviews of {result.cards} cards{unknown}; "
          f"{result.skipped} rows were already in the log")
    return 0


_COMMANDS = {
    "gui": _cmd_gui,
    "check": _cmd_check,
    "smoke": _cmd_smoke,
    "stats": _cmd_stats,
    "demo": _cmd_demo,
    "quiz": _cmd_quiz,
    "optimize": _cmd_optimize,
    "export": _cmd_export,
    "import": _cmd_import,
}
