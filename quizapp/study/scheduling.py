"""FSRS scheduling (py-fsrs): what each grade would do to a card, and the review it records.

Interval fuzz is drawn from a generator seeded by the card and its last review, so the
interval printed on a grade button is exactly the one that grade then gives, and replaying a
card's history (``CardScheduler.replay``) gives back the states its grades gave.

One set of 21 FSRS-6 parameters drives everything: py-fsrs schedules with them here, and
fsrs-rs (``study/fsrs_fit.py``) fits and evaluates the same 21 numbers. They are py-fsrs's
defaults until ``optimize`` saves fitted ones (config key ``fsrs_parameters``).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS as _FSRS_DEFAULTS
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from quizapp.store import CardRow, Review

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
NEW_STATE = 0  # revlog's state for a card never reviewed (fsrs has no "new" state)
#: FSRS-6's default parameters (the same 21 numbers as fsrs-rs's DEFAULT_PARAMETERS).
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(float(w) for w in _FSRS_DEFAULTS)
#: The range py-fsrs accepts for each parameter.
PARAMETER_BOUNDS: tuple[tuple[float, float], ...] = tuple(
    zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))


def checked_parameters(values: object) -> tuple[float, ...] | None:
    """``values`` as 21 finite floats inside py-fsrs's bounds, or None when they are not."""
    if not isinstance(values, Sequence) or isinstance(values, str):
        return None
    if len(values) != len(PARAMETER_BOUNDS):
        return None
    result = []
    for value, (low, high) in zip(values, PARAMETER_BOUNDS, strict=True):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        number = float(value)
        if not (math.isfinite(number) and low <= number <= high):
            return None
        result.append(number)
    return tuple(result)


@dataclass(frozen=True)
class Outcome:
    """What one grade does to a card: the new fsrs card and how long until it is due again."""

    rating: int
    card: FsrsCard
    interval: timedelta


def fsrs_id(card_id: str) -> int:
    """A stable positive integer for a content id (py-fsrs wants an int id)."""
    return int.from_bytes(hashlib.blake2b(card_id.encode(), digest_size=7).digest(), "big")


@dataclass(frozen=True)
class Answer:
    """One logged grade, as replayed: when, which rating, how long it took."""

    reviewed_at: datetime
    rating: int
    duration_ms: int = 0


@contextmanager
def _seeded_fuzz(seed: str) -> Iterator[None]:
    """py-fsrs fuzzes with the global ``random``; seed it for one call and restore it after."""
    saved = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(saved)


class CardScheduler:
    """Schedules cards with FSRS at a desired retention (0.9 by default) with the given 21
    parameters (FSRS-6's defaults when None) and learning/relearning steps in seconds."""

    def __init__(self, desired_retention: float = 0.9,
                 parameters: Sequence[float] | None = None,
                 learning_steps: Sequence[int] = (60, 600),
                 relearning_steps: Sequence[int] = (600,)) -> None:
        self.parameters = DEFAULT_PARAMETERS if parameters is None else tuple(parameters)
        self.fsrs = Scheduler(
            parameters=self.parameters, desired_retention=desired_retention,
            learning_steps=tuple(timedelta(seconds=s) for s in learning_steps),
            relearning_steps=tuple(timedelta(seconds=s) for s in relearning_steps))

    def outcomes(self, card_id: str, row: CardRow | None, now: datetime) -> dict[int, Outcome]:
        """The result of each of the four grades if given at ``now``."""
        return {int(rating): self.outcome(card_id, row, int(rating), now) for rating in RATINGS}

    def outcome(self, card_id: str, row: CardRow | None, rating: int,
                now: datetime) -> Outcome:
        """The result of grade ``rating`` at ``now`` (the same as ``outcomes(...)[rating]``)."""
        before = self._fsrs_card(card_id, row, now)
        seed = f"{card_id}:{before.last_review.isoformat() if before.last_review else 'new'}"
        with _seeded_fuzz(seed):
            after, _log = self.fsrs.review_card(before, Rating(rating), review_datetime=now)
        return Outcome(rating, after, after.due - now)

    def review(self, card_id: str, row: CardRow | None, rating: int, now: datetime,
               duration_ms: int) -> Review:
        """The review to record when ``card_id`` is graded ``rating`` at ``now``."""
        outcome = self.outcome(card_id, row, rating, now)
        after = outcome.card
        before = FsrsCard.from_json(row.fsrs_json) if row else None
        return Review(
            card_id=card_id,
            reviewed_at=now,
            rating=rating,
            state_before=int(before.state) if before else NEW_STATE,
            state_after=int(after.state),
            interval_before_s=_interval_s(before),
            interval_after_s=round(outcome.interval.total_seconds()),
            stability=after.stability,
            difficulty=after.difficulty,
            duration_ms=duration_ms,
            fsrs_before=row.fsrs_json if row else None,
            fsrs_after=after.to_json(),
            due_after=after.due,
        )

    def replay(self, card_id: str, answers: Iterable[Answer]) -> list[Review]:
        """The reviews a new card's grades give, in the order given (oldest first): each one
        is what ``review`` would have recorded had the grade been given then."""
        row: CardRow | None = None
        reviews = []
        for answer in answers:
            review = self.review(card_id, row, answer.rating, answer.reviewed_at,
                                 answer.duration_ms)
            reviews.append(review)
            row = CardRow(card_id, review.fsrs_after, review.state_after, review.due_after)
        return reviews

    @staticmethod
    def _fsrs_card(card_id: str, row: CardRow | None, now: datetime) -> FsrsCard:
        if row is not None:
            return FsrsCard.from_json(row.fsrs_json)
        return FsrsCard(card_id=fsrs_id(card_id), due=now)


def _interval_s(card: FsrsCard | None) -> int:
    if card is None or card.last_review is None:
        return 0
    return round((card.due - card.last_review).total_seconds())


def format_interval(interval: timedelta, lang: str) -> str:
    """Short interval label for a grade button: ``10분``/``10m``, ``3시간``/``3h``, ``4일``/``4d``,
    ``2.5개월``/``2.5mo``, ``1.2년``/``1.2y``."""
    seconds = max(interval.total_seconds(), 0)
    size, ko, en = next((u for u in _UNITS if seconds >= u[0]), _UNITS[-1])
    value = seconds / size
    text = f"{value:.1f}".rstrip("0").rstrip(".") if size >= _MONTH else str(max(1, round(value)))
    return f"{text}{ko if lang == 'ko' else en}"


_MONTH = 30 * 86400
_UNITS = (
    (365 * 86400, "년", "y"),
    (_MONTH, "개월", "mo"),
    (86400, "일", "d"),
    (3600, "시간", "h"),
    (60, "분", "m"),
)
