"""Progress figures computed in the domain (the GUI and ``stats`` only display them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from quizapp.content import Library
from quizapp.store import ProgressStore
from quizapp.store.rehearsals import RehearsalLog
from quizapp.study.clock import DayClock, utc_now
from quizapp.study.limits import new_allowance
from quizapp.study.queue import LEARNING_STATES, REVIEW_STATE, count_scopes
from quizapp.study.session import Counts
from quizapp.study.settings import load_settings


@dataclass(frozen=True)
class CollectionStats:
    """Counts over the cards in the content folder (``stats --json``)."""

    cards: int  # cards in the content folder
    new: int  # never reviewed
    learning: int  # in (re)learning steps
    review: int  # graduated to long-term review
    due_now: int  # reviewed cards whose due time has passed
    reviews_total: int  # rows in the review log (including cards since removed from content)
    reviews_today: int  # reviews since the current study day began
    quiz_answers: int  # answers given in quiz rounds
    interviews: int  # mock interviews started

    def to_json(self) -> dict[str, int]:
        return asdict(self)


def collection_stats(library: Library, store: ProgressStore,
                     now: datetime | None = None) -> CollectionStats:
    now = now or utc_now()
    settings = load_settings(store)
    rows = store.queue_rows()
    present = [rows[c.id] for c in library.cards if c.id in rows]
    rehearsals = RehearsalLog(store)
    return CollectionStats(
        cards=len(library.cards),
        new=len(library.cards) - len(present),
        learning=sum(r.state in LEARNING_STATES for r in present),
        review=sum(r.state == REVIEW_STATE for r in present),
        due_now=sum(r.due <= now for r in present),
        reviews_total=store.review_count(),
        reviews_today=store.review_count(DayClock(settings.day_start_hour).day_start(now)),
        quiz_answers=rehearsals.quiz_answer_count(),
        interviews=rehearsals.interview_count(),
    )


def today_counts(library: Library, store: ProgressStore, deck_id: str | None = None,
                 now: datetime | None = None) -> Counts:
    """What is left to study today in one deck, or in all decks when ``deck_id`` is None."""
    return _scope_counts(library, store, now).get(deck_id, Counts(0, 0, 0))


def deck_counts(library: Library, store: ProgressStore,
                now: datetime | None = None) -> dict[str, Counts]:
    """``today_counts`` of every deck. Each deck has its own new-card limit under the
    all-decks one, so the decks' new counts may add up to more than the all-decks count."""
    counts = _scope_counts(library, store, now)
    return {deck.id: counts.get(deck.id, Counts(0, 0, 0)) for deck in library.decks}


def _scope_counts(library: Library, store: ProgressStore,
                  now: datetime | None) -> dict[str | None, Counts]:
    """The counts of all decks (key None) and of each deck, from one read of the progress."""
    now = now or utc_now()
    settings = load_settings(store)
    clock = DayClock(settings.day_start_hour)
    allowance = new_allowance(library, store, settings, clock.day_start(now))
    counts = count_scopes(library.cards, store.queue_rows(), store.card_statuses(), now,
                          clock.next_day_start(now), allowance)
    return {scope: Counts(*values) for scope, values in counts.items()}
