"""The card browser's domain: rows with each card's progress, search in both languages and by
Korean initial consonants, filters, sort orders, and narrowing as the user types."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from card_files import write_card, write_deck

from quizapp.content import Library, load_library
from quizapp.store import ProgressStore, open_store
from quizapp.study import DayClock, StudySettings, save_settings
from quizapp.study import card_actions as actions
from quizapp.study.browse import (
    STATE_FILTERS,
    CardTable,
    Filters,
    Query,
    SearchIndex,
    initial_consonants,
    parse_query,
    plain_text,
    refines,
    sort_rows,
)
from quizapp.study.scheduling import CardScheduler

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # noon in Seoul
SEOUL = DayClock(4, ZoneInfo("Asia/Seoul"))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Three decks of cards about optimisation, normalisation and evaluation."""
    root = tmp_path / "content"
    opt = write_deck(root / "opt", "opt", order=1)
    write_card(opt, "01.md", "gd", extra='tags = ["optimization", "basics"]\n',
               ko="**경사하강법**은 무엇인가요? $\\theta \\leftarrow \\theta - \\eta g$",
               en="What is **gradient descent**? $\\theta \\leftarrow \\theta - \\eta g$")
    write_card(opt, "02.md", "adam", extra='tags = ["optimization"]\n',
               ko="Adam 옵티마이저는 모멘텀과 무엇을 합치나요?",
               en="What does Adam combine with momentum?")
    write_card(opt, "03.md", "slope", ko="경사도와 기울기는 같은 말인가요?",
               en="Are slope and gradient the same?")
    norm = write_deck(root / "norm", "norm", order=2)
    write_card(norm, "01.md", "bn", extra='tags = ["normalization", "basics"]\n',
               ko="배치 정규화는 추론 때 무엇을 쓰나요?",
               en="What does BatchNorm use at inference?")
    write_card(norm, "02.md", "ln", extra='tags = ["normalization"]\n',
               ko="레이어 정규화와 배치 정규화의 차이는?",
               en="Layer norm versus batch norm?")
    ev = write_deck(root / "eval", "eval", order=3)
    write_card(ev, "01.md", "auc", extra='tags = ["metrics"]\n', ko="ROC AUC는?",
               en="What is ROC `AUC`? See [the guide](https://example.com)")
    return root


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as opened:
        save_settings(opened, StudySettings(day_start_hour=4))
        yield opened


@pytest.fixture
def library(content: Path) -> Library:
    return load_library(content)


def ids(table: CardTable, indices: list[int]) -> list[str]:
    return [table.rows[i].card_id for i in indices]


def search(table: CardTable, query: str, **filters: str) -> list[str]:
    return ids(table, table.search(query, Filters(**filters)))


def grade(store: ProgressStore, card_id: str, rating: int, when: datetime) -> None:
    scheduler = CardScheduler()
    store.record_review(card_id, lambda row: scheduler.review(card_id, row, rating, when, 0))


# -- text --------------------------------------------------------------------------------------

def test_initial_consonants_by_unicode_arithmetic() -> None:
    assert initial_consonants("경사하강법") == "ㄱㅅㅎㄱㅂ"
    assert initial_consonants("까닭 없이 Adam!") == "ㄲㄷ ㅇㅇ Adam!"  # positions line up
    assert initial_consonants("가힣") == "ㄱㅎ"  # the first and last syllables


def test_plain_text_for_the_question_column() -> None:
    assert plain_text("What is **gradient descent**? $\\theta_t$") == (
        "What is gradient descent? $\\theta_t$")
    assert plain_text("See [the guide](https://x.org) and `code`\n\n# Title") == (
        "See the guide and code Title")
    assert plain_text("plain   words\nhere") == "plain words here"


def test_queries_split_at_spaces_with_phrases_and_exclusions() -> None:
    assert parse_query('  Adam "Batch  Norm" -momentum ') == Query(
        ("adam", "batch norm"), ("momentum",))
    assert parse_query("adam -") == Query(("adam",))  # an exclusion about to be typed
    assert parse_query('-"batch norm" ㄱㅅ') == Query(("ㄱㅅ",), ("batch norm",))
    assert parse_query("") == Query() and Query().empty


# -- search ------------------------------------------------------------------------------------

def test_search_finds_korean_english_answers_and_tags_case_insensitively(
        library: Library, store: ProgressStore) -> None:
    table = CardTable(library, store, now=lambda: NOW)
    assert search(table, "경사하강") == ["gd"]
    assert search(table, "GRADIENT") == ["gd", "slope"]  # English questions, any case
    assert search(table, "정규화") == ["bn", "ln"]
    assert search(table, "의 답") == search(table, "") == ids(table, list(range(6)))  # answers
    assert search(table, "answer to what is adam") == []
    assert search(table, "answer to what does adam") == ["adam"]  # an English answer
    assert search(table, "Normalization") == ["bn", "ln"]  # a tag
    assert search(table, "basics") == ["gd", "bn"]
    assert search(table, "batch -layer") == ["bn"]
    assert search(table, '"batch norm"') == ["ln"]
    assert search(table, "batch norm") == ["bn", "ln"]  # BatchNorm has both words


