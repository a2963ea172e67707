"""A simulated learner whose memory is not FSRS's default, for the FSRS fitting tests.

The app schedules the learner's reviews with its own scheduler at FSRS-6's default parameters
(as before any ``optimize``); whether the learner recalls a card is drawn from the card's
retrievability under ``TRUE_PARAMETERS``, which forget faster than the defaults assume. The log
is written in the FSRS CSV schema, to be brought in with ``import``.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Card, Rating, Scheduler

from quizapp.store import CardRow
from quizapp.study.scheduling import DEFAULT_PARAMETERS, CardScheduler

#: The learner's memory: lower initial stabilities and slower growth than FSRS-6's defaults.
TRUE_PARAMETERS = (0.1, 0.5, 1.0, 3.0, *DEFAULT_PARAMETERS[4:8], 1.2,
                   *DEFAULT_PARAMETERS[9:20], 0.4)
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)  # every answer falls between 09:00 and 11:00 UTC
FIRST_RATING = ((1, 2, 3, 4), (0.24, 0.094, 0.495, 0.171))  # fsrs-rs simulator defaults
RECALL_RATING = ((2, 3, 4), (0.224, 0.631, 0.145))
COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")


@dataclass(frozen=True)
class Row:
    card: int
    time_ms: int
    rating: int
    state: int
    duration_ms: int

    def cells(self) -> tuple[int, int, int, int, int]:
        return (self.card, self.time_ms, self.rating, self.state, self.duration_ms)


def simulate(cards: Sequence[int], days: int = 365, new_per_day: int = 20, seed: int = 1,
             start: datetime = START) -> list[Row]:
    """The answers of the learner to ``cards`` (CSV card numbers) over ``days`` days."""
    rng = random.Random(seed)
    app = CardScheduler()
    memory = Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    end = start + timedelta(days=days)
    rows = []
    for index, number in enumerate(cards):
        card_id = str(number)
        when = start + timedelta(days=index // new_per_day, minutes=index % new_per_day)
        row = None
        true_card = Card(card_id=index + 1, due=when)
        while when < end:
            if row is None:
                rating = rng.choices(*FIRST_RATING)[0]
            elif rng.random() < memory.get_card_retrievability(true_card, when):
                rating = rng.choices(*RECALL_RATING)[0]
            else:
                rating = 1
            duration = rng.randint(2000, 20000)
            review = app.review(card_id, row, rating, when, duration)
            rows.append(Row(number, int(when.timestamp()) * 1000, rating, review.state_before,
                            duration))
            true_card, _ = memory.review_card(true_card, Rating(rating), when)
            row = CardRow(card_id, review.fsrs_after, review.state_after, review.due_after)
            if review.due_after - when < timedelta(days=1):
                when = review.due_after  # a learning step, later the same day
            else:  # review days: 10:00 UTC plus a few minutes
                due = review.due_after
                when = datetime(due.year, due.month, due.day, 10, index % 50, tzinfo=UTC)
    rows.sort(key=lambda r: (r.time_ms, r.card))
    return rows


def write_csv(path: Path, rows: Sequence[Row], header: Sequence[str] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(row.cells() for row in rows)
    return path
