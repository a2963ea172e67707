"""Progress statistics, computed in the domain (the statistics screen and ``stats --out`` only
draw them, as Mnemosyne does): review calendar and streaks, due forecast, reviews and time per
day, Anki's true retention, card states and memory distributions, weak topics, and quiz and
interview score trends.

Days are *study days*: a day starts at the settings' ``day_start_hour`` (4 am by default) local
time, so a review at 1 am counts for the day before, as in Anki.

Definitions:
- true retention (Anki's): among answers to cards in the review state, the share not graded
  Again; *young* cards had an interval under 21 days before the answer, *mature* 21 or more;
- card states: new (never reviewed), learning ((re)learning steps), young and mature (review
  state, scheduled interval under / from 21 days), suspended (a suspended card counts here
  only, whatever its schedule, as in Anki's card counts);
- forecast and overdue: reviewed cards that are not suspended (a suspended card is not shown
  until unsuspended; a buried one comes back the next day, so it stays in the forecast);
- retrievability now: FSRS's R of each reviewed card at this moment;
- weak topics: per deck and per tag, the Again rate of its answers, its lapses (Again on a card
  in the review state), its quiz and interview misses and the mean retrievability of its
  reviewed cards; worst first by the Again rate shrunk towards the overall rate by
  ``PRIOR_ANSWERS`` answers (so a tag with 3 answers, 1 Again, does not top the list), then
  by quiz and interview misses.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fsrs import Card as FsrsCard

from quizapp.content import Library
from quizapp.store import ProgressStore
from quizapp.study.clock import DayClock, utc_now
from quizapp.study.queue import LEARNING_STATES
from quizapp.study.settings import load_settings, scheduler_for

MATURE_DAYS = 21
PRIOR_ANSWERS = 20  # weak topics: how many "average" answers a topic's Again rate starts with
RETENTION_PERIODS = ("today", "yesterday", "last_7_days", "last_30_days", "last_365_days",
                     "all_time")
STATE_NAMES = ("new", "learning", "review", "relearning")  # revlog state_before 0-3


@dataclass(frozen=True)
class Retention:
    """Answers to review-state cards and how many passed (not Again): young, mature, total."""

    young: tuple[int, int] = (0, 0)  # (passed, answers)
    mature: tuple[int, int] = (0, 0)

    @property
    def total(self) -> tuple[int, int]:
        return self.young[0] + self.mature[0], self.young[1] + self.mature[1]

    @staticmethod
    def rate(counts: tuple[int, int]) -> float | None:
        passed, answers = counts
        return passed / answers if answers else None


@dataclass(frozen=True)
class WeakTopic:
    kind: str  # "deck" or "tag"
    name: str
    cards: int
    answers: int
    again_rate: float
    lapses: int
    quiz_misses: int
    interview_misses: int
    mean_retrievability: float | None
    #: What the list is sorted by: the Again rate shrunk towards the collection's (so a topic
    #: with few answers is not judged on them alone), plus 0.02 per quiz or interview miss,
    #: plus a tenth of what is forgotten now (1 - mean retrievability).
    weakness: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {self.kind: self.name, "weakness": round(self.weakness, 4),
                "again_rate": round(self.again_rate, 4),
                "lapses": self.lapses, "cards": self.cards, "answers": self.answers,
                "quiz_misses": self.quiz_misses, "interview_misses": self.interview_misses,
                "mean_retrievability": None if self.mean_retrievability is None
                else round(self.mean_retrievability, 4)}


@dataclass
class Statistics:
    """Every figure of the statistics screen."""

    today: date  # the current study day
    heatmap: dict[date, int]  # reviews per study day, the last 365 days (zeros included)
    current_streak: int
    longest_streak: int
    forecast: list[int]  # cards due per study day from today (overdue count today)
    forecast_year: list[int]  # the same for 365 days
    overdue: int
    reviews_by_day: dict[date, dict[str, int]]  # last 365 days: answers by state before
    time_by_day: dict[date, int]  # last 365 days: milliseconds spent answering
    retention: dict[str, Retention]  # RETENTION_PERIODS
    states: dict[str, int]  # new, learning, young, mature, suspended
    stability_days: list[float]
    difficulty: list[float]
    retrievability: list[float]
    weak_topics: list[WeakTopic]
    quiz_trend: list[tuple[date, float, int]]  # study day, share right, answers
    interview_trend: list[tuple[date, float, int]]  # study day, mean score, answers
    fsrs_parameters: list[float] = field(default_factory=list)
    deck_titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # id: (ko, en)

    def to_json(self) -> dict[str, Any]:
        """The ``stats --json`` additions (keys other checks rely on)."""
        return {
            "true_retention": {p: Retention.rate(self.retention[p].total)
                               for p in RETENTION_PERIODS},
            "forecast": self.forecast,
            "heatmap": {day.isoformat(): n for day, n in sorted(self.heatmap.items())},
            "streak_days": self.current_streak,
            "weak_topics": [t.to_json() for t in self.weak_topics],
            "fsrs_parameters": self.fsrs_parameters,
        }


def compute_statistics(library: Library, store: ProgressStore,
                       now: datetime | None = None) -> Statistics:
    """All figures for the cards of ``library`` (the review log counts every answer).

    The answers are read already added up per quarter of an hour (``store.quarter_sums``,
    kept by the database itself) and gathered into study days here, so the time does not grow
    with the size of the log. A study day starts on a whole quarter of an hour in every time
    zone in use (all offsets are multiples of 15 minutes)."""
    now = now or utc_now()
    settings = load_settings(store)
    clock = DayClock(settings.day_start_hour)
    scheduler = scheduler_for(settings)
    today = _study_day(clock, now)
    per_day: Counter[date] = Counter()
    reviews_by_day: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATE_NAMES, 0))
    time_by_day: Counter[date] = Counter()
    retention = {period: [[0, 0], [0, 0]] for period in RETENTION_PERIODS}  # young, mature
    first_day = today - timedelta(days=364)
    day_of = _quarter_days(clock, now)
    for (quarter, answers, *state_counts, duration, young, young_passed, mature,
         mature_passed) in store.quarter_sums():
        day = day_of(quarter)
        age = (today - day).days if day is not None else 365
        if age < 365 and day is not None:
            per_day[day] += answers
            by_state = reviews_by_day[day]
            for name, count in zip(STATE_NAMES, state_counts, strict=True):
                by_state[name] += count
            time_by_day[day] += duration
        for period in _periods(age):
            for bucket, (passed, total) in enumerate(((young_passed, young),
                                                      (mature_passed, mature))):
                retention[period][bucket][0] += passed
                retention[period][bucket][1] += total
    heatmap = {first_day + timedelta(days=i): per_day.get(first_day + timedelta(days=i), 0)
               for i in range(365)}
    current, longest = _streaks(heatmap, today)
    rows = store.card_rows()
    cards_here = {card.id for card in library.cards}
    suspended = {cid for cid, status in store.card_statuses().items()
                 if status.suspended and cid in cards_here}
    forecast_year = [0] * 365
    overdue = 0
    states = dict.fromkeys(("new", "learning", "young", "mature", "suspended"), 0)
    states["suspended"] = len(suspended)
    states["new"] = sum(1 for cid in cards_here if cid not in rows and cid not in suspended)
    stability, difficulty, recall = [], [], []
    r_by_card: dict[str, float] = {}
    # The starts of today and the next 365 study days: a due time's day by bisection.
    starts = [clock.day_start(now).timestamp()]
    for _ in range(365):
        starts.append(clock.next_day_start(datetime.fromtimestamp(starts[-1], UTC)).timestamp())
    recall_of = scheduler.fsrs.get_card_retrievability
    for card_id, card_row in rows.items():
        if card_id not in cards_here:
            continue
        # The JSON read directly (FsrsCard.from_json is ~4x slower): what FSRS needs for the
        # recall probability, and the memory state.
        memory = json.loads(card_row.fsrs_json)
        last_review = (datetime.fromisoformat(memory["last_review"])
                       if memory.get("last_review") else None)
        card_stability, card_difficulty = memory.get("stability"), memory.get("difficulty")
        if card_id not in suspended:  # a suspended card is counted as suspended only
            due_day = bisect_right(starts, card_row.due.timestamp()) - 1
            if due_day <= 0:
                forecast_year[0] += 1
                overdue += due_day < 0
            elif due_day < 365:
                forecast_year[due_day] += 1
            if card_row.state in LEARNING_STATES:
                states["learning"] += 1
            else:
                due = datetime.fromisoformat(memory["due"])
                interval = (due - (last_review or due)).days
                states["mature" if interval >= MATURE_DAYS else "young"] += 1
        if card_stability is not None and card_difficulty is not None:
            stability.append(float(card_stability))
            difficulty.append(float(card_difficulty))
        if last_review is not None:
            r = float(recall_of(FsrsCard(card_id=1, stability=card_stability,
                                         last_review=last_review), now))
            recall.append(r)
            r_by_card[card_id] = r
    return Statistics(
        today=today, heatmap=heatmap, current_streak=current, longest_streak=longest,
        forecast=forecast_year[:30], forecast_year=forecast_year, overdue=overdue,
        reviews_by_day={d: v for d, v in reviews_by_day.items()},
        time_by_day=dict(time_by_day),
        retention={p: Retention(tuple(v[0]), tuple(v[1]))  # type: ignore[arg-type]
                   for p, v in retention.items()},
        states=states, stability_days=stability, difficulty=difficulty, retrievability=recall,
        weak_topics=_weak_topics(library, store, r_by_card),
        quiz_trend=_trend(store, clock, "select answered_at, correct from quiz_answers"),
        interview_trend=_trend(store, clock, "select answered_at, coalesce(score, "
                               "(self_grade - 1) / 3.0) from interview_answers"),
        fsrs_parameters=[float(w) for w in scheduler.fsrs.parameters],
        deck_titles={d.id: (d.title.ko, d.title.en) for d in library.decks},
    )


def _quarter_days(clock: DayClock, now: datetime) -> Callable[[int], date | None]:
    """The study day of each quarter of an hour (seconds since the epoch // 900): looked up
    among the starts of the last 366 study days; a later quarter (a clock set back since) is
    computed; an earlier one, or -1 (not a time), has none (it only counts for all time)."""
    starts = [clock.day_start(now)]
    for _ in range(366):
        starts.append(clock.day_start(starts[-1] - timedelta(hours=1)))
    starts.reverse()  # oldest first
    bounds = [int(start.timestamp()) // 900 for start in starts]
    days = [_study_day(clock, start) for start in starts]
    end = int(clock.next_day_start(now).timestamp()) // 900

    def day_of(quarter: int) -> date | None:
        if quarter < bounds[0]:
            return None
        if quarter >= end:
            return _study_day(clock, datetime.fromtimestamp(quarter * 900, UTC))
        return days[bisect_right(bounds, quarter) - 1]

    return day_of


def _study_day(clock: DayClock, moment: datetime) -> date:
    start = clock.day_start(moment).astimezone(clock.tz)
    return (start + timedelta(hours=12)).date()  # the calendar day the study day mostly is


def _periods(age: int) -> Iterable[str]:
    yield "all_time"
    if age == 0:
        yield "today"
    if age == 1:
        yield "yesterday"
    for days, name in ((7, "last_7_days"), (30, "last_30_days"), (365, "last_365_days")):
        if age < days:
            yield name


def _streaks(heatmap: dict[date, int], today: date) -> tuple[int, int]:
    """The current streak (days in a row with reviews, up to today — or up to yesterday while
    today has none yet) and the longest in the calendar."""
    longest = run = 0
    for day in sorted(heatmap):
        run = run + 1 if heatmap[day] else 0
        longest = max(longest, run)
    current = 0
    day = today if heatmap.get(today) else today - timedelta(days=1)
    while heatmap.get(day):
        current += 1
        day -= timedelta(days=1)
    return current, longest


def _weak_topics(library: Library, store: ProgressStore,
                 r_by_card: dict[str, float]) -> list[WeakTopic]:
    summary = store.review_summary()
    answers: Counter[str] = Counter({cid: n for cid, (n, _a, _l) in summary.items()})
    agains: Counter[str] = Counter({cid: a for cid, (_n, a, _l) in summary.items()})
    lapses: Counter[str] = Counter({cid: lapsed for cid, (_n, _a, lapsed) in summary.items()})
    quiz_misses = Counter(cid for (cid,) in store.conn.execute(
        "select card_id from quiz_answers where correct = 0"))
    interview_misses = Counter(cid for (cid,) in store.conn.execute(
        "select card_id from interview_answers where coalesce(score, (self_grade - 1) / 3.0) "
        "< 0.5"))
    # Every card's figures added to its deck's and its tags' in one pass, in content order
    # (so the recall means are summed in the same order as card by card).
    groups: dict[tuple[str, str], list[float]] = {}
    for card in library.cards:
        cid = card.id
        values = (answers[cid], agains[cid], lapses[cid], quiz_misses[cid],
                  interview_misses[cid])
        recall = r_by_card.get(cid)
        for key in (("deck", card.deck), *(("tag", tag) for tag in card.tags)):
            group = groups.get(key)
            if group is None:
                group = groups[key] = [0, 0, 0, 0, 0, 0, 0.0, 0]
            group[0] += 1
            for i, value in enumerate(values, start=1):
                group[i] += value
            if recall is not None:
                group[6] += recall
                group[7] += 1
    topics = []
    for (kind, name), (cards, n_answers, n_again, n_lapses, n_quiz, n_interview, recall_sum,
                       recalled) in groups.items():
        if not n_answers and not (n_quiz or n_interview):
            continue
        topics.append(WeakTopic(
            kind=kind, name=name, cards=int(cards), answers=int(n_answers),
            again_rate=n_again / n_answers if n_answers else 0.0,
            lapses=int(n_lapses), quiz_misses=int(n_quiz), interview_misses=int(n_interview),
            mean_retrievability=recall_sum / recalled if recalled else None))
    total_answers = sum(answers.values())
    prior = sum(agains.values()) / total_answers if total_answers else 0.0

    def weakness(topic: WeakTopic) -> float:
        shrunk = (topic.again_rate * topic.answers + prior * PRIOR_ANSWERS) / (
            topic.answers + PRIOR_ANSWERS)
        misses = topic.quiz_misses + topic.interview_misses
        return shrunk + 0.02 * misses + 0.1 * (1 - (topic.mean_retrievability or 1.0))

    scored = [replace(topic, weakness=weakness(topic)) for topic in topics]
    return sorted(scored, key=lambda topic: topic.weakness, reverse=True)


def _trend(store: ProgressStore, clock: DayClock, sql: str) -> list[tuple[date, float, int]]:
    """Per study day: the mean of the second column, and how many answers."""
    sums: dict[date, list[float]] = defaultdict(list)
    for answered_at, value in store.conn.execute(sql):
        if value is not None:
            sums[_study_day(clock, datetime.fromisoformat(answered_at))].append(float(value))
    return [(day, sum(values) / len(values), len(values)) for day, values in sorted(sums.items())]
