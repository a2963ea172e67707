"""Review logs as CSV, in the schema of the FSRS ecosystem (the one FSRS's own optimizer reads).

One header row naming the columns (any order; other columns are ignored), then one row per
answer:

=================  =========================================================================
``card_id``        integer: the card (see "Card ids")
``review_time``    integer: when, in milliseconds since 1970-01-01 00:00 UTC
``review_rating``  1-4: Again, Hard, Good, Easy
``review_state``   0-3: the card's state before the answer: New, Learning, Review, Relearning
``review_duration`` integer >= 0: milliseconds from question to answer
=================  =========================================================================

Card ids. Ours are text (the content id, e.g. ``opt-adam``); the schema wants integers. A card
is written as ``study.scheduling.fsrs_id(id)``: the first 7 bytes of the BLAKE2b hash of its id,
a stable positive integer below 2**56, the number py-fsrs already gets as the card's id. Import
maps numbers back by hashing every card id it knows: the content's, and the log's (cards since
removed from the content included). A number that matches none is kept under the id
``csv:<number>`` (content ids cannot contain ``:``), so its answers stay in the log like those
of a removed card, and it is exported as ``<number>`` again.

Import (``import_review_csv``):

- checks the whole file first; any problem (a missing column, a bad number, a rating out of
  range, ...) raises ``ReviewCsvError`` listing every one as ``FILE:line: what is wrong``, and
  nothing is written;
- skips rows already in the log: the same card number and ``review_time`` (the log's times
  compared to the millisecond), and repeats within the file, so importing a file twice adds
  nothing;
- replays each card it adds answers to, its whole history (logged and new answers, oldest
  first), through the scheduler with the parameters in use: the log rows get their states,
  intervals, stability and difficulty from that replay, and the card's row its last state.
  ``review_state`` is checked but not trusted: the replay decides the states;
- writes everything in one transaction.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.errors import UserError
from quizapp.store import ProgressStore
from quizapp.study.scheduling import Answer, fsrs_id
from quizapp.study.settings import load_settings, scheduler_for

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
UNKNOWN_PREFIX = "csv:"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Review times accepted: spaced-repetition software is younger than 1980, and a smaller number
#: is almost always seconds given where milliseconds are expected.
EARLIEST = datetime(1980, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_PROBLEMS = 20  # listed before "... and N more"
_INTEGER = re.compile(r"[+-]?[0-9]+")
_UNKNOWN_ID = re.compile(re.escape(UNKNOWN_PREFIX) + r"(-?[0-9]+)")


class ReviewCsvError(UserError):
    """The file is not a review log we can import; ``problems`` are ``FILE:line: ...`` lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class CsvReview:
    """One row of a review-log CSV, checked."""

    line: int
    card: int  # the card number in the file
    review_time_ms: int
    rating: int
    state: int
    duration_ms: int

    @property
    def reviewed_at(self) -> datetime:
        return EPOCH + timedelta(milliseconds=self.review_time_ms)


@dataclass(frozen=True)
class ExportResult:
    reviews: int
    cards: int


@dataclass(frozen=True)
class ImportResult:
    added: int  # answers added to the log
    skipped: int  # rows already in the log (or repeated in the file)
    cards: int  # cards that got answers
    unknown_cards: int  # of those, cards not in the content (kept like removed cards)


def export_id(card_id: str) -> int:
    """The integer a card is written under (see "Card ids" in the module docstring)."""
    match = _UNKNOWN_ID.fullmatch(card_id)
    return int(match[1]) if match else fsrs_id(card_id)


def card_id_for(number: int, known: Mapping[int, str]) -> str:
    """The card id a number in a file stands for: a known card's, or ``csv:<number>``."""
    return known.get(number) or f"{UNKNOWN_PREFIX}{number}"


def time_ms(moment: datetime) -> int:
    """``moment`` in whole milliseconds since the epoch (rounded down)."""
    return (moment - EPOCH) // timedelta(milliseconds=1)


def export_review_csv(store: ProgressStore, path: Path) -> ExportResult:
    """Write the whole review log to ``path`` (replaced only once fully written)."""
    entries = sorted(store.log_entries(),
                     key=lambda e: (time_ms(e.reviewed_at), export_id(e.card_id), e.log_id))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([export_id(entry.card_id), time_ms(entry.reviewed_at), entry.rating,
                         entry.state_before, entry.duration_ms])
    _write_atomically(path, buffer.getvalue())
    return ExportResult(len(entries), len({e.card_id for e in entries}))