def test_search_by_initial_consonants(library: Library, store: ProgressStore) -> None:
    table = CardTable(library, store, now=lambda: NOW)
    assert search(table, "ㄱㅅㅎㄱ") == ["gd"]  # 경사하강
    assert search(table, "ㄱㅅ") == ["gd", "slope"]  # 경사하강, 경사도
    assert search(table, "경사ㅎ") == ["gd"]  # a full syllable must match exactly
    assert search(table, "ㅂㅊ ㅈㄱㅎ") == ["bn", "ln"]  # 배치 정규화
    assert search(table, "ㅂㅊㅈㄱㅎ") == ["bn", "ln"]  # spaces in the text do not count
    assert search(table, "배치정ㄱ") == ["bn", "ln"]
    assert search(table, '"ㅂㅊ ㅈㄱ"') == ["bn", "ln"]
    assert search(table, "ㅈㄱㅎ -ㄹㅇㅇ") == ["bn"]  # not 레이어
    assert search(table, "ㅋㅋ") == []
    # Decomposed input (as some systems send it) and conjoining jamo are the same letters.
    assert search(table, "\u1100\u1167\u11bc사") == ["gd", "slope"]  # 경 written as 3 jamo
    assert search(table, "\u1100\u1109\u1112") == ["gd"]  # ᄀᄉᄒ as conjoining initials


def test_the_index_finds_what_a_plain_scan_finds(library: Library) -> None:
    index = SearchIndex(library.cards)
    texts = [f"{c.question.ko} {c.answer.ko} {c.question.en} {c.answer.en} "
             f"{' '.join(c.tags)}".lower() for c in library.cards]
    for term in ("a", "ad", "is", "?", "$", "\\theta", "norm", "zzz", "를", "정규"):
        assert index.search(term) == [i for i, t in enumerate(texts) if term in t], term
        assert index.search(term, [1, 3, 5]) == [i for i in (1, 3, 5) if term in texts[i]]


