"""Today's queue: learning cards and due reviews first, then new cards up to the daily limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from quizapp.content import Card
from quizapp.store import CardRow

LEARNING_STATES = (1, 3)  # fsrs Learning, Relearning
REVIEW_STATE = 2
#: When nothing else is left, learning cards due this soon are shown early (Anki's default).
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class StudySettings:
    """The user's scheduling settings (stored in the database's config table)."""

    new_per_day: int = 20
    day_start_hour: int = 4
    desired_retention: float = 0.9


@dataclass
class DailyQueue:
    """Card ids to study now, in order, and what comes later today."""

    learning: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    next_due: datetime | None = None  # when the next card not in the queue becomes due

    @property
    def order(self) -> list[str]:
        return [*self.learning, *self.review, *self.new]

    def __len__(self) -> int:
        return len(self.learning) + len(self.review) + len(self.new)


def build_queue(
    cards: Sequence[Card],
    rows: Mapping[str, CardRow],
    now: datetime,
    day_end: datetime,
    new_allowance: int,
) -> DailyQueue:
    """Build the queue over ``cards`` (content order) from their stored progress at ``now``.

    ``day_end`` is the start of the next study day; ``new_allowance`` is how many new cards may
    still be introduced today. Review cards are due for the whole study day they fall in;
    learning cards at their minute, or up to ``LEARN_AHEAD`` early when nothing else is left.
    """
    learning: list[tuple[datetime, str]] = []
    review: list[tuple[datetime, str]] = []
    new: list[str] = []
    later: list[datetime] = []
    for card in cards:
        row = rows.get(card.id)
        if row is None:
            if len(new) < new_allowance:
                new.append(card.id)
            else:
                later.append(day_end)  # more new cards tomorrow
        elif row.state in LEARNING_STATES:
            learning.append((row.due, card.id))
        else:
            review.append((row.due, card.id))
    # Reviews are due by study day, as in Anki; learning steps by the minute.
    due_review = [cid for due, cid in sorted(review) if due < day_end]
    cutoff = now if due_review or new else now + LEARN_AHEAD
    due_learning = [cid for due, cid in sorted(learning) if due <= cutoff]
    later += [due for due, _ in learning if due > cutoff]
    later += [due for due, _ in review if due >= day_end]
    return DailyQueue(
        learning=due_learning,
        review=due_review,
        new=new,
        next_due=min(later, default=None),
    )
