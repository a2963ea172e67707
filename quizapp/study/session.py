"""A study session: the current card, what each grade would give, grading and undo.

The queue is brought up to date from the database after every grade, so what the user sees
always matches what is stored: the session keeps its cards sorted in a ``QueueIndex`` and asks
the store which cards changed since it last read (``ProgressStore.changed_cards``): after its
own grade only that card is read again and moved; after anything else (another window's
grade, an import) every card is read again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from quizapp.content import Card, Library
from quizapp.store import ProgressStore, Undone, Version
from quizapp.study.clock import DayClock, utc_now
from quizapp.study.limits import add_new_today, new_allowance
from quizapp.study.queue import DailyQueue, QueueIndex, StudySettings
from quizapp.study.settings import load_settings

if TYPE_CHECKING:
    from quizapp.study.scheduling import CardScheduler


@dataclass(frozen=True)
class Counts:
    """What is left today: new, learning and review cards (Anki's blue/red/green)."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


class StudySession:
    """Studies the cards of one deck (or of all decks when ``deck_id`` is None), or only those
    with ``tag``."""

    def __init__(
        self,
        library: Library,
        store: ProgressStore,
        deck_id: str | None = None,
        now: Callable[[], datetime] = utc_now,
        settings: StudySettings | None = None,
        clock: DayClock | None = None,
        tag: str | None = None,
    ) -> None:
        self.library = library
        self.store = store
        self.deck_id = deck_id
        self.tag = tag
        self.now = now
        self.settings = settings or load_settings(store)
        self.clock = clock or DayClock(self.settings.day_start_hour)
        self._scheduler: CardScheduler | None = None
        self.queue = DailyQueue()
        self._index: QueueIndex | None = None
        self._index_library: Library | None = None
        self._index_version: Version | None = None
        self.refresh()

    @property
    def scheduler(self) -> CardScheduler:
        """The FSRS scheduler of this session's settings (py-fsrs is imported when the first
        answer is shown, not before the first question)."""
        if self._scheduler is None:
            from quizapp.study.settings import scheduler_for

            self._scheduler = scheduler_for(self.settings)
        return self._scheduler

    def refresh(self) -> None:
        """Bring the queue up to date with the database at the current time."""
        now = self.now()
        index = self._current_index()
        allowance = new_allowance(self.library, self.store, self.settings,
                                  self.clock.day_start(now))
        self.queue = index.queue(now, self.clock.next_day_start(now), allowance)

    def _current_index(self) -> QueueIndex:
        """The index of this session's cards, with every change since it was last read."""
        version = self.store.version()
        changed = self.store.changed_cards(self._index_version)
        if self._index is None or changed is None or self._index_library is not self.library:
            self._index = scope_index(self.library, self.store, self.deck_id, self.tag)
            self._index_library = self.library
        else:
            for card_id in changed:
                if card_id in self._index:
                    self._index.update(card_id, self.store.card_row(card_id),
                                       self.store.card_status(card_id))
        self._index_version = version
        return self._index

    @property
    def current(self) -> Card | None:
        order = self.queue.order
        return self.library.card(order[0]) if order else None

    @property
    def counts(self) -> Counts:
        return queue_counts(self.queue)

    @property
    def next_due(self) -> datetime | None:
        """When the next card comes due later today (None: nothing more today)."""
        return self.queue.next_due

    def intervals(self) -> dict[int, timedelta]:
        """For the current card: the interval each grade (1-4) would give now."""
        card = self._require_current()
        outcomes = self.scheduler.outcomes(card.id, self.store.card_row(card.id), self.now())
        return {rating: outcome.interval for rating, outcome in outcomes.items()}

    def grade(self, rating: int, duration_ms: int = 0) -> int | None:
        """Record ``rating`` (1-4) for the current card; it is on disk when this returns.

        Returns the card's lapse count when this grade made it a leech (tagged, and suspended
        unless the settings say "tag only"), else None."""
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, got {rating}")
        card = self._require_current()
        now = self.now()
        # The review is built from the card's row as read inside the write transaction, so a
        # second process grading the same collection can never make us schedule from a stale
        # state or log a second "first review". A leech is tagged in that transaction too.
        log_id = self.store.record_review(card.id, lambda row: self.scheduler.review(
            card.id, row, rating, now, duration_ms), leech=self.settings.leech_rule())
        self.refresh()
        return self.store.leech_lapses(log_id) if rating == 1 else None

    def add_new_cards(self, count: int) -> None:
        """Let ``count`` more new cards come today in this session's deck (or all decks)."""
        add_new_today(self.store, self.clock.day_start(self.now()), self.deck_id, count)
        self.refresh()

    def undo(self) -> str | None:
        """Undo the newest grade (card state and log row) or card action; returns the (first)
        card id it restored.

        Raises ``UndoConflictError`` (nothing changed) when that card was graded again elsewhere."""
        undone = self.undo_last()
        return undone.card_id if undone else None

    def undo_last(self) -> Undone | None:
        """Undo the newest grade or card action and rebuild the queue; returns what was undone."""
        undone = self.store.undo_last()
        self.refresh()
        return undone

    def _require_current(self) -> Card:
        card = self.current
        if card is None:
            raise RuntimeError("no card to study")
        return card


def grade_again(store: ProgressStore, card_ids: Sequence[str], now: datetime,
                settings: StudySettings | None = None) -> list[int]:
    """Grade each card Again at ``now``, exactly as a review grade does (the same scheduler,
    the same log row, on the same undo stack); returns the log ids. Used to send the cards a
    quiz or an interview showed to be weak to today's review."""
    from quizapp.study.settings import scheduler_for

    leech = (settings or load_settings(store)).leech_rule()
    scheduler = scheduler_for(settings or load_settings(store))

    def again(card_id: str) -> int:
        return store.record_review(card_id, lambda row: scheduler.review(card_id, row, 1, now, 0),
                                   leech=leech)

    return [again(card_id) for card_id in card_ids]


def queue_counts(queue: DailyQueue) -> Counts:
    """The counts shown for a queue (rules in ``study/queue.py``)."""
    return Counts(len(queue.new), len(queue.learning) + queue.learning_later, len(queue.review))


def scope_index(library: Library, store: ProgressStore, deck_id: str | None = None,
                tag: str | None = None) -> QueueIndex:
    """The queue index of one deck's cards (all decks: None), or of those with ``tag``."""
    cards = [c for c in library.cards_in(deck_id) if tag is None or tag in c.tags]
    return QueueIndex(cards, store.queue_rows(), store.card_statuses())


def daily_queue(
    library: Library,
    store: ProgressStore,
    now: datetime,
    settings: StudySettings,
    clock: DayClock,
    deck_id: str | None = None,
    tag: str | None = None,
) -> DailyQueue:
    """Today's queue for one deck (or all, or one tag) at ``now``, honouring the daily new-card
    limits."""
    allowance = new_allowance(library, store, settings, clock.day_start(now))
    return scope_index(library, store, deck_id, tag).queue(now, clock.next_day_start(now),
                                                          allowance)
