"""The labelled evaluation sets for the typed-answer keyword scorer are well formed.

``tests/data/scoring_answers.toml`` (the main set), ``scoring_answers_heldout.toml`` (answers
to other cards, written without seeing the scorer, its keyword lists or the main set) and
``scoring_answers_paraphrase.toml`` (answers to yet other cards that describe concepts in
everyday words, mostly Korean, written the same way) are ground truth: for each typed answer
they list which of the card's keyword concepts the answer names. These tests check the files
themselves (shape, references to the shipped cards, coverage), not any scorer.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from quizapp.content import default_content_dir, load_library

DATA = Path(__file__).resolve().parents[2] / "data"
KINDS = ("model", "particles", "spacing", "mixed", "paraphrase", "partial", "wrong", "offtopic")
FIELDS = {"card", "lang", "kind", "text", "found"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")

LIBRARY = load_library(default_content_dir())
KO_KEYWORDS: dict[str, list[str]] = {
    card.id: list(card.quiz.keywords["ko"]) for card in LIBRARY.cards if card.quiz is not None
}
CARD_DECKS = {card.id: card.deck for card in LIBRARY.cards}


def _load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open("rb") as handle:
        data = tomllib.load(handle)
    assert set(data) == {"answer"}, "the file holds only [[answer]] tables"
    answers = data["answer"]
    assert isinstance(answers, list)
    return answers


class LabelledSet(NamedTuple):
    answers: list[dict[str, Any]]
    least_answers: int
    least_cards: int
    least_per_kind: dict[str, int]
    least_language_share: float  # of answers in each of ko and en


SETS = {"main": LabelledSet(_load("scoring_answers.toml"), 200, 40, dict.fromkeys(KINDS, 15), 0.4),
        "heldout": LabelledSet(_load("scoring_answers_heldout.toml"), 150, 50,
                               dict.fromkeys(KINDS, 10), 0.4),
        "paraphrase": LabelledSet(_load("scoring_answers_paraphrase.toml"), 100, 40,
                                  {"paraphrase": 60, "partial": 8, "wrong": 12, "offtopic": 8},
                                  0.2)}


@pytest.fixture(params=sorted(SETS))
def answers(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return SETS[request.param].answers


def _label(index: int, answer: dict[str, Any]) -> str:
    return f"answer #{index + 1} ({answer.get('card')!r}, {answer.get('kind')!r})"


@pytest.mark.parametrize("name", sorted(SETS))
def test_size_and_card_coverage(name: str) -> None:
    labelled = SETS[name]
    assert len(labelled.answers) >= labelled.least_answers
    cards = {a["card"] for a in labelled.answers}
    assert len(cards) >= labelled.least_cards
    assert len({CARD_DECKS[c] for c in cards if c in CARD_DECKS}) >= 10


def test_each_set_answers_its_own_cards() -> None:
    cards = {name: {a["card"] for a in labelled.answers} for name, labelled in SETS.items()}
    for name, other in combinations(cards, 2):
        assert cards[name] & cards[other] == set(), (name, other)


def test_every_answer_has_exactly_the_expected_fields(answers: list[dict[str, Any]]) -> None:
    for i, answer in enumerate(answers):
        assert set(answer) == FIELDS, _label(i, answer)
        assert isinstance(answer["card"], str), _label(i, answer)
        assert isinstance(answer["text"], str) and answer["text"].strip(), _label(i, answer)
        assert isinstance(answer["found"], list), _label(i, answer)
        assert all(isinstance(entry, str) for entry in answer["found"]), _label(i, answer)


def test_cards_exist_in_the_shipped_content(answers: list[dict[str, Any]]) -> None:
    missing = [a["card"] for a in answers if a["card"] not in KO_KEYWORDS]
    assert missing == []


def test_found_entries_are_exact_ko_keyword_entries_of_the_card(
        answers: list[dict[str, Any]]) -> None:
    problems = []
    for i, answer in enumerate(answers):
        keywords = KO_KEYWORDS.get(answer["card"], [])
        for entry in answer["found"]:
            if entry not in keywords:
                problems.append(f"{_label(i, answer)}: {entry!r} is not one of {keywords}")
        duplicates = [e for e, n in Counter(answer["found"]).items() if n > 1]
        if duplicates:
            problems.append(f"{_label(i, answer)}: listed twice: {duplicates}")
    assert problems == []


@pytest.mark.parametrize("name", sorted(SETS))
def test_languages(name: str) -> None:
    answers = SETS[name].answers
    for i, answer in enumerate(answers):
        assert answer["lang"] in ("ko", "en"), _label(i, answer)
        if answer["lang"] == "ko" or answer["kind"] == "particles":
            assert answer["lang"] == "ko", _label(i, answer)
            assert HANGUL.search(answer["text"]), _label(i, answer)
    per_language = Counter(a["lang"] for a in answers)
    assert min(per_language["ko"], per_language["en"]) >= (
        SETS[name].least_language_share * len(answers))


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_kind_is_well_represented(name: str) -> None:
    counts = Counter(a["kind"] for a in SETS[name].answers)
    too_few = {kind: counts[kind] for kind, least in SETS[name].least_per_kind.items()
               if counts[kind] < least}
    assert too_few == {}


def test_kinds_are_known(answers: list[dict[str, Any]]) -> None:
    unknown = {a["kind"] for a in answers} - set(KINDS)
    assert unknown == set()


def test_no_duplicate_texts(answers: list[dict[str, Any]]) -> None:
    texts = Counter(" ".join(a["text"].split()).casefold() for a in answers)
    assert [t for t, n in texts.items() if n > 1] == []


def test_both_labels_occur(answers: list[dict[str, Any]]) -> None:
    # Precision and recall both need material: many concepts found, many not found.
    found = sum(len(a["found"]) for a in answers)
    total = sum(len(KO_KEYWORDS.get(a["card"], [])) for a in answers)
    assert found >= 200
    assert total - found >= 200
    assert sum(not a["found"] for a in answers) >= 10, "off-topic answers name nothing"
