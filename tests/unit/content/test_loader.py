"""The loader reports every broken file as path:line and still loads the good cards."""

from __future__ import annotations

from pathlib import Path

from card_files import write_card, write_deck

from quizapp.content import load_library


def _messages(root: Path) -> list[str]:
    return [f"{i.path.name}:{i.line}: {i.message}" for i in load_library(root).issues]


def test_loads_cards_in_deck_and_file_order(small_content: Path) -> None:
    library = load_library(small_content)
    assert [d.id for d in library.decks] == ["alpha", "beta"]
    assert [c.id for c in library.cards] == ["a1", "a2", "a3", "b1", "b2"]
    a1 = library.card("a1")
    assert a1 is not None and a1.follow_ups == ("a2",) and a1.deck == "alpha"
    assert a1.question.en == "What is momentum $v_t$?"
    assert library.issues == []


def test_bad_toml_is_reported_with_its_line_and_other_cards_still_load(
        small_content: Path) -> None:
    write_card(small_content / "alpha", "04.md", "x", body=(
        '+++\nid = "x"\ntags = ["a",\n  oops]\n+++\n::: question.ko\nq\n'))
    library = load_library(small_content)
    assert len(library.cards) == 5
    [issue] = library.issues
    assert issue.path.name == "04.md" and issue.line == 4
    assert "invalid TOML" in issue.message
    assert [p.name for p in library.skipped] == ["04.md"]


def test_missing_id_missing_language_and_unknown_key(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "d", "d")
    write_card(deck, "1.md", "x", body='+++\ntags = ["t"]\n+++\n')
    write_card(deck, "2.md", "y", body=(
        '+++\nid = "y"\n+++\n::: question.ko\n질문\n::: answer.ko\n답\n::: question.en\nQ\n'))
    write_card(deck, "3.md", "z", extra='follow-ups = ["y"]\n')
    write_card(deck, "4.md", "w", body="no front matter\n")
    assert _messages(tmp_path) == [
        "1.md:1: missing 'id'",
        "2.md:9: missing section '::: answer.en'",
        "3.md:3: unknown key 'follow-ups' in card front matter "
        "(allowed: demo, follow_ups, id, quiz, sources, tags)",
        "4.md:1: card must start with a '+++' line (TOML front matter)",
    ]


def test_duplicate_id_keeps_the_first_and_reports_the_second(small_content: Path) -> None:
    write_card(small_content / "beta", "03.md", "a1", ko="다른 질문", en="Other")
    library = load_library(small_content)
    assert [c.id for c in library.cards].count("a1") == 1
    [issue] = library.issues
    assert issue.path.name == "03.md" and issue.line == 2
    assert "duplicate card id 'a1'" in issue.message and "01.md" in issue.message


def test_unknown_follow_up_is_reported_and_the_card_loads_without_it(
        small_content: Path) -> None:
    write_card(small_content / "beta", "03.md", "b3",
               extra='tags = ["x"]\nfollow_ups = ["b1", "nope"]\n')
    library = load_library(small_content)
    b3 = library.card("b3")
    assert b3 is not None and b3.follow_ups == ("b1",)
    assert [str(i).split("/")[-1] for i in library.issues] == [
        "03.md:4: unknown follow-up id 'nope'"]


def test_demo_references_are_checked_by_the_given_validator(small_content: Path) -> None:
    write_card(small_content / "beta", "03.md", "b3",
               extra='[demo]\nid = "dropout"\nparams = { p = 2.0 }\n')
    library = load_library(small_content, validate_demo=lambda ref: (
        [f"p={ref.params['p']} is out of range 0..1"] if ref.params.get("p", 0) > 1 else []))
    b3 = library.card("b3")
    assert b3 is not None and b3.demo is None
    assert [f"{i.line}: {i.message}" for i in library.issues] == [
        "3: demo 'dropout': p=2.0 is out of range 0..1"]


def test_folder_without_deck_toml_is_reported(tmp_path: Path) -> None:
    write_card(tmp_path / "loose", "1.md", "x")
    assert _messages(tmp_path) == ["1.md:1: no deck.toml in loose/"]


def test_json_shape(small_content: Path) -> None:
    data = load_library(small_content).to_json()
    assert data["decks"][0] == {"id": "alpha", "title": {"ko": "덱 alpha", "en": "Deck alpha"},
                                "cards": 3}
    card = data["cards"][0]
    assert set(card) == {"id", "deck", "tags", "question", "answer", "follow_ups", "demo",
                         "sources", "quiz"}
    assert card["demo"] is None and card["quiz"] is None and data["errors"] == []


QUIZ = '''[quiz.answer]
ko = "짧은 답."
en = "Short answer."
[quiz.distractors]
ko = ["오답 1", "오답 2", "오답 3"]
en = ["Wrong 1", "Wrong 2", "Wrong 3"]
[quiz.keywords]
ko = ["과적합|오버피팅", "규제"]
'''


def test_quiz_short_answer_and_aligned_keywords_load(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "d", "d")
    write_card(deck, "1.md", "x", extra=QUIZ + 'en = ["overfitting|overfit", "regularization"]\n')
    card = load_library(tmp_path).card("x")
    assert card is not None and card.quiz is not None and card.quiz.answer is not None
    assert card.quiz.answer.en == "Short answer."
    assert card.quiz.keywords["ko"] == ["과적합|오버피팅", "규제"]
    assert card.to_json()["quiz"]["answer"] == {"ko": "짧은 답.", "en": "Short answer."}


def test_keyword_lists_of_different_length_are_an_error(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "d", "d")
    write_card(deck, "1.md", "x", extra=QUIZ + 'en = ["overfitting"]\n')
    assert _messages(tmp_path) == [
        "1.md:9: quiz.keywords: ko has 2 entries and en has 1; the lists are aligned concept "
        "by concept"]


def test_quiz_answer_needs_both_languages(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "d", "d")
    write_card(deck, "1.md", "x", extra='[quiz.answer]\nko = "답"\n')
    assert _messages(tmp_path) == [
        "1.md:3: quiz.answer must be a table with non-empty ko and en strings"]
