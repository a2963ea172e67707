"""Custom study, as Anki's: study on your own terms once today's queue is done.

- **Review ahead** ``days``: the reviewed cards due before the end of that many study days after
  today, soonest first; answers are graded as reviews (FSRS handles an early review).
- **Cram** a deck or tag: every card in it (new ones too) in a shuffled order, regardless of the
  schedule.
- **Flagged** or **leech** cards only (leeches are usually suspended; they are included).

Cram, flagged and leech answers change no schedule unless ``reschedule`` is chosen: each is
logged as a ``practice`` action (``ProgressStore.record_practice``) — on disk before the next
card, undoable like a grade — and FSRS never sees it. A card answered Again comes back at the
end of the session; any other answer takes it out. Suspended and buried cards are left out,
except that leech study includes suspended leeches. At most ``limit`` cards (Anki's 100).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from quizapp.content import Library
from quizapp.store import ProgressStore, Undone
from quizapp.study.clock import DayClock, utc_now
from quizapp.study.queue import DailyQueue, StudySettings
from quizapp.study.session import Counts, StudySession

CustomKind = Literal["ahead", "cram", "flagged", "leech"]
CUSTOM_KINDS: tuple[CustomKind, ...] = ("ahead", "cram", "flagged", "leech")
DEFAULT_LIMIT = 100
MAX_AHEAD_DAYS = 365


@dataclass(frozen=True)
class CustomStudy:
    """What to study: the kind, the scope (a deck, a tag, or everything), and its options."""

    kind: CustomKind
    deck_id: str | None = None
    tag: str | None = None
    days: int = 1  # review ahead: how many study days after today
    reschedule: bool = False  # cram, flagged, leech: answers change the schedule (FSRS)
    limit: int = DEFAULT_LIMIT
    seed: int = 0  # the cram order

    @property
    def reschedules(self) -> bool:
        return self.kind == "ahead" or self.reschedule

    def __post_init__(self) -> None:
        if self.kind not in CUSTOM_KINDS:
            raise ValueError(f"unknown custom study {self.kind!r}")
        if not 1 <= self.days <= MAX_AHEAD_DAYS:
            raise ValueError(f"review ahead 1-{MAX_AHEAD_DAYS} days, not {self.days}")
        if self.limit < 1:
            raise ValueError("a custom session holds at least one card")


def custom_cards(library: Library, store: ProgressStore, study: CustomStudy, now: datetime,
                 clock: DayClock) -> list[str]:
    """The cards of a custom session, in the order they are shown."""
    scope = [c.id for c in library.cards_in(study.deck_id)
             if study.tag is None or study.tag in c.tags]
    statuses = store.card_statuses()
    rows = store.card_rows()

    def available(card_id: str) -> bool:
        status = statuses.get(card_id)
        if status is None:
            return True
        if status.buried(now):
            return False
        return not status.suspended or (study.kind == "leech" and status.leech)

    picked = [card_id for card_id in scope if available(card_id)]
    if study.kind == "ahead":
        horizon = clock.next_day_start(now) + timedelta(days=study.days)
        due = [(rows[c].due, c) for c in picked if c in rows and rows[c].due < horizon]
        picked = [c for _due, c in sorted(due)]
    elif study.kind == "cram":
        random.Random(study.seed).shuffle(picked)
    elif study.kind == "flagged":
        picked = [c for c in picked if c in statuses and statuses[c].flag]
    else:
        picked = [c for c in picked if c in statuses and statuses[c].leech]
    return picked[:study.limit]


class CustomSession(StudySession):
    """A study session over ``custom_cards``; the review screen drives it like a daily one."""

    def __init__(self, library: Library, store: ProgressStore, study: CustomStudy,
                 now: Callable[[], datetime] = utc_now, settings: StudySettings | None = None,
                 clock: DayClock | None = None) -> None:
        self.study = study
        self._order: list[str] | None = None  # built on the first refresh
        self._history: list[tuple[str, bool]] = []  # (card, came back at the end), for undo
        super().__init__(library, store, study.deck_id, now, settings, clock, study.tag)

    def refresh(self) -> None:
        if self._order is None:
            self._order = custom_cards(self.library, self.store, self.study, self.now(),
                                       self.clock)
        present = [c for c in self._order if self.library.card(c) is not None]
        self.queue = DailyQueue(review=present)

    @property
    def counts(self) -> Counts:
        rows = self.store.card_rows()
        order = self.queue.review
        new = sum(1 for c in order if c not in rows)
        return Counts(new, 0, len(order) - new)

    def intervals(self) -> dict[int, timedelta]:
        """The intervals the grades give, or none when answers do not reschedule."""
        return super().intervals() if self.study.reschedules else {}

    def grade(self, rating: int, duration_ms: int = 0) -> int | None:
        """Answer the current card: a graded review when this session reschedules, else a
        practice answer that leaves FSRS untouched. Again brings the card back at the end."""
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, got {rating}")
        card = self._require_current()
        lapses = None
        if self.study.reschedules:
            now = self.now()
            log_id = self.store.record_review(card.id, lambda row: self.scheduler.review(
                card.id, row, rating, now, duration_ms), leech=self.settings.leech_rule())
            lapses = self.store.leech_lapses(log_id) if rating == 1 else None
        else:
            self.store.record_practice(card.id, rating, duration_ms, self.now())
        assert self._order is not None
        self._order.remove(card.id)
        again = rating == 1 and lapses is None  # a new leech is suspended: it stays out
        if again:
            self._order.append(card.id)
        self._history.append((card.id, again))
        self.refresh()
        return lapses

    def add_new_cards(self, count: int) -> None:
        """Custom sessions take no new-card allowance."""

    def undo_last(self) -> Undone | None:
        """Undo the newest answer; the card it was goes back to the front."""
        undone = self.store.undo_last()
        if undone is not None and self._history and self._order is not None:
            card_id, again = self._history[-1]
            if card_id in undone.card_ids:
                self._history.pop()
                if again:
                    for index in range(len(self._order) - 1, -1, -1):
                        if self._order[index] == card_id:
                            del self._order[index]
                            break
                self._order.insert(0, card_id)
        self.refresh()
        return undone