def test_typing_narrows_and_backspace_reuses_results(library: Library, store: ProgressStore,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    table = CardTable(library, store, now=lambda: NOW)
    searched: list[tuple[Query, int | None]] = []
    original = table.index.search

    def spy(query: Query, among: list[int] | None = None) -> list[int]:
        searched.append((query, None if among is None else len(among)))
        return original(query, among)

    monkeypatch.setattr(table.index, "search", spy)
    for end in range(1, 5):
        table.search("norm"[:end])
    assert [n for _, n in searched] == [None, 6, 2, 2]  # each keystroke searches fewer cards
    table.search("nor")  # Backspace: known already
    assert len(searched) == 4
    assert refines(Query(("gradient", "desc")), Query(("gradient", "de")))
    assert refines(Query(("adam",), ("mo",)), Query(("adam",), ("mom",)))
    assert not refines(Query(("adam",), ("momentum",)), Query(("adam",), ("mom",)))
    assert refines(Query(("ㄱㅅㅎ",)), Query(("ㄱㅅ",)))
    # 사하ㄱ is matched without spaces, so it finds 경사 하강, which 사하 does not.
    assert not refines(Query(("사하ㄱ",)), Query(("사하",)))


@pytest.mark.parametrize("typed", [
    "경사하강", "ㄱㅅㅎㄱ", "경ㅅ하", "배치 정규화 -레이어", '"batch norm" -what', "norm -ㄹ",
    "what is a", "-의 답", "ㅈㄱㅎ ㅂ",
])
def test_narrowing_as_you_type_finds_what_a_fresh_search_finds(
        library: Library, store: ProgressStore, typed: str) -> None:
    """Typing a character at a time, then deleting them again, gives at every step what a
    search of the whole text gives (narrowing and the kept results never lose a card)."""
    typing = CardTable(library, store, now=lambda: NOW)
    steps = [typed[:end] for end in range(1, len(typed) + 1)]
    for text in steps + steps[::-1][1:]:
        fresh = CardTable(library, store, now=lambda: NOW)
        assert typing.search(text) == fresh.search(text), text


# -- rows and filters --------------------------------------------------------------------------

def test_rows_carry_progress_status_and_recall(library: Library, store: ProgressStore) -> None:
    grade(store, "gd", 3, NOW - timedelta(days=3))
    grade(store, "gd", 3, NOW - timedelta(days=3) + timedelta(minutes=11))  # review now
    grade(store, "adam", 1, NOW)  # learning
    actions.suspend(store, ["bn"], NOW)
    actions.bury(store, ["ln"], NOW, SEOUL)
    actions.set_flag(store, ["auc"], 2, NOW)
    table = CardTable(library, store, now=lambda: NOW)
    gd = table.row("gd")
    assert gd is not None and gd.state == "review" and gd.reviews == 2 and gd.lapses == 0
    assert gd.deck_title.en == "Deck opt" and gd.tags == ("optimization", "basics")
    assert gd.question.en == "What is gradient descent? $\\theta \\leftarrow \\theta - \\eta g$"
    assert gd.retrievability is not None and 0.5 < gd.retrievability < 1
    assert gd.last_review is not None and gd.interval is not None and gd.due is not None
    assert gd.interval == gd.due - gd.last_review
    adam = table.row("adam")
    assert adam is not None and adam.state == "learning" and adam.due_today
    new = table.row("slope")
    assert new is not None and new.state == "new" and new.due is None
    assert new.retrievability is None and not new.due_today
    assert table.row("bn").suspended and table.row("ln").buried  # type: ignore[union-attr]
    assert table.row("auc").flag == 2  # type: ignore[union-attr]


def test_filters_by_deck_tag_and_state(library: Library, store: ProgressStore) -> None:
    grade(store, "adam", 1, NOW)
    grade(store, "gd", 4, NOW - timedelta(days=30))
    actions.suspend(store, ["bn", "gd"], NOW)
    actions.bury(store, ["ln"], NOW, SEOUL)
    actions.set_flag(store, ["auc"], 2, NOW)
    actions.set_flag(store, ["slope"], 3, NOW)
    store.db.execute("insert into card_status (card_id, leech) values ('ln2', 1)")
    store.db.execute("update card_status set leech = 1 where card_id = 'bn'")
    table = CardTable(library, store, now=lambda: NOW)
    assert search(table, "", deck="norm") == ["bn", "ln"]
    assert search(table, "", tag="basics") == ["gd", "bn"]
    assert search(table, "", state="new") == ["slope", "bn", "ln", "auc"]
    assert search(table, "", state="learning") == ["adam"]
    assert search(table, "", state="review") == ["gd"]
    assert search(table, "", state="due_today") == ["adam"]  # gd is due but suspended
    assert search(table, "", state="suspended") == ["gd", "bn"]
    assert search(table, "", state="buried") == ["ln"]
    assert search(table, "", state="leech") == ["bn"]
    assert search(table, "", state="flagged") == ["slope", "auc"]
    assert search(table, "", state="flag_2") == ["auc"]
    assert search(table, "정규화", deck="norm", state="suspended") == ["bn"]
    assert search(table, "", deck="opt", tag="optimization", state="review") == ["gd"]
    for state in STATE_FILTERS:
        table.search("", Filters(state=state))  # every filter the screen offers exists
    assert table.tags() == ["basics", "metrics", "normalization", "optimization"]


def test_refresh_rereads_only_the_cards_changed(library: Library, store: ProgressStore) -> None:
    table = CardTable(library, store, now=lambda: NOW)
    actions.suspend(store, ["adam"], NOW)
    assert not table.row("adam").suspended  # type: ignore[union-attr]
    assert table.refresh(["adam", "gone"]) == [1]
    assert table.row("adam").suspended  # type: ignore[union-attr]
    assert search(table, "", state="suspended") == ["adam"]


def test_sorting_keeps_missing_values_last_and_ties_in_content_order(
        library: Library, store: ProgressStore) -> None:
    grade(store, "ln", 4, NOW - timedelta(days=1))
    grade(store, "adam", 4, NOW - timedelta(days=10))
    grade(store, "auc", 1, NOW)
    table = CardTable(library, store, now=lambda: NOW)
    every = list(range(len(table.rows)))
    due = {cid: table.row(cid).due for cid in ("ln", "adam", "auc")}  # type: ignore[union-attr]
    by_due = ids(table, sort_rows(table.rows, every, "due"))
    assert by_due[:3] == sorted(due, key=due.__getitem__)  # type: ignore[arg-type]
    assert by_due[3:] == ["gd", "slope", "bn"]  # new cards: no due date, last, content order
    by_due_desc = ids(table, sort_rows(table.rows, every, "due", descending=True))
    assert by_due_desc == [*reversed(by_due[:3]), "gd", "slope", "bn"]  # new cards still last
    by_state = ids(table, sort_rows(table.rows, every, "state"))
    assert by_state == ["gd", "slope", "bn", "auc", "adam", "ln"]  # new, learning, review
    assert ids(table, sort_rows(table.rows, every, "question", lang="en")) == [
        "slope", "ln", "adam", "bn", "gd", "auc"]  # Are, Layer, What does A/B, What is g/R
    assert ids(table, sort_rows(table.rows, every, "deck", True)) == [
        "auc", "bn", "ln", "gd", "adam", "slope"]  # decks in reverse, cards in content order
    assert ids(table, sort_rows(table.rows, every, "retrievability", True))[-3:] == [
        "gd", "slope", "bn"]
