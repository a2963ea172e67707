"""A simulated learner who studies every day: a year of real-looking review history written
through the real scheduler and store (for statistics tests, screenshots and benchmarks).

Each study day at 9:00 UTC the learner introduces up to ``new_per_day`` new cards and answers
every card due; whether a card is recalled is drawn from its FSRS retrievability at that moment
times ``skill``, so weaker learners (skill < 1) lapse more. Answers are Again when forgotten,
else mostly Good with some Hard and Easy.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from fsrs import Card as FsrsCard

from quizapp.store import CardRow, ProgressStore
from quizapp.study.scheduling import CardScheduler


def simulate(store: ProgressStore, card_ids: Sequence[str], days: int, end: datetime,
             new_per_day: int = 10, skill: float = 1.0, seed: int = 0,
             skip_days: Sequence[int] = ()) -> int:
    """Write ``days`` days of reviews ending on the day before ``end``; returns how many."""
    rng = random.Random(seed)
    scheduler = CardScheduler()
    rows: dict[str, CardRow] = {}
    unseen = list(card_ids)
    written = 0
    for day in range(days):
        if day in skip_days:
            continue
        start = (end - timedelta(days=days - day)).replace(hour=9, minute=0, second=0,
                                                           microsecond=0)
        now = start
        due = [cid for cid, row in rows.items() if row.due <= start + timedelta(hours=12)]
        for card_id in [*due, *unseen[:new_per_day]]:
            row = rows.get(card_id)
            rating = _rating(rng, scheduler, row, now, skill)
            review = scheduler.review(card_id, row, rating, now, rng.randint(3000, 30000))
            store.record_review(card_id, lambda _row, r=review: r)
            rows[card_id] = CardRow(card_id, review.fsrs_after, review.state_after,
                                    review.due_after)
            written += 1
            now += timedelta(seconds=rng.randint(10, 40))
        del unseen[:new_per_day]
    return written


def _rating(rng: random.Random, scheduler: CardScheduler, row: CardRow | None, now: datetime,
            skill: float) -> int:
    if row is None:
        return rng.choice((1, 3, 3, 3, 4))
    card = FsrsCard.from_json(row.fsrs_json)
    recall = float(scheduler.fsrs.get_card_retrievability(card, now)) * skill
    if rng.random() > recall:
        return 1
    return rng.choices((2, 3, 4), weights=(1, 7, 2))[0]


UTC_NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
