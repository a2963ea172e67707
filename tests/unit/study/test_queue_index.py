"""The incremental queue (``QueueIndex``), the one-pass counts (``count_scopes``) and the
session that keeps its queue up to date card by card give exactly what the plain rule
(``build_queue`` over every card, re-read from the database) gives."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from simulated_history import simulate

from quizapp.content import Card, Deck, Library, Text
from quizapp.store import NO_STATUS, CardRow, CardStatus, ProgressStore, QueueRow, open_store
from quizapp.study import DayClock, StudySession, StudySettings, deck_counts, today_counts
from quizapp.study.limits import new_allowance
from quizapp.study.queue import NewAllowance, QueueIndex, build_queue, count_scopes
from quizapp.study.session import queue_counts

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
DAY_END = datetime(2026, 11, 21, 19, 0, tzinfo=UTC)


def cards(rng: random.Random, count: int, decks: int, interleaved: bool) -> list[Card]:
    made = []
    for n in range(count):
        deck = n % decks if interleaved else n * decks // count
        made.append(Card(id=f"c{n:03d}", deck=f"d{deck}", question=Text("q", "q"),
                         answer=Text("a", "a"), tags=("t",) if rng.random() < 0.5 else ()))
    return made


def random_row(rng: random.Random, card_id: str) -> QueueRow | None:
    if rng.random() < 0.35:
        return None
    # Due times around now and the day's end, with ties (the same minute) on purpose.
    due = NOW + timedelta(minutes=rng.choice((-600, -20, 0, 5, 19, 20, 21, 540, 541, 2000,
                                              rng.randint(-3000, 3000))))
    return QueueRow(rng.choice((1, 2, 2, 2, 3)), due)


def random_status(rng: random.Random) -> CardStatus:
    roll = rng.random()
    if roll < 0.08:
        return CardStatus(suspended=True)
    if roll < 0.16:
        return CardStatus(buried_until=NOW + timedelta(minutes=rng.choice((-60, 0, 30, 900))))
    if roll < 0.2:
        return CardStatus(flag=3)
    return NO_STATUS


def random_allowance(rng: random.Random, decks: int) -> NewAllowance:
    return NewAllowance(total=rng.choice((0, 1, 3, 10, 50)),
                        decks={f"d{d}": rng.choice((0, 1, 2, 5, 40)) for d in range(decks)
                               if rng.random() < 0.9})


@pytest.mark.parametrize("seed", range(60))
def test_the_index_gives_what_build_queue_gives_after_every_change(seed: int) -> None:
    rng = random.Random(seed)
    decks = rng.randint(1, 4)
    deck_cards = cards(rng, rng.randint(0, 60), decks, interleaved=rng.random() < 0.5)
    rows = {c.id: row for c in deck_cards if (row := random_row(rng, c.id))}
    statuses = {c.id: status for c in deck_cards
                if not (status := random_status(rng)).is_default}
    index = QueueIndex(deck_cards, rows, statuses)
    now = NOW
    for _step in range(40):
        allowance = random_allowance(rng, decks)
        expected = build_queue(deck_cards, rows, now, DAY_END, allowance, statuses)
        assert index.queue(now, DAY_END, allowance) == expected
        counts = count_scopes(deck_cards, rows, statuses, now, DAY_END, allowance)
        assert counts[None] == _counts(expected)
        for deck in {c.deck for c in deck_cards}:
            in_deck = [c for c in deck_cards if c.deck == deck]
            assert counts[deck] == _counts(build_queue(in_deck, rows, now, DAY_END, allowance,
                                                       statuses)), deck
        if deck_cards:  # a grade, an undo, a suspension, a burial ...
            for card in rng.sample(deck_cards, min(len(deck_cards), rng.randint(1, 3))):
                row, status = random_row(rng, card.id), random_status(rng)
                rows.pop(card.id, None)
                statuses.pop(card.id, None)
                if row is not None:
                    rows[card.id] = row
                if not status.is_default:
                    statuses[card.id] = status
                index.update(card.id, row, status)
        # Time passes (burials end), and sometimes goes back (a clock set back).
        now += timedelta(minutes=rng.choice((0, 1, 10, 45, 600, -30)))


def _counts(queue: object) -> tuple[int, int, int]:
    counted = queue_counts(queue)  # type: ignore[arg-type]
    return counted.new, counted.learning, counted.review


def test_a_card_outside_the_scope_is_ignored() -> None:
    rng = random.Random(1)
    deck_cards = cards(rng, 5, 1, interleaved=False)
    index = QueueIndex(deck_cards, {}, {})
    index.update("elsewhere", QueueRow(2, NOW), NO_STATUS)
    assert "elsewhere" not in index
    assert index.queue(NOW, DAY_END, NewAllowance(20, {"d0": 20})) == build_queue(
        deck_cards, {}, NOW, DAY_END, NewAllowance(20, {"d0": 20}))


# -- the session against the plain rule, on a realistic history ---------------------------------

class Clock:
    def __init__(self) -> None:
        self.value = NOW

    def __call__(self) -> datetime:
        return self.value


@pytest.fixture
def library() -> Library:
    decks = [Deck(f"d{d}", Text(f"덱 {d}", f"Deck {d}"), order=d) for d in range(3)]
    made = [Card(id=f"c{n:03d}", deck=f"d{n * 3 // 90}", question=Text("q", "q"),
                 answer=Text("a", "a"), tags=("even",) if n % 2 == 0 else ())
            for n in range(90)]
    return Library(decks=decks, cards=made, issues=[])


@pytest.fixture
def store(tmp_path: Path, library: Library) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as opened:
        simulate(opened, [c.id for c in library.cards[::2]], days=40, end=NOW, new_per_day=4,
                 skill=0.8, seed=3)
        opened.apply_action("suspend", ["c010", "c012"],
                            lambda _cid, status, row: (CardStatus(suspended=True), row), NOW)
        yield opened


def naive_queue(session: StudySession) -> object:
    """The queue as the plain rule builds it from every row read again from the database."""
    now = session.now()
    allowance = new_allowance(session.library, session.store, session.settings,
                              session.clock.day_start(now))
    scope = [c for c in session.library.cards_in(session.deck_id)
             if session.tag is None or session.tag in c.tags]
    fresh = ProgressStore(session.store.conn, session.store.path)  # no cache of any kind
    rows: dict[str, CardRow] = fresh.card_rows()
    return build_queue(scope, rows, now, session.clock.next_day_start(now), allowance,
                       fresh.card_statuses())


@pytest.mark.parametrize(("deck", "tag"), [(None, None), ("d1", None), (None, "even")])
def test_the_session_queue_is_the_plain_rule_after_every_grade_and_undo(
        library: Library, store: ProgressStore, tmp_path: Path, deck: str | None,
        tag: str | None) -> None:
    clock = Clock()
    settings = StudySettings(new_per_day=8, deck_new_per_day=5)
    session = StudySession(library, store, deck, now=clock, settings=settings,
                           clock=DayClock(4, ZoneInfo("Asia/Seoul")), tag=tag)
    rng = random.Random(7)
    other = ProgressStore.open(tmp_path / "p.sqlite3")  # a second window on the same file
    try:
        for step in range(60):
            assert session.queue == naive_queue(session), step
            assert session.counts == queue_counts(naive_queue(session))  # type: ignore[arg-type]
            if session.current is None:
                break
            # Time passes before each step; every step brings the queue up to date.
            clock.value += timedelta(minutes=rng.choice((0, 1, 3, 11, 30)))
            roll = rng.random()
            if roll < 0.1:
                session.undo_last()
            elif roll < 0.2:  # another window grades a card this session does not know of
                card = rng.choice(library.cards)
                other.record_review(card.id, lambda row, c=card: session.scheduler.review(
                    c.id, row, 3, clock.value, 0))
                session.refresh()
            elif roll < 0.25:  # a write that is not one of the store's tracked ones
                store.conn.execute("update cards set due = ? where card_id = ?",
                                   [(clock.value - timedelta(days=1)).isoformat(),
                                    rng.choice(library.cards).id])
                session.refresh()
            else:
                session.grade(rng.choice((1, 2, 3, 3, 3, 4)), 1000)
    finally:
        other.close()


def test_home_counts_are_the_plain_rule_for_every_deck(library: Library,
                                                       store: ProgressStore) -> None:
    later = NOW + timedelta(hours=5)
    counts = deck_counts(library, store, now=later)
    for deck in library.decks:
        session = StudySession(library, store, deck.id, now=lambda: later)
        assert counts[deck.id] == queue_counts(naive_queue(session))  # type: ignore[arg-type]
    session = StudySession(library, store, now=lambda: later)
    assert today_counts(library, store, now=later) == queue_counts(
        naive_queue(session))  # type: ignore[arg-type]


# -- what the store says changed ----------------------------------------------------------------

def review(card_id: str, row: CardRow | None) -> object:
    from quizapp.study.scheduling import CardScheduler

    return CardScheduler().review(card_id, row, 3, NOW, 0)


def test_the_store_knows_which_cards_its_own_writes_changed(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite3") as store:
        start = store.version()
        assert store.changed_cards(start) == set()
        store.record_review("a", lambda row: review("a", row))  # type: ignore[arg-type,return-value]
        store.record_review("b", lambda row: review("b", row))  # type: ignore[arg-type,return-value]
        assert store.changed_cards(start) == {"a", "b"}
        middle = store.version()
        store.set_setting("ui_language", "en")
        store.undo_last()
        assert store.changed_cards(middle) == {"b"}
        assert store.changed_cards(None) is None
        practised = store.version()  # custom study's cram without rescheduling
        store.record_practice("a", 3, 1000, datetime(2026, 1, 1, tzinfo=UTC))
        assert store.changed_cards(practised) == set()  # no card changed: nothing to re-read
        store.undo_last()  # undoing it re-reads at most the card it named, never everything
        assert store.changed_cards(practised) in (set(), {"a"})


def test_another_connections_commit_or_an_untracked_write_means_read_everything(
        tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite3") as store, \
            open_store(tmp_path / "p.sqlite3") as other:
        start = store.version()
        rows = store.queue_rows()
        other.record_review("x", lambda row: review("x", row))  # type: ignore[arg-type,return-value]
        assert store.changed_cards(start) is None
        assert "x" in store.queue_rows() and "x" not in rows
        again = store.version()
        with store.transaction() as conn:
            conn.execute("delete from cards where card_id = 'x'")
        assert store.changed_cards(again) is None
        assert "x" not in store.queue_rows()
