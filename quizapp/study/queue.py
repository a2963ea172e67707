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

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from quizapp.content import Card
from quizapp.store import NO_STATUS, CardRow, CardStatus, LeechRule, QueueRow

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
    rows: Mapping[str, CardRow | QueueRow],
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


class QueueIndex:
    """``build_queue`` kept up to date card by card: the cards of one scope (a deck, all decks,
    a tag) sorted the way the queue takes them, so that after a grade only the graded card
    moves (a few microseconds for 10,000 cards) instead of every card being sorted again.

    ``queue(now, day_end, allowance)`` gives exactly what ``build_queue`` gives for the same
    cards, rows and statuses (``tests/unit/study/test_queue_index.py`` compares them on
    simulated histories, grade after grade).
    """

    def __init__(self, cards: Sequence[Card], rows: Mapping[str, QueueRow | CardRow],
                 statuses: Mapping[str, CardStatus]) -> None:
        self._position = {card.id: i for i, card in enumerate(cards)}
        self._deck = {card.id: card.deck for card in cards}
        self._ids = [card.id for card in cards]
        self._rows: dict[str, QueueRow] = {}
        self._statuses: dict[str, CardStatus] = {}
        for card in cards:
            row = rows.get(card.id)
            if row is not None:
                self._rows[card.id] = QueueRow(row.state, row.due)
            status = statuses.get(card.id)
            if status is not None and not status.is_default:
                self._statuses[card.id] = status
        self._rebuild(None)

    def _rebuild(self, now: datetime | None) -> None:
        """Sort every card into its list, as of ``now`` for burial (None: as buried until
        their time)."""
        self._learning: list[tuple[datetime, str]] = []
        self._review: list[tuple[datetime, str]] = []
        self._new: list[int] = []  # positions in content order
        self._new_by_deck: dict[str, list[int]] = {}
        #: Buried cards left out until their time, soonest first: (until, card id).
        self._buried: list[tuple[datetime, str]] = []
        self._as_of = now
        for card_id in self._ids:
            self._place(card_id, now)
        self._learning.sort()
        self._review.sort()
        self._buried.sort()

    def _place(self, card_id: str, now: datetime | None, insort: bool = False) -> None:
        status = self._statuses.get(card_id, NO_STATUS)
        if status.suspended:
            return
        if status.buried_until is not None and (now is None or status.buried_until > now):
            self._add(self._buried, (status.buried_until, card_id), insort)
            return
        row = self._rows.get(card_id)
        if row is None:
            position = self._position[card_id]
            self._add(self._new, position, insort)
            self._add(self._new_by_deck.setdefault(self._deck[card_id], []), position, insort)
        elif row.state in LEARNING_STATES:
            self._add(self._learning, (row.due, card_id), insort)
        else:
            self._add(self._review, (row.due, card_id), insort)

    @staticmethod
    def _add(items: list[Any], item: Any, insort: bool) -> None:
        if insort:
            bisect.insort(items, item)
        else:
            items.append(item)

    def _remove(self, card_id: str) -> None:
        """Take ``card_id`` out of whichever list holds it (as placed now)."""
        status = self._statuses.get(card_id, NO_STATUS)
        if status.suspended:
            return
        held: list[tuple[list[Any], Any]] = (
            [(self._buried, (status.buried_until, card_id))] if status.buried_until else [])
        row = self._rows.get(card_id)
        if row is None:
            position = self._position[card_id]
            held += [(self._new, position), (self._new_by_deck.get(self._deck[card_id], []),
                                             position)]
        else:
            held.append((self._learning if row.state in LEARNING_STATES else self._review,
                         (row.due, card_id)))
        for items, item in held:
            index = bisect.bisect_left(items, item)
            if index < len(items) and items[index] == item:
                del items[index]

    def __contains__(self, card_id: str) -> bool:
        return card_id in self._position

    def update(self, card_id: str, row: QueueRow | CardRow | None, status: CardStatus) -> None:
        """Card ``card_id`` now has ``row`` (None: new) and ``status``; a card outside this
        scope is ignored."""
        if card_id not in self._position:
            return
        self._remove(card_id)
        if row is None:
            self._rows.pop(card_id, None)
        else:
            self._rows[card_id] = QueueRow(row.state, row.due)
        if status.is_default:
            self._statuses.pop(card_id, None)
        else:
            self._statuses[card_id] = status
        self._place(card_id, self._as_of, insort=True)

    def queue(self, now: datetime, day_end: datetime, allowance: NewAllowance) -> DailyQueue:
        """Today's queue at ``now``: what ``build_queue`` gives."""
        if self._as_of is not None and now < self._as_of:
            self._rebuild(None)  # the clock went back: burials count again
        while self._buried and self._buried[0][0] <= now:  # burials that have ended
            _until, card_id = self._buried.pop(0)
            self._place(card_id, now, insort=True)
        self._as_of = now
        new, held_deck, held_all = self._new_cards(allowance)
        review_end = bisect.bisect_left(self._review, day_end, key=_due)
        due_review = [card_id for _due, card_id in self._review[:review_end]]
        cutoff = now if due_review or new else now + LEARN_AHEAD
        learning_end = bisect.bisect_right(self._learning, cutoff, key=_due)
        due_learning = [card_id for _due, card_id in self._learning[:learning_end]]
        later_learning = bisect.bisect_left(self._learning, day_end, key=_due)
        left = held_deck + held_all
        later = [self._learning[learning_end][0]] if learning_end < len(self._learning) else []
        if review_end < len(self._review):
            later.append(self._review[review_end][0])
        if left:
            later.append(day_end)
        return DailyQueue(
            learning=due_learning,
            review=due_review,
            new=new,
            learning_later=max(0, later_learning - learning_end),
            next_due=min(later, default=None),
            new_left=left,
            new_stopped_by=None if not left else ("all" if held_all else "deck"),
        )

    def _new_cards(self, allowance: NewAllowance) -> tuple[list[str], int, int]:
        """The new cards today's limits let in, and how many the deck limits and the all-decks
        limit hold back. Going through the new cards in content order, ``build_queue`` takes a
        card while fewer than ``allowance.total`` are taken and its deck has room: so it takes
        the first ``total`` (in content order) of the cards that are among the first
        ``allowance.for_deck(deck)`` new cards of their deck, and every card after the last
        one taken (once the total is reached) is held back by the all-decks limit."""
        total = max(0, allowance.total)
        candidates = sorted(position for deck, positions in self._new_by_deck.items()
                            for position in positions[:max(0, allowance.for_deck(deck))])
        taken = candidates[:total]
        if len(candidates) >= total:
            last = taken[-1] if taken else -1  # total 0: every new card is held by "all"
            held_all = len(self._new) - bisect.bisect_right(self._new, last)
        else:
            held_all = 0
        held_deck = len(self._new) - len(taken) - held_all
        return [self._ids[position] for position in taken], held_deck, held_all


