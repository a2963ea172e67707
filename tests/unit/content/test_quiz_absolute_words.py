"""A multiple-choice question must not give its answer away by absolute words: over the shipped
cards a Korean distractor says 항상/절대/반드시... about eight times as often as a correct answer,
so the one option without such a word must never be the answer by elimination."""

from __future__ import annotations

import re

import pytest

from quizapp.content import default_content_dir, load_library

CARDS = [card for card in load_library(default_content_dir()).cards if card.quiz is not None]
ABSOLUTE = {
    "ko": re.compile(r"항상|절대|언제나|결코|반드시|모든 경우|어떤 경우에도|전혀|무조건|오직|뿐이"),
    "en": re.compile(r"\b(always|never|only|guarantee[sd]?|no matter|impossible|entirely|"
                     r"completely|any case|all cases)\b", re.IGNORECASE),
}


@pytest.mark.parametrize("lang", list(ABSOLUTE))
def test_the_answer_is_never_the_only_option_without_an_absolute_word(lang: str) -> None:
    absolute = ABSOLUTE[lang]
    given_away = []
    for card in CARDS:
        assert card.quiz is not None and card.quiz.answer is not None
        distractors = card.quiz.distractors[lang]
        if (not absolute.search(card.quiz.answer.get(lang))
                and all(absolute.search(d) for d in distractors)):
            given_away.append(card.id)
    assert not given_away, f"{lang}: every wrong option says always/never: {given_away}"


def test_the_words_are_found_where_a_reader_sees_them() -> None:
    assert ABSOLUTE["ko"].search("학습률은 항상 낮춰야 한다")
    assert ABSOLUTE["en"].search("It ALWAYS converges") and ABSOLUTE["en"].search("only if")
    assert not ABSOLUTE["en"].search("the onlyness of alwaysness")
