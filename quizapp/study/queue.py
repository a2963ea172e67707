"""Today's queue: learning cards and due reviews first, then new cards up to the daily limits.

New-card limits work as Anki's deck options: each deck has its own daily limit (20 unless set)
and all decks together have one on top (20 unless set). Studying one deck takes new cards while
both allow; studying all decks takes them deck by deck in order, each within its own limit,
until the all-decks limit is reached.

Counts (what the review header and the home screen show):
- new: the new cards today's queue will still introduce;
- learning: cards in (re)learning steps that come back today, whether due now or in a few
  minutes (so grading a new card Again/Hard/Good moves it from new to learning at once);
- review: review cards due today.
``stats``' ``learning`` counts every card in a learning state; the two agree except for a
relearning step that falls on a later day.

Suspended cards, and cards buried until a later study day, are not in the queue and not
counted (as in Anki); a buried new card does not use up a new-card slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from quizapp.content import Card
from quizapp.store import NO_STATUS, CardRow, CardStatus, LeechRule

LEARNING_STATES = (1, 3)  # fsrs Learning, Relearning
REVIEW_STATE = 2
#: When nothing else is left, learning cards due this soon are shown early (Anki's default).
LEARN_AHEAD = timedelta(minutes=20)

NewLimit = Literal["deck", "all"]  # which daily limit stopped new cards
LeechAction = Literal["suspend", "tag"]
LEECH_ACTIONS: tuple[LeechAction, ...] = ("suspend", "tag")


@dataclass(frozen=True)
class StudySettings:
    """The user's scheduling settings (stored in the database's config table)."""

    new_per_day: int = 20  # all decks together
    deck_new_per_day: int = 20  # each deck, unless ``deck_limits`` names it
    deck_limits: Mapping[str, int] = field(default_factory=dict)
    day_start_hour: int = 4
    desired_retention: float = 0.9
    leech_threshold: int = 8  # lapses that make a card a leech (Anki's default); 0: never
    leech_action: LeechAction = "suspend"  # "suspend": tag and suspend; "tag": tag only
    #: Learning and relearning steps in seconds (Anki's and py-fsrs's defaults: 1m 10m; 10m).
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    #: The 21 FSRS parameters to schedule with (None: FSRS-6's defaults). Kept under their own
    #: config key and written only by ``study.fsrs_fit.use_parameters`` (``optimize``).
    fsrs_parameters: tuple[float, ...] | None = None

    def deck_limit(self, deck_id: str) -> int:
        return int(self.deck_limits.get(deck_id, self.deck_new_per_day))

    def leech_rule(self) -> LeechRule:
        return LeechRule(self.leech_threshold, self.leech_action != "tag")


@dataclass(frozen=True)
class NewAllowance:
    """How many new cards may still be introduced today: in all, and per deck."""

    total: int
    decks: Mapping[str, int]

    def for_deck(self, deck_id: str) -> int:
        return self.decks.get(deck_id, 0)


@dataclass
class DailyQueue:
    """Card ids to study now, in order, and what comes later today."""

    learning: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    learning_later: int = 0  # learning cards that come back later today
    next_due: datetime | None = None  # when the next card not in the queue becomes due
    new_left: int = 0  # new cards in scope that today's limits hold back
    new_stopped_by: NewLimit | None = None  # the limit that holds them back

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
    allowance: NewAllowance,
    statuses: Mapping[str, CardStatus] | None = None,
) -> DailyQueue:
    """Build the queue over ``cards`` (content order) from their stored progress at ``now``.

    ``day_end`` is the start of the next study day; ``allowance`` how many new cards may still
    be introduced today. Review cards are due for the whole study day they fall in; learning
    cards at their minute, or up to ``LEARN_AHEAD`` early when nothing else is left. Cards
    whose status (``statuses``) is suspended, or buried until after ``now``, are left out.
    """
    learning: list[tuple[datetime, str]] = []
    review: list[tuple[datetime, str]] = []
    new: list[str] = []
    taken: dict[str, int] = {}
    held: dict[NewLimit, int] = {"deck": 0, "all": 0}
    statuses = statuses or {}
    for card in cards:
        status = statuses.get(card.id, NO_STATUS)
        if status.suspended or status.buried(now):
            continue
        row = rows.get(card.id)
        if row is None:
            if len(new) >= allowance.total:
                held["all"] += 1
            elif taken.get(card.deck, 0) >= allowance.for_deck(card.deck):
                held["deck"] += 1
            else:
                new.append(card.id)
                taken[card.deck] = taken.get(card.deck, 0) + 1
        elif row.state in LEARNING_STATES:
            learning.append((row.due, card.id))
        else:
            review.append((row.due, card.id))
    # Reviews are due by study day, as in Anki; learning steps by the minute.
    due_review = [cid for due, cid in sorted(review) if due < day_end]
    cutoff = now if due_review or new else now + LEARN_AHEAD
    due_learning = [cid for due, cid in sorted(learning) if due <= cutoff]
    later = [due for due, _ in learning if due > cutoff]
    later += [due for due, _ in review if due >= day_end]
    left = held["deck"] + held["all"]
    if left:
        later.append(day_end)  # more new cards tomorrow
    return DailyQueue(
        learning=due_learning,
        review=due_review,
        new=new,
        learning_later=sum(1 for due, _ in learning if cutoff < due < day_end),
        next_due=min(later, default=None),
        new_left=left,
        new_stopped_by=None if not left else ("all" if held["all"] else "deck"),
    )