def _write_atomically(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as err:
        raise UserError(f"{path}: cannot write the review log ({err.strerror}).") from err
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot write the review log ({err.strerror}).") from err


def read_review_csv(path: Path) -> list[CsvReview]:
    """Every row of the file at ``path``, checked; raises ``ReviewCsvError`` listing every
    problem (``UserError`` when the file cannot be read at all)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UserError(f"{path}: cannot read the review log ({err.strerror}).") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise ReviewCsvError([f"{path}:{line}: not UTF-8 text"]) from err
    problems: list[str] = []
    rows: list[CsvReview] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ReviewCsvError([f"{path}:1: no header row; expected the columns "
                                  f"{', '.join(COLUMNS)}"])
        names = [cell.strip() for cell in header]
        for name in COLUMNS:
            if names.count(name) > 1:
                problems.append(f"{path}:1: column {name} appears {names.count(name)} times")
        missing = [name for name in COLUMNS if name not in names]
        if missing:
            problems.append(f"{path}:1: missing column{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)} (the header has: {', '.join(names)})")
        if problems:
            raise ReviewCsvError(problems)
        where = {name: names.index(name) for name in COLUMNS}
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            row = _check_row(cells, where, len(names), f"{path}:{line}", problems)
            if row is not None:
                rows.append(CsvReview(line, *row))
    except csv.Error as err:
        problems.append(f"{path}:{reader.line_num}: not valid CSV ({err})")
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"{path}: ... and {len(problems) - MAX_PROBLEMS} more problems")
        raise ReviewCsvError(shown)
    return rows


def _check_row(cells: list[str], where: Mapping[str, int], width: int, at: str,
               problems: list[str]) -> tuple[int, int, int, int, int] | None:
    if len(cells) < width:
        problems.append(f"{at}: {len(cells)} fields, but the header names {width} columns")
        return None
    found = len(problems)
    values = {}
    for name in COLUMNS:
        text = cells[where[name]].strip()
        if not _INTEGER.fullmatch(text):
            problems.append(f"{at}: {name} {text!r} is not a whole number" if text
                            else f"{at}: {name} is empty")
            continue
        values[name] = int(text)
    if len(problems) > found:
        return None
    card, when, rating, state, duration = (values[name] for name in COLUMNS)
    if not -(2**63) <= card < 2**63:
        problems.append(f"{at}: card_id {card} does not fit in 64 bits")
    if not time_ms(EARLIEST) <= when < time_ms(LATEST):
        hint = " (milliseconds are expected: was it seconds?)" if 0 <= when < time_ms(
            EARLIEST) else ""
        problems.append(f"{at}: review_time {when} is not between 1980 and 2200{hint}")
    if not 1 <= rating <= 4:
        problems.append(f"{at}: review_rating {rating} is not 1-4 (Again, Hard, Good, Easy)")
    if not 0 <= state <= 3:
        problems.append(f"{at}: review_state {state} is not 0-3 "
                        "(New, Learning, Review, Relearning)")
    if not 0 <= duration < 2**31:
        problems.append(f"{at}: review_duration {duration} is not a duration in milliseconds")
    return None if len(problems) > found else (card, when, rating, state, duration)


def import_review_csv(store: ProgressStore, path: Path,
                      content_ids: Iterable[str]) -> ImportResult:
    """Append the answers in the file at ``path`` to the log (see the module docstring)."""
    return import_reviews(store, read_review_csv(path), content_ids)


def import_reviews(store: ProgressStore, rows: list[CsvReview],
                   content_ids: Iterable[str]) -> ImportResult:
    """Append checked rows (``read_review_csv``) to the log, in one transaction."""
    content = set(content_ids)
    with store.transaction():
        # Everything is read inside the write transaction: a grade given meanwhile in another
        # window is either in what we replay, or waits until we commit.
        scheduler = scheduler_for(load_settings(store))
        entries = store.log_entries()
        known = {export_id(card_id): card_id for card_id in {e.card_id for e in entries}}
        known.update({export_id(card_id): card_id for card_id in sorted(content)})
        logged = {(export_id(e.card_id), time_ms(e.reviewed_at)) for e in entries}
        new: dict[str, list[CsvReview]] = defaultdict(list)
        for row in rows:
            key = (row.card, row.review_time_ms)
            if key not in logged:
                logged.add(key)
                new[card_id_for(row.card, known)].append(row)
        history: dict[str, list[tuple[tuple[datetime, int, int], Answer, int | None]]]
        history = defaultdict(list)
        for e in entries:
            if e.card_id in new:
                history[e.card_id].append(((e.reviewed_at, 0, e.log_id),
                                           Answer(e.reviewed_at, e.rating, e.duration_ms),
                                           e.log_id))
        for card_id, added in new.items():
            for row in added:
                history[card_id].append(((row.reviewed_at, 1, row.line),
                                         Answer(row.reviewed_at, row.rating, row.duration_ms),
                                         None))
            merged = sorted(history[card_id], key=lambda item: item[0])
            reviews = scheduler.replay(card_id, [answer for _, answer, _ in merged])
            store.rewrite_history(card_id, reviews, [log_id for _, _, log_id in merged])
    added_count = sum(len(added) for added in new.values())
    return ImportResult(added_count, len(rows) - added_count, len(new),
                        sum(card_id not in content for card_id in new))
