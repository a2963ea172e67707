"""Fitting FSRS parameters to the review log: Anki's item rules, too little history, a simulated
learner whose memory is not the default, one transaction, and the workload simulation."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from simulated_learner import TRUE_PARAMETERS, simulate, write_csv

from quizapp.interop.review_csv import import_review_csv
from quizapp.store import LogEntry, ProgressStore, open_store
from quizapp.study import DayClock, StudySettings, load_settings, save_settings
from quizapp.study.fsrs_fit import (
    MIN_CARDS,
    expected_workload,
    optimize,
    parameters_in_use,
    training_set,
    use_parameters,
)
from quizapp.study.scheduling import DEFAULT_PARAMETERS, CardScheduler
from quizapp.study.settings import PARAMETERS_KEY, scheduler_for

SEOUL = ZoneInfo("Asia/Seoul")
UTC_CLOCK = DayClock(4, UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as opened:
        yield opened


def entries(card: str, *answers: tuple[str, int, int]) -> list[LogEntry]:
    """Log entries of one card from (local Seoul time, rating, state before)."""
    return [LogEntry(i, card, datetime.fromisoformat(when).replace(tzinfo=SEOUL).astimezone(UTC),
                     rating, state, 0)
            for i, (when, rating, state) in enumerate(answers, start=1)]


def test_items_follow_ankis_rules() -> None:
    clock = DayClock(4, SEOUL)
    log = entries("a",
                  ("2026-03-01 20:00", 1, 0),  # first rating: from the learning run
                  ("2026-03-01 20:01", 3, 1),  # same-day step: history, delta_t 0, no item
                  ("2026-03-02 03:59", 3, 1),  # before 4 am: still study day 1 -> no item
                  ("2026-03-03 04:00", 3, 2),  # two study days later: an item
                  ("2026-03-03 09:00", 1, 2),  # same day: no item
                  ("2026-03-03 09:10", 3, 3),  # relearning step: no item
                  ("2026-03-10 12:00", 4, 2))  # an item
    data = training_set(log, clock)
    assert data.histories == [
        ((1, 0), (3, 0), (3, 0), (3, 2)),
        ((1, 0), (3, 0), (3, 0), (3, 2), (1, 0), (3, 0), (4, 7)),
    ]
    assert (data.reviews_used, data.cards) == (7, 1)


def test_history_starts_at_the_last_learning_run_and_needs_one() -> None:
    clock = DayClock(4, SEOUL)
    reset = entries("r",
                    ("2026-03-01 20:00", 3, 0), ("2026-03-05 20:00", 3, 2),
                    ("2026-03-08 20:00", 2, 0),  # new again (a reset, as in an Anki log)
                    ("2026-03-08 20:10", 3, 1), ("2026-03-11 20:00", 3, 2))
    no_start = entries("x", ("2026-03-01 20:00", 3, 2), ("2026-03-04 20:00", 3, 2))
    one_day = entries("y", ("2026-03-01 20:00", 3, 0), ("2026-03-01 20:10", 3, 1))
    data = training_set([*no_start, *reset, *one_day], clock)
    assert data.histories == [((2, 0), (3, 0), (3, 3))]
    assert (data.reviews_used, data.cards) == (3, 1)


def test_items_are_ordered_by_their_last_answer() -> None:
    clock = DayClock(4, SEOUL)
    late = entries("a", ("2026-03-01 20:00", 3, 0), ("2026-03-09 20:00", 3, 2))
    early = entries("b", ("2026-03-01 21:00", 4, 0), ("2026-03-05 20:00", 3, 2))
    assert training_set([*late, *early], clock).histories == [((4, 0), (3, 4)), ((3, 0), (3, 8))]


def grade_days(store: ProgressStore, cards: int, days: int) -> None:
    scheduler = CardScheduler()
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    for c in range(cards):
        for d in range(days):
            now = start + timedelta(days=2 * d, minutes=c)
            store.record_review(f"c{c}", lambda row, now=now, c=c, d=d: scheduler.review(
                f"c{c}", row, 3 if d else 4, now, 0))


def database_dump(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [*conn.execute("select * from cards order by card_id"),
                *conn.execute("select * from revlog order by id"),
                *conn.execute("select * from config order by key")]
    finally:
        conn.close()


def test_too_little_history_changes_nothing(store: ProgressStore) -> None:
    grade_days(store, MIN_CARDS - 1, 3)  # 7 cards on 3 days each: one card short
    before = database_dump(store.path)
    report = optimize(store, UTC_CLOCK)
    assert not report.saved and "not enough history" in report.message
    assert report.log_loss_before is not None and report.rmse_before is not None
    assert report.log_loss_after is None and report.rmse_after is None
    assert report.reviews_used == 21 and report.parameters == list(DEFAULT_PARAMETERS)
    assert database_dump(store.path) == before


def test_an_empty_log_gives_nulls(store: ProgressStore) -> None:
    assert optimize(store, UTC_CLOCK).to_json() == {
        "reviews_used": 0, "log_loss_before": None, "log_loss_after": None,
        "rmse_before": None, "rmse_after": None, "parameters": list(DEFAULT_PARAMETERS),
        "saved": False}


@pytest.fixture(scope="module")
def learner_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A year of a learner who forgets faster than FSRS's defaults: 120 cards, ~2,800 answers."""
    folder = tmp_path_factory.mktemp("learner")
    return write_csv(folder / "learner.csv", simulate(range(1, 121)))


