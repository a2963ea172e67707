"""The statistics read from the review log's sums (per quarter of an hour, per card) equal
what adding up every answer one by one gives — the way they were computed before m005 — on a
simulated year and a half of reviews, in time zones with daylight saving time and offsets of
half and three quarters of an hour, with answers on the very edge of a study day."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from simulated_history import simulate

from quizapp.content import Card, Deck, Library, Text
from quizapp.store import ProgressStore, open_store
from quizapp.study import StudySettings, save_settings
from quizapp.study.clock import DayClock
from quizapp.study.statistics import (
    MATURE_DAYS,
    RETENTION_PERIODS,
    STATE_NAMES,
    _periods,
    _streaks,
    _study_day,
    compute_statistics,
)

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


def reference(store: ProgressStore, clock: DayClock, now: datetime) -> dict[str, Any]:
    """The figures of the log as compute_statistics worked them out before m005: every row
    read, its study day computed from its own time."""
    today = _study_day(clock, now)
    per_day: Counter[date] = Counter()
    by_day: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATE_NAMES, 0))
    time_by_day: Counter[date] = Counter()
    retention = {period: [[0, 0], [0, 0]] for period in RETENTION_PERIODS}
    answers: Counter[str] = Counter()
    agains: Counter[str] = Counter()
    lapses: Counter[str] = Counter()
    for card_id, reviewed_at, rating, state, interval, duration in store.conn.execute(
            "select card_id, reviewed_at, rating, state_before, interval_before_s, duration_ms "
            "from revlog order by id"):
        day = _study_day(clock, datetime.fromisoformat(reviewed_at))
        age = (today - day).days
        if age < 365:
            per_day[day] += 1
            by_day[day][STATE_NAMES[state or 0]] += 1
            time_by_day[day] += duration or 0
        if state == 2:
            bucket = 1 if (interval or 0) >= MATURE_DAYS * 86400 else 0
            for period in _periods(age):
                retention[period][bucket][0] += rating != 1
                retention[period][bucket][1] += 1
        answers[card_id] += 1
        agains[card_id] += rating == 1
        lapses[card_id] += rating == 1 and state == 2
    first = today - timedelta(days=364)
    heatmap = {first + timedelta(days=i): per_day.get(first + timedelta(days=i), 0)
               for i in range(365)}
    return {"heatmap": heatmap, "streaks": _streaks(heatmap, today),
            "reviews_by_day": dict(by_day), "time_by_day": dict(time_by_day),
            "retention": {p: (tuple(v[0]), tuple(v[1])) for p, v in retention.items()},
            "per_card": {c: (answers[c], agains[c], lapses[c]) for c in answers}}


@pytest.mark.parametrize(("zone", "hour"), [
    ("UTC", 0), ("Asia/Seoul", 4), ("America/New_York", 4), ("Asia/Kathmandu", 4),
    ("Australia/Lord_Howe", 23), ("Asia/Kolkata", 0),
])
def test_figures_from_the_sums_equal_adding_up_every_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str, hour: int) -> None:
    import quizapp.study.statistics as statistics

    tz = ZoneInfo(zone)
    monkeypatch.setattr(statistics, "DayClock", lambda h: DayClock(h, tz))
    clock = DayClock(hour, tz)
    deck = Deck("d", Text("덱", "Deck"))
    cards = [Card(id=f"c{n:02d}", deck="d", question=Text("q", "q"), answer=Text("a", "a"),
                  tags=("odd",) if n % 2 else ()) for n in range(40)]
    library = Library(decks=[deck], cards=cards, issues=[])
    with open_store(tmp_path / "p.sqlite3") as store:
        save_settings(store, StudySettings(day_start_hour=hour))
        simulate(store, [c.id for c in cards], days=420, end=NOW, new_per_day=2, skill=0.85,
                 seed=11)
        # Answers on the edge of study days (just before and at the start), some of them
        # written with another zone's offset, and one in the future.
        edges = []
        start = clock.day_start(NOW)
        for days in (0, 1, 2, 6, 7, 29, 30, 200, 364, 365, 366):
            boundary = clock.day_start(start - timedelta(days=days) + timedelta(hours=2))
            for moment in (boundary - timedelta(microseconds=1), boundary,
                           boundary + timedelta(minutes=14, seconds=59, microseconds=999_999)):
                edges.append(moment)
        edges.append(NOW + timedelta(days=2))
        with store.transaction() as conn:
            for n, moment in enumerate(edges):
                written = moment.astimezone(ZoneInfo("Asia/Tokyo")) if n % 3 == 0 else moment
                conn.execute(
                    "insert into revlog (card_id, reviewed_at, rating, state_before, "
                    "interval_before_s, duration_ms) values (?, ?, ?, ?, ?, ?)",
                    [f"c{n % 40:02d}", written.isoformat(), 1 + n % 4, n % 4,
                     (n % 3) * 15 * 86400, 1000 + n])
        figures = compute_statistics(library, store, NOW)
        expected = reference(store, clock, NOW)
    assert figures.heatmap == expected["heatmap"]
    assert (figures.current_streak, figures.longest_streak) == expected["streaks"]
    assert figures.reviews_by_day == expected["reviews_by_day"]
    assert figures.time_by_day == expected["time_by_day"]
    assert {p: (r.young, r.mature) for p, r in figures.retention.items()} == \
        expected["retention"]
    per_card = expected["per_card"]
    deck_topic = next(t for t in figures.weak_topics if t.kind == "deck")
    assert deck_topic.answers == sum(a for a, _g, _l in per_card.values())
    assert deck_topic.lapses == sum(lapsed for _a, _g, lapsed in per_card.values())
    odd = next(t for t in figures.weak_topics if t.kind == "tag" and t.name == "odd")
    odd_ids = [c.id for c in cards if "odd" in c.tags]
    assert odd.answers == sum(per_card.get(c, (0, 0, 0))[0] for c in odd_ids)
    assert odd.again_rate == pytest.approx(
        sum(per_card.get(c, (0, 0, 0))[1] for c in odd_ids) / odd.answers)


def test_the_future_and_unreadable_times_do_not_break_the_figures(tmp_path: Path) -> None:
    library = Library(decks=[Deck("d", Text("덱", "Deck"))], cards=[
        Card(id="a", deck="d", question=Text("q", "q"), answer=Text("a", "a"))], issues=[])
    with open_store(tmp_path / "p.sqlite3") as store, store.transaction() as conn:
        conn.execute("insert into revlog (card_id, reviewed_at, rating, state_before) "
                     "values ('a', 'not a time', 3, 2)")
    with open_store(tmp_path / "p.sqlite3") as store:
        figures = compute_statistics(library, store, datetime(2026, 1, 1, tzinfo=UTC))
    assert figures.retention["all_time"].total == (1, 1)
    assert sum(figures.heatmap.values()) == 0
