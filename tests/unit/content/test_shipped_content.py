"""The bundled ``content/`` is valid and complete: what every user studies from."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from quizapp.content import default_content_dir, load_library
from quizapp.content.markup import math_fragments

LIBRARY = load_library(default_content_dir())
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SEED_SOURCE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt: .+")
#: Cards beyond the seed notes name the reference their facts were checked against.
REFERENCE_SOURCE = re.compile(r"^ref: \S.{8,}")


def test_content_has_no_problems() -> None:
    assert [str(issue) for issue in LIBRARY.issues] == []
    assert len(LIBRARY.cards) >= 10


@pytest.mark.parametrize("card", LIBRARY.cards, ids=lambda c: c.id)
def test_card_is_bilingual_and_substantial(card) -> None:  # type: ignore[no-untyped-def]
    assert HANGUL.search(card.question.ko) and HANGUL.search(card.answer.ko)
    assert len(card.answer.ko) >= 80 and len(card.answer.en) >= 120
    assert not HANGUL.search(card.question.en + card.answer.en), "Hangul in the English side"
    assert card.sources and all(SEED_SOURCE.match(s) or REFERENCE_SOURCE.match(s)
                                for s in card.sources)


@pytest.mark.parametrize("card", LIBRARY.cards, ids=lambda c: c.id)
def test_card_has_quiz_material(card) -> None:  # type: ignore[no-untyped-def]
    assert card.quiz is not None
    for lang in ("ko", "en"):
        assert len(card.quiz.distractors[lang]) == 3
        assert len(card.quiz.keywords[lang]) >= 2


def test_no_two_cards_ask_the_same_question() -> None:
    for lang in ("ko", "en"):
        questions = [c.question.get(lang).strip().lower() for c in LIBRARY.cards]
        duplicates = {q for q in questions if questions.count(q) > 1}
        assert not duplicates


def test_every_formula_renders_with_mathtext() -> None:
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    failures = []
    for card in LIBRARY.cards:
        for text in (card.question.ko, card.answer.ko, card.question.en, card.answer.en):
            for tex, _display in math_fragments(text):
                try:
                    parser.parse(f"${tex}$")
                except ValueError as err:
                    failures.append(f"{card.path}: ${tex}$: {str(err).splitlines()[0]}")
    assert failures == []


#: The study notes the first cards were written from: the folder named by $QUIZAPP_SEEDS_DIR,
#: else ``shared/seeds`` beside this checkout (where the team keeps them).
SEEDS_DIR = Path(os.environ.get("QUIZAPP_SEEDS_DIR")
                 or default_content_dir().parents[1] / "shared" / "seeds")
NO_SEEDS = ("skipped: the seed notes are not here; set QUIZAPP_SEEDS_DIR to the folder of the "
            "*.txt study notes to check that every card quotes them and every question in them "
            "has a card")


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=NO_SEEDS)
def test_every_source_quotes_its_seed_verbatim() -> None:
    seeds = {p.name: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
    wrong = []
    for card in LIBRARY.cards:
        for source in card.sources:
            if REFERENCE_SOURCE.match(source):
                continue
            name, _, quote = source.partition(": ")
            if name not in seeds or quote not in seeds[name]:
                wrong.append(f"{card.id}: {source}")
    assert wrong == []


def _seed_questions() -> dict[str, list[str]]:
    """The questions each seed asks: 002's table of contents (with its indented follow-ups),
    000's ``- `` question lines and 003's ``## `` headings."""
    read = {p.name[:3]: (p.name, p.read_text(encoding="utf-8")) for p in SEEDS_DIR.glob("*.txt")}
    name002, text002 = read["002"]
    name000, text000 = read["000"]
    name003, text003 = read["003"]
    return {
        name002: re.findall(r"^\s*- \[(.+?)\]\(#", text002, re.M),
        name000: [line.strip()[2:] for line in text000.splitlines()
                  if line.strip().startswith("- ") and line.strip().endswith("?")],
        name003: [line[3:].strip() for line in text003.splitlines() if line.startswith("## ")],
    }


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=NO_SEEDS)
def test_every_seed_question_is_answered_by_a_card() -> None:
    cited = {source for card in LIBRARY.cards for source in card.sources}
    questions = _seed_questions()
    assert sum(len(q) for q in questions.values()) >= 60
    missing = [f"{name}: {q}" for name, qs in questions.items() for q in qs
               if f"{name}: {q}" not in cited]
    assert missing == []


def test_follow_up_chains_stay_in_the_library() -> None:
    for card in LIBRARY.cards:
        for ref in card.follow_ups:
            follow_up = LIBRARY.card(ref)
            assert follow_up is not None and follow_up.id != card.id
