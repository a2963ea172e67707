"""A multiple-choice question must not give its answer away by length: a user who learns that
"the longest option is right" would pass the quiz without knowing the material (found on a
new-user walk: the correct option was the longest in 251 of 380 Korean questions)."""

from __future__ import annotations

import pytest

from quizapp.content import Card, default_content_dir, load_library

CARDS = [card for card in load_library(default_content_dir()).cards if card.quiz is not None]
LANGS = ("ko", "en")


def _lengths(card: Card, lang: str) -> tuple[int, list[int]]:
    assert card.quiz is not None
    return len(card.quiz.answer.get(lang)), [len(d) for d in card.quiz.distractors[lang]]


@pytest.mark.parametrize("card", CARDS, ids=[card.id for card in CARDS])
def test_the_correct_option_is_about_as_long_as_the_wrong_ones(card: Card) -> None:
    for lang in LANGS:
        answer, distractors = _lengths(card, lang)
        ratio = answer / (sum(distractors) / len(distractors))
        assert 0.6 <= ratio <= 1.5, (
            f"{card.id} {lang}: the correct option has {answer} characters, the distractors "
            f"{distractors} (ratio {ratio:.2f}, allowed 0.6-1.5)"
        )


@pytest.mark.parametrize("lang", LANGS)
def test_the_longest_option_is_not_usually_the_correct_one(lang: str) -> None:
    longest = [card.id for card in CARDS if _lengths(card, lang)[0] > max(_lengths(card, lang)[1])]
    # Chance alone makes the correct option the strict longest in about a quarter of questions.
    assert len(longest) <= 0.35 * len(CARDS), f"{len(longest)} of {len(CARDS)}: {longest[:20]}"
