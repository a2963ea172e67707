"""Review-log CSV in the FSRS schema: the round trip, idempotent import, unknown cards kept like
removed ones, histories replayed in time order, and bad files refused line by line with the
database untouched."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from simulated_learner import COLUMNS, Row, simulate, write_csv

from quizapp.content import load_library
from quizapp.interop.review_csv import (
    ReviewCsvError,
    card_id_for,
    export_id,
    export_review_csv,
    import_review_csv,
    read_review_csv,
    time_ms,
)
from quizapp.store import ProgressStore, open_store
from quizapp.study import StudySession, collection_stats
from quizapp.study.scheduling import Answer, CardScheduler, fsrs_id
from quizapp.study.settings import PARAMETERS_KEY

START = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
LOG_COLUMNS = ("card_id", "reviewed_at", "rating", "state_before", "state_after",
               "interval_before_s", "interval_after_s", "stability", "difficulty",
               "duration_ms", "fsrs_before")


class FakeNow:
    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "a.sqlite3") as opened:
        yield opened


def log(store: ProgressStore) -> list[tuple[object, ...]]:
    return [tuple(row[c] for c in LOG_COLUMNS) for row in store.log_rows()]


def study(content: Path, store: ProgressStore, days: int = 4) -> None:
    """Grade every card in the small content on several days (microsecond times, as the app)."""
    now = FakeNow(START)
    for day in range(days):
        now.value = START + timedelta(days=3 * day)
        session = StudySession(load_library(content), store, now=now)
        graded = 0
        while session.current is not None and graded < 12:
            session.grade(1 + (graded + day) % 4, duration_ms=1500 + graded)
            now.value += timedelta(minutes=11, microseconds=7)
            session.refresh()
            graded += 1


def test_export_writes_the_fsrs_schema(small_content: Path, store: ProgressStore,
                                       tmp_path: Path) -> None:
    study(small_content, store)
    result = export_review_csv(store, tmp_path / "log.csv")
    lines = (tmp_path / "log.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert result.reviews == len(lines) - 1 == store.review_count() and result.cards == 5
    first = store.log_rows()[0]
    assert lines[1] == (f"{fsrs_id(first['card_id'])},{time_ms(START)},{first['rating']},0,"
                        f"{first['duration_ms']}")
    assert time_ms(START) == 1772443815123  # ms since the epoch, rounded down


def test_round_trip_into_a_fresh_database_gives_the_same_log(
        small_content: Path, store: ProgressStore, tmp_path: Path) -> None:
    study(small_content, store)
    export_review_csv(store, tmp_path / "a.csv")
    content_ids = [c.id for c in load_library(small_content).cards]
    with open_store(tmp_path / "b.sqlite3") as fresh:
        result = import_review_csv(fresh, tmp_path / "a.csv", content_ids)
        assert (result.added, result.skipped, result.cards, result.unknown_cards) == (
            store.review_count(), 0, 5, 0)
        export_review_csv(fresh, tmp_path / "b.csv")
        # The same answers under the same content ids, in the same states ...
        key = sorted((r[0], r[1][:23], r[2], r[3], r[4], r[9]) for r in log(store))
        assert sorted((r[0], r[1][:23], r[2], r[3], r[4], r[9]) for r in log(fresh)) == key
        assert fresh.card_rows().keys() == store.card_rows().keys()
    assert (tmp_path / "b.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()


def test_a_replayed_log_is_the_log_the_scheduler_wrote(store: ProgressStore,
                                                       tmp_path: Path) -> None:
    """Whole-second times: the replay reproduces every column, fuzzed intervals included."""
    rows = simulate(range(1, 7), days=90, new_per_day=3)
    write_csv(tmp_path / "sim.csv", rows)
    import_review_csv(store, tmp_path / "sim.csv", [])
    with open_store(tmp_path / "b.sqlite3") as other:
        export_review_csv(store, tmp_path / "again.csv")
        import_review_csv(other, tmp_path / "again.csv", [])
        assert log(other) == log(store)
        assert other.card_rows() == store.card_rows()
    # the simulator scheduled with the app's own scheduler: the replay agrees with it
    assert [r["state_before"] for r in store.log_rows()] == [
        row.state for row in sorted(rows, key=lambda r: (r.card, r.time_ms))]


def test_importing_twice_adds_nothing(small_content: Path, store: ProgressStore,
                                      tmp_path: Path) -> None:
    study(small_content, store)
    export_review_csv(store, tmp_path / "a.csv")
    ids = [c.id for c in load_library(small_content).cards]
    before = (log(store), [r["id"] for r in store.log_rows()], store.card_rows())
    result = import_review_csv(store, tmp_path / "a.csv", ids)  # into the database it came from
    assert (result.added, result.skipped, result.cards) == (0, before[0].__len__(), 0)
    assert (log(store), [r["id"] for r in store.log_rows()], store.card_rows()) == before
    with open_store(tmp_path / "b.sqlite3") as fresh:
        import_review_csv(fresh, tmp_path / "a.csv", ids)
        once = log(fresh)
        again = import_review_csv(fresh, tmp_path / "a.csv", ids)
        assert again.added == 0 and log(fresh) == once


def test_repeated_rows_in_a_file_count_once(store: ProgressStore, tmp_path: Path) -> None:
    first = Row(42, time_ms(START), 3, 0, 1000)
    write_csv(tmp_path / "dup.csv", [first, first, Row(42, time_ms(START), 1, 0, 5)])
    result = import_review_csv(store, tmp_path / "dup.csv", [])
    assert (result.added, result.skipped) == (1, 2)
    assert [r["rating"] for r in store.log_rows()] == [3]


def test_unknown_cards_are_kept_like_removed_cards(small_content: Path, store: ProgressStore,
                                                   tmp_path: Path) -> None:
    library = load_library(small_content)
    rows = [Row(fsrs_id("a1"), time_ms(START), 3, 0, 900),
            Row(fsrs_id("a1"), time_ms(START + timedelta(days=2)), 3, 1, 800),
            Row(777, time_ms(START), 4, 0, 700),
            Row(777, time_ms(START + timedelta(days=5)), 1, 2, 600)]
    write_csv(tmp_path / "in.csv", rows)
    result = import_review_csv(store, tmp_path / "in.csv", [c.id for c in library.cards])
    assert (result.added, result.cards, result.unknown_cards) == (4, 2, 1)
    assert {r["card_id"] for r in store.log_rows()} == {"a1", "csv:777"}
    unknown = store.card_row("csv:777")
    assert unknown is not None and unknown.state == 3  # Easy, then Again: relearning
    stats = collection_stats(library, store, START + timedelta(days=6))
    assert stats.reviews_total == 4 and stats.cards == 5 and stats.new == 4
    assert export_id("csv:777") == 777 and card_id_for(777, {}) == "csv:777"
    export_review_csv(store, tmp_path / "out.csv")
    assert {line.split(",")[0] for line in
            (tmp_path / "out.csv").read_text().splitlines()[1:]} == {"777", str(fsrs_id("a1"))}
    # the number keeps meaning that card on the next import, even with no content at all
    assert import_review_csv(store, tmp_path / "out.csv", []).added == 0


def test_imported_answers_join_a_cards_history_in_time_order(
        small_content: Path, store: ProgressStore, tmp_path: Path) -> None:
    now = FakeNow(START)
    session = StudySession(load_library(small_content), store, now=now)
    session.grade(4)  # a1, Easy, at START
    older = [Row(fsrs_id("a1"), time_ms(START - timedelta(days=9)), 3, 0, 10),
             Row(fsrs_id("a1"), time_ms(START - timedelta(days=9, minutes=-10)), 3, 1, 10),
             Row(fsrs_id("a1"), time_ms(START - timedelta(days=4)), 1, 2, 10)]
    write_csv(tmp_path / "old.csv", older)
    import_review_csv(store, tmp_path / "old.csv", ["a1"])
    rows = store.log_rows("a1")
    assert [r["rating"] for r in rows] == [3, 3, 1, 4]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)  # id order = time order
    expected = CardScheduler().replay("a1", [
        Answer(datetime.fromisoformat(r["reviewed_at"]), r["rating"], r["duration_ms"])
        for r in rows])
    assert [r["state_before"] for r in rows] == [0, 1, 2, 3]  # the grade at START relearns
    card = store.card_row("a1")
    assert card is not None and card.fsrs_json == expected[-1].fsrs_after
    assert rows[-1]["fsrs_before"] == expected[-2].fsrs_after


def test_import_replays_with_the_parameters_in_use(store: ProgressStore, tmp_path: Path) -> None:
    weak = (0.1, 0.5, 1.0, 3.0, *CardScheduler().parameters[4:])
    store.set_setting(PARAMETERS_KEY, list(weak))  # as optimize saves them
    write_csv(tmp_path / "one.csv", [Row(5, time_ms(START), 4, 0, 0)])
    import_review_csv(store, tmp_path / "one.csv", [])
    [row] = store.log_rows()
    assert row["stability"] == pytest.approx(3.0)  # w[3], the weak learner's Easy


def test_import_is_one_begin_immediate_transaction(store: ProgressStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "sim.csv", simulate(range(1, 4), days=30, new_per_day=3))
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    import_review_csv(store, tmp_path / "sim.csv", [])
    store.db.conn.set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"]
    assert sum(s.upper().startswith("COMMIT") for s in statements) == 1


def sha256_of_folder(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


GOOD = "42,1772443815123,3,0,1500"


@pytest.mark.parametrize(("text", "problem"), [
    ("card_id,review_time,review_rating,review_duration\n42,1772443815123,3,1500\n",
     ":1: missing column review_state (the header has: card_id, review_time, review_rating, "
     "review_duration)"),
    (f"{','.join(COLUMNS)}\n{GOOD}\n42,1772443815999,5,0,1500\n",
     ":3: review_rating 5 is not 1-4"),
    (f"{','.join(COLUMNS)}\n{GOOD}\nx42,1772443816000,3,0,1500\n",
     ":3: card_id 'x42' is not a whole number"),
    (f"{','.join(COLUMNS)}\n42,1772443816000.5,3,0,1500\n",
     ":2: review_time '1772443816000.5' is not a whole number"),
    (f"{','.join(COLUMNS)}\n42,1772443815,3,0,1500\n",
     ":2: review_time 1772443815 is not between 1980 and 2200 (milliseconds are expected"),
    (f"{','.join(COLUMNS)}\n42,1772443815123,3,4,1500\n", ":2: review_state 4 is not 0-3"),
    (f"{','.join(COLUMNS)}\n42,1772443815123,0,0,1500\n", ":2: review_rating 0 is not 1-4"),
    (f"{','.join(COLUMNS)}\n42,1772443815123,3,0,-1\n",
     ":2: review_duration -1 is not a duration"),
    (f"{','.join(COLUMNS)}\n42,1772443815123,3,0,\n", ":2: review_duration is empty"),
    (f"{','.join(COLUMNS)}\n{GOOD}\n\n42,1772443815123,3\n",
     ":4: 3 fields, but the header names 5 columns"),
    ("", ":1: no header row"),
    (f"{','.join(COLUMNS)},card_id\n{GOOD},1\n", ":1: column card_id appears 2 times"),
])
def test_bad_files_are_refused_line_by_line_and_nothing_is_written(
        store: ProgressStore, tmp_path: Path, text: str, problem: str) -> None:
    write_csv(tmp_path / "ok.csv", [Row(7, time_ms(START), 3, 0, 1)])
    import_review_csv(store, tmp_path / "ok.csv", [])
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    rows = log(store)
    before = sha256_of_folder(store.path.parent)
    with pytest.raises(ReviewCsvError) as caught:
        import_review_csv(store, bad, [])
    assert any(p.startswith(f"{bad}{problem}") for p in caught.value.problems), \
        caught.value.problems
    assert log(store) == rows
    assert sha256_of_folder(store.path.parent) == before


def test_every_problem_is_listed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{','.join(COLUMNS)}\n" + "\n".join(
        f"{n},1772443815123,9,0,1" for n in range(30)) + "\n", encoding="utf-8")
    with pytest.raises(ReviewCsvError) as caught:
        read_review_csv(bad)
    problems = caught.value.problems
    assert problems[0] == f"{bad}:2: review_rating 9 is not 1-4 (Again, Hard, Good, Easy)"
    assert len(problems) == 21 and problems[-1] == f"{bad}: ... and 10 more problems"


def test_a_file_that_is_not_utf8_or_not_there(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(f"{','.join(COLUMNS)}\n{GOOD}\n".encode() + b"caf\xe9,1,1,1,1\n")
    with pytest.raises(ReviewCsvError, match=r"latin1.csv:3: not UTF-8 text"):
        read_review_csv(bad)
    with pytest.raises(Exception, match=r"missing.csv: cannot read the review log"):
        read_review_csv(tmp_path / "missing.csv")


def test_columns_in_any_order_extra_columns_and_a_bom(store: ProgressStore,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("\ufeffreview_rating,note,review_duration,card_id,review_state,review_time\n"
                    "3,hello,1200,9,0,1772443815123\n", encoding="utf-8")
    [row] = read_review_csv(path)
    assert (row.card, row.review_time_ms, row.rating, row.state, row.duration_ms, row.line) == (
        9, 1772443815123, 3, 0, 1200, 2)
    assert row.reviewed_at == datetime(2026, 3, 2, 9, 30, 15, 123000, tzinfo=UTC)