def _due(entry: tuple[datetime, str]) -> datetime:
    return entry[0]


def count_scopes(cards: Sequence[Card], rows: Mapping[str, QueueRow | CardRow],
                 statuses: Mapping[str, CardStatus], now: datetime, day_end: datetime,
                 allowance: NewAllowance) -> dict[str | None, tuple[int, int, int]]:
    """The counts (new, learning, review) of ``build_queue`` for all of ``cards`` (key None)
    and for each deck's cards alone, in one pass (the home screen shows them all):

    - review: review cards due before ``day_end``;
    - new: for one deck, min(total, the deck's allowance, its new cards); for all decks, the
      first ``total`` of the cards within their deck's allowance (see ``QueueIndex``);
    - learning: learning cards due now (or up to ``LEARN_AHEAD`` early when the scope has no
      review or new card) plus those due later today, i.e. those due before ``day_end`` or by
      the cut-off.
    """
    new: dict[str, int] = {}
    review: dict[str, int] = {}
    learning: dict[str, list[datetime]] = {}
    for card in cards:
        status = statuses.get(card.id)
        if status is not None and (status.suspended or status.buried(now)):
            continue
        row = rows.get(card.id)
        deck = card.deck
        if row is None:
            new[deck] = new.get(deck, 0) + 1
        elif row.state in LEARNING_STATES:
            learning.setdefault(deck, []).append(row.due)
        elif row.due < day_end:
            review[deck] = review.get(deck, 0) + 1
    total = max(0, allowance.total)
    within = {deck: min(count, max(0, allowance.for_deck(deck))) for deck, count in new.items()}

    def counts(new_count: int, review_count: int, dues: list[datetime]) -> tuple[int, int, int]:
        cutoff = now if review_count or new_count else now + LEARN_AHEAD
        return (new_count, sum(1 for due in dues if due < day_end or due <= cutoff),
                review_count)

    result: dict[str | None, tuple[int, int, int]] = {
        None: counts(min(total, sum(within.values())), sum(review.values()),
                     [due for dues in learning.values() for due in dues])}
    for deck in {card.deck for card in cards}:
        result[deck] = counts(min(total, within.get(deck, 0)), review.get(deck, 0),
                              learning.get(deck, []))
    return result
