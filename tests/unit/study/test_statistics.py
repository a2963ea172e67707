"""Statistics against figures worked out by hand: calendar, streaks, forecast, true retention,
card states, weak topics, score trends — and the `stats --json` keys other checks rely on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from simulated_history import simulate

from quizapp.content import Library, load_library
from quizapp.store import ProgressStore, Review, open_store
from quizapp.study import StudySettings, save_settings
from quizapp.study.statistics import PRIOR_ANSWERS, RETENTION_PERIODS, compute_statistics

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # noon; the study day began 04:00 local time
DAY = timedelta(days=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as opened:
        save_settings(opened, StudySettings(day_start_hour=0))  # days = UTC dates here
        yield opened


@pytest.fixture
def library(small_content: Path) -> Library:
    return load_library(small_content)


def log(store: ProgressStore, card_id: str, when: datetime, rating: int, state_before: int,
        interval_before_days: float = 0, due_after: datetime | None = None,
        state_after: int = 2, duration_ms: int = 6000) -> None:
    """Write one answer as the review log would hold it (card state JSON kept valid)."""
    row = store.card_row(card_id)
    due = due_after or when + 3 * DAY
    fsrs = json.dumps({"card_id": 1, "state": state_after, "step": None, "stability": 5.0,
                       "difficulty": 5.0, "due": due.isoformat(),
                       "last_review": when.isoformat()})
    store.record_review(card_id, lambda r: Review(
        card_id=card_id, reviewed_at=when, rating=rating, state_before=state_before,
        state_after=state_after, interval_before_s=round(interval_before_days * 86400),
        interval_after_s=3 * 86400, stability=5.0, difficulty=5.0, duration_ms=duration_ms,
        fsrs_before=row.fsrs_json if row else None, fsrs_after=fsrs, due_after=due))


@pytest.fixture(autouse=True)
def utc_days(monkeypatch: pytest.MonkeyPatch) -> None:
    """Study days in UTC, whatever the machine's zone."""
    import quizapp.study.statistics as statistics
    from quizapp.study.clock import DayClock

    monkeypatch.setattr(statistics, "DayClock", lambda hour: DayClock(hour, UTC))


def test_calendar_streaks_and_time(store: ProgressStore, library: Library) -> None:
    # reviews on days -5, -4, -3 (a 3-day run), none on -2, then -1 and today
    for days_ago in (5, 4, 3, 1, 0):
        log(store, "a1", NOW - days_ago * DAY, 3, 0 if days_ago == 5 else 2)
    log(store, "a2", NOW - 4 * DAY, 3, 0, duration_ms=54000)
    stats = compute_statistics(library, store, NOW)
    today = NOW.date()
    assert len(stats.heatmap) == 365 and max(stats.heatmap) == today
    assert [stats.heatmap[today - i * DAY] for i in range(6)] == [1, 1, 0, 1, 2, 1]
    assert (stats.current_streak, stats.longest_streak) == (2, 3)
    assert stats.time_by_day[today - 4 * DAY] == 60000
    assert stats.reviews_by_day[today - 4 * DAY] == {"new": 1, "learning": 0, "review": 1,
                                                     "relearning": 0}
    assert stats.to_json()["heatmap"][(today - 4 * DAY).isoformat()] == 2


def test_true_retention_young_and_mature_by_period(store: ProgressStore,
                                                   library: Library) -> None:
    log(store, "a1", NOW - 40 * DAY, 3, 0)  # new: not counted
    log(store, "a1", NOW - 20 * DAY, 1, 2, interval_before_days=10)  # young, failed, 20 d ago
    log(store, "a1", NOW - 1 * DAY, 3, 2, interval_before_days=30)  # mature, passed, yesterday
    log(store, "a2", NOW - 2 * DAY, 3, 2, interval_before_days=5)  # young, passed
    log(store, "a3", NOW, 1, 2, interval_before_days=60)  # mature, failed, today
    log(store, "b1", NOW, 3, 2, interval_before_days=21)  # mature (21 days), passed
    retention = compute_statistics(library, store, NOW).retention
    assert retention["today"].mature == (1, 2) and retention["today"].young == (0, 0)
    assert retention["yesterday"].total == (1, 1)
    assert retention["last_7_days"].young == (1, 1) and retention["last_7_days"].mature == (2, 3)
    assert retention["last_30_days"].total == (3, 5)
    assert retention["all_time"].total == (3, 5)
    rates = compute_statistics(library, store, NOW).to_json()["true_retention"]
    assert set(rates) == set(RETENTION_PERIODS)
    assert rates["today"] == 0.5 and rates["last_30_days"] == 0.6


