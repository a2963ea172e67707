"""Saving the user's own cards: new cards and edits land in the user's decks as files the loader
accepts, a shipped card becomes a user copy with its id, and a bad card writes nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.content import Library, load_library
from quizapp.content.editing import CardEditError, new_card_id, save_card
from quizapp.content.model import Card, DemoRef, Text


def files(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "decks"


def library_of(content: Path, user_dir: Path) -> Library:
    library = load_library(content, user_dir=user_dir)
    assert library.issues == []
    return library


def a_card(card_id: str, deck: str = "alpha") -> Card:
    return Card(id=card_id, deck=deck, question=Text("질문입니다?", "A question?"),
                answer=Text("답: $x^2$", "Answer: $x^2$"), tags=("mine",))


def test_a_new_card_goes_into_the_user_folder_of_its_deck(small_content: Path,
                                                         user_dir: Path) -> None:
    library = library_of(small_content, user_dir)
    card_id = new_card_id(library, "What is label smoothing?")
    assert card_id == "my-what-is-label-smoothing"
    saved = save_card(library, a_card(card_id), user_dir)
    assert saved.path == user_dir / "alpha" / f"{card_id}.md"
    assert (user_dir / "alpha" / "deck.toml").read_text(encoding="utf-8").startswith(
        'id = "alpha"')
    reloaded = library_of(small_content, user_dir)
    card = reloaded.card(card_id)
    assert card is not None and reloaded.is_user_card(card) and card.deck == "alpha"
    assert card.answer.en == "Answer: $x^2$" and card.tags == ("mine",)
    assert [c.id for c in reloaded.cards if c.deck == "alpha"][-1] == card_id
    assert new_card_id(reloaded, "What is label smoothing?") == f"{card_id}-2"


def test_editing_a_shipped_card_saves_a_user_copy_with_its_id(small_content: Path,
                                                             user_dir: Path) -> None:
    library = library_of(small_content, user_dir)
    shipped = library.card("a2")
    assert shipped is not None and shipped.path is not None
    before = files(small_content)
    edited = replace(shipped, answer=Text("새 답", "A new answer"), follow_ups=("a3",))
    saved = save_card(library, edited, user_dir, original=shipped)
    assert saved.path == user_dir / "alpha" / shipped.path.name
    assert files(small_content) == before  # the shipped file is never written
    card = library_of(small_content, user_dir).card("a2")
    assert card is not None and card.answer.en == "A new answer" and card.follow_ups == ("a3",)
    # Editing the copy again writes the same file.
    again = save_card(library_of(small_content, user_dir), replace(card, tags=("x",)),
                      user_dir, original=card)
    assert again.path == saved.path and again.removed is None
    assert len(files(user_dir)) == 2  # deck.toml and the one card


def test_moving_a_user_card_to_another_deck_moves_its_file(small_content: Path,
                                                          user_dir: Path) -> None:
    library = library_of(small_content, user_dir)
    first = save_card(library, a_card("my-card"), user_dir)
    library = library_of(small_content, user_dir)
    original = library.card("my-card")
    assert original is not None
    moved = save_card(library, replace(original, deck="beta"), user_dir, original=original)
    assert moved.removed == first.path and not first.path.exists()
    assert moved.path == user_dir / "beta" / "my-card.md"
    card = library_of(small_content, user_dir).card("my-card")
    assert card is not None and card.deck == "beta"


@pytest.mark.parametrize(("change", "message"), [
    ({"follow_ups": ("nope",)}, "follow_ups: no card with id 'nope'"),
    ({"follow_ups": ("my-card",)}, "follow_ups: a card cannot be its own follow-up"),
    ({"deck": "gamma"}, "deck: no deck 'gamma'"),
    ({"id": "My Card"}, "id: 'My Card' is not an id"),
    ({"id": "a1"}, "id: a card with id 'a1' already exists"),
    ({"answer": Text("", "x")}, "my-card.md:"),
    ({"question": Text("x" * 1001, "x")}, "my-card.md:"),
    ({"demo": DemoRef("no-such-demo")}, "demo: unknown demo"),
])
def test_a_bad_card_is_refused_and_nothing_is_written(
        small_content: Path, user_dir: Path, change: dict[str, object], message: str) -> None:
    library = library_of(small_content, user_dir)
    card = replace(a_card("my-card"), **change)  # type: ignore[arg-type]
    with pytest.raises(CardEditError, match=message.replace("(", r"\(")):
        save_card(library, card, user_dir,
                  validate_demo=lambda ref: [] if ref.id == "ok" else ["unknown demo"])
    assert files(user_dir) == {}


def test_an_edit_never_changes_the_id(small_content: Path, user_dir: Path) -> None:
    library = library_of(small_content, user_dir)
    shipped = library.card("a1")
    assert shipped is not None
    with pytest.raises(CardEditError, match="never changes"):
        save_card(library, replace(shipped, id="a1-new"), user_dir, original=shipped)


def test_text_that_looks_like_markup_of_the_file_stays_text(small_content: Path,
                                                            user_dir: Path) -> None:
    library = library_of(small_content, user_dir)
    sneaky = replace(a_card("my-card"),
                     answer=Text("답\n::: question.en\n+++\nid = \"x\"", "ok"))
    save_card(library, sneaky, user_dir)
    card = library_of(small_content, user_dir).card("my-card")
    assert card is not None and card.question.en == "A question?"
    assert "id = \"x\"" in card.answer.ko and library_of(small_content, user_dir).card("x") is None