def test_optimize_fits_a_learner_whose_memory_is_not_the_default(
        store: ProgressStore, learner_csv: Path) -> None:
    import_review_csv(store, learner_csv, [])
    rows_before = store.card_rows()
    card = next(card_id for card_id, row in rows_before.items() if row.state == 2)
    row_before = rows_before[card]
    now = row_before.due
    good_before = scheduler_for(load_settings(store)).outcome(card, row_before, 3, now)

    report = optimize(store, UTC_CLOCK)

    assert report.saved and report.reviews_used == store.review_count()
    assert report.log_loss_after is not None and report.log_loss_before is not None
    assert report.log_loss_after < report.log_loss_before - 0.005
    assert report.rmse_after is not None and report.rmse_before is not None
    assert report.rmse_after < report.rmse_before
    assert parameters_in_use(store) == report.parameters != list(DEFAULT_PARAMETERS)
    assert store.get_setting(PARAMETERS_KEY) == report.parameters
    # The learner's first memories are weaker than the defaults assume, and the fit says so.
    assert report.parameters[2] < DEFAULT_PARAMETERS[2]
    # The memory state was recomputed with the new parameters; state and due time stayed.
    row_after = store.card_row(card)
    assert row_after is not None and (row_after.state, row_after.due) == (2, row_before.due)
    old, new = json.loads(row_before.fsrs_json), json.loads(row_after.fsrs_json)
    assert new["stability"] < old["stability"] and new["due"] == old["due"]
    # The scheduler uses the saved parameters: the next Good comes sooner, as the fit predicts.
    scheduler = scheduler_for(load_settings(store))
    assert scheduler.parameters == tuple(report.parameters)
    good_after = scheduler.outcome(card, row_after, 3, now)
    assert good_after.interval < good_before.interval
    expected = CardScheduler(0.9, report.parameters).outcome(card, row_after, 3, now)
    assert good_after.interval == expected.interval

    again = optimize(store, UTC_CLOCK)  # the same history: nothing better to find
    assert not again.saved and again.parameters == report.parameters
    assert again.log_loss_before == report.log_loss_after


def test_the_true_parameters_beat_the_defaults_on_the_learner(store: ProgressStore,
                                                               learner_csv: Path) -> None:
    """The simulated learner really is not the default learner (a check on the test data)."""
    from quizapp.study.fsrs_fit import evaluate

    import_review_csv(store, learner_csv, [])
    items = training_set(store.log_entries(), UTC_CLOCK).items()
    assert evaluate(TRUE_PARAMETERS, items)[0] < evaluate(DEFAULT_PARAMETERS, items)[0]


def test_use_parameters_is_one_transaction(store: ProgressStore) -> None:
    grade_days(store, 3, 2)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    assert use_parameters(store, TRUE_PARAMETERS) == 3
    store.db.conn.set_trace_callback(None)
    verbs = [s.split()[0].upper() for s in statements
             if s.split()[0].upper() in ("BEGIN", "COMMIT", "INSERT", "UPDATE", "ROLLBACK")]
    assert verbs[0] == "BEGIN" and verbs[-1] == "COMMIT"
    assert verbs.count("BEGIN") == 1 and verbs.count("COMMIT") == 1
    assert "BEGIN IMMEDIATE" in statements
    assert parameters_in_use(store) == list(TRUE_PARAMETERS)
    use_parameters(store, None)
    assert parameters_in_use(store) == list(DEFAULT_PARAMETERS)
    with pytest.raises(ValueError, match="21 FSRS parameters"):
        use_parameters(store, [1.0] * 20)


def test_saved_parameters_are_loaded_with_the_settings_and_never_saved_by_them(
        store: ProgressStore) -> None:
    assert load_settings(store).fsrs_parameters == DEFAULT_PARAMETERS
    use_parameters(store, TRUE_PARAMETERS)
    settings = load_settings(store)
    assert settings.fsrs_parameters == TRUE_PARAMETERS
    save_settings(store, StudySettings(new_per_day=5))  # e.g. a dialog opened before optimize
    assert "fsrs_parameters" not in store.get_setting("study_settings")
    assert load_settings(store).fsrs_parameters == TRUE_PARAMETERS
    assert load_settings(store).new_per_day == 5


@pytest.mark.parametrize("stored", [[1.0] * 21, [0.2] * 20, "x", None, [*TRUE_PARAMETERS[:20],
                                                                      float("nan")]])
def test_bad_saved_parameters_fall_back_to_the_defaults(store: ProgressStore,
                                                        stored: object) -> None:
    store.set_setting(PARAMETERS_KEY, stored)
    assert parameters_in_use(store) == list(DEFAULT_PARAMETERS)


def test_expected_workload_grows_with_the_desired_retention() -> None:
    rows = expected_workload(DEFAULT_PARAMETERS, [0.8, 0.9, 0.95], days=365, deck_size=100)
    assert [r.retention for r in rows] == [0.8, 0.9, 0.95]
    assert all(len(r) == 3 for r in rows)
    reviews = [r.reviews_per_day for r in rows]
    minutes = [r.minutes_per_day for r in rows]
    assert 0 < reviews[0] < reviews[1] < reviews[2] and 0 < minutes[0] < minutes[1] < minutes[2]
    assert expected_workload(DEFAULT_PARAMETERS, [0.9], deck_size=100) == [rows[1]]
    # A learner who forgets faster has more to review at the same retention.
    [weak] = expected_workload(TRUE_PARAMETERS, [0.9], deck_size=100)
    assert weak.reviews_per_day > rows[1].reviews_per_day


@pytest.mark.parametrize(("retention", "parameters"), [(1.0, DEFAULT_PARAMETERS),
                                                       (0.0, DEFAULT_PARAMETERS),
                                                       (0.9, DEFAULT_PARAMETERS[:20])])
def test_expected_workload_refuses_bad_input(retention: float,
                                             parameters: tuple[float, ...]) -> None:
    with pytest.raises(ValueError):
        expected_workload(parameters, [retention])