def test_retention_is_null_without_review_answers(store: ProgressStore,
                                                  library: Library) -> None:
    log(store, "a1", NOW, 3, 0)
    rates = compute_statistics(library, store, NOW).to_json()["true_retention"]
    assert all(value is None for value in rates.values())


def test_forecast_counts_overdue_today(store: ProgressStore, library: Library) -> None:
    log(store, "a1", NOW - 10 * DAY, 3, 0, due_after=NOW - 2 * DAY)  # overdue
    log(store, "a2", NOW - 1 * DAY, 3, 0, due_after=NOW + timedelta(hours=3))  # today
    log(store, "a3", NOW - 1 * DAY, 3, 0, due_after=NOW + 2 * DAY)
    log(store, "b1", NOW - 1 * DAY, 3, 0, due_after=NOW + 40 * DAY)
    stats = compute_statistics(library, store, NOW)
    assert stats.forecast[:3] == [2, 0, 1] and sum(stats.forecast) == 3
    assert stats.overdue == 1 and len(stats.forecast) == 30
    assert stats.forecast_year[40] == 1


def test_card_states_and_memory(store: ProgressStore, library: Library) -> None:
    log(store, "a1", NOW - DAY, 3, 0, state_after=1, due_after=NOW)  # learning
    log(store, "a2", NOW - DAY, 3, 0, due_after=NOW + 5 * DAY)  # young (6-day interval)
    log(store, "a3", NOW - DAY, 3, 0, due_after=NOW + 40 * DAY)  # mature
    stats = compute_statistics(library, store, NOW)
    assert stats.states == {"new": 2, "learning": 1, "young": 1, "mature": 1, "suspended": 0}
    assert stats.stability_days == [5.0] * 3 and stats.difficulty == [5.0] * 3
    assert all(0 < r <= 1 for r in stats.retrievability)


def test_weak_topics_put_the_failing_deck_first(store: ProgressStore,
                                                library: Library) -> None:
    for day in range(30):
        log(store, "b1", NOW - (30 - day) * DAY, 1 if day % 2 else 3, 2, 10)  # half Again
        log(store, "a1", NOW - (30 - day) * DAY, 3, 2, 10)  # always passed
    topics = compute_statistics(library, store, NOW).weak_topics
    decks = [t for t in topics if t.kind == "deck"]
    assert [t.name for t in decks] == ["beta", "alpha"]
    assert decks[0].again_rate == 0.5 and decks[0].lapses == 15 and decks[0].answers == 30
    assert decks[1].again_rate == 0.0
    # Sorted by weakness: the Again rate shrunk towards the collection's 15/60 = 0.25.
    prior, n = 0.25, PRIOR_ANSWERS
    recall_b = decks[0].mean_retrievability
    assert recall_b is not None
    assert decks[0].weakness == pytest.approx((0.5 * 30 + prior * n) / (30 + n)
                                              + 0.1 * (1 - recall_b))
    assert [t.weakness for t in topics] == sorted((t.weakness for t in topics), reverse=True)
    as_json = compute_statistics(library, store, NOW).to_json()["weak_topics"][0]
    assert as_json["deck"] == "beta" and {"again_rate", "lapses", "cards", "weakness"} <= set(
        as_json)


def test_a_simulated_year_gives_consistent_figures(store: ProgressStore,
                                                   library: Library) -> None:
    written = simulate(store, [c.id for c in library.cards], days=120, end=NOW, new_per_day=2,
                       seed=3)
    stats = compute_statistics(library, store, NOW)
    assert sum(stats.heatmap.values()) == written
    assert sum(sum(v.values()) for v in stats.reviews_by_day.values()) == written
    assert sum(stats.states.values()) == len(library.cards)
    rate = stats.to_json()["true_retention"]["all_time"]
    assert rate is not None and 0.6 < rate < 1.0


def test_the_fsrs_parameters_shown_are_the_ones_in_use(store: ProgressStore,
                                                       library: Library) -> None:
    from quizapp.study.fsrs_fit import use_parameters
    from quizapp.study.settings import load_parameters

    defaults = list(load_parameters(store))
    assert compute_statistics(library, store, NOW).fsrs_parameters == pytest.approx(defaults)
    fitted = [round(w * 1.05, 4) if i in (0, 1, 2, 3) else w for i, w in enumerate(defaults)]
    use_parameters(store, fitted)
    assert compute_statistics(library, store, NOW).fsrs_parameters == pytest.approx(fitted)
