"""Every shipped card's quiz material works with the real scorer: its own full answer names at
least 80 % of its concepts and each distractor under 30 %, in both languages (issue 10)."""

from __future__ import annotations

import pytest

from quizapp.content import Card, default_content_dir, load_library
from quizapp.study.scoring import score_answer

CARDS = [card for card in load_library(default_content_dir()).cards if card.quiz is not None]


def test_every_card_has_quiz_material() -> None:
    assert len(CARDS) == len(load_library(default_content_dir()).cards) >= 380


@pytest.mark.parametrize("card", CARDS, ids=[card.id for card in CARDS])
def test_the_model_answer_scores_high_and_every_distractor_low(card: Card) -> None:
    assert card.quiz is not None
    for lang in ("ko", "en"):
        own = score_answer(card, lang, card.answer.get(lang))
        assert own.score >= 0.8, f"answer.{lang} scores {own.score:.2f}; missed {own.missed}"
        for distractor in card.quiz.distractors[lang]:
            wrong = score_answer(card, lang, distractor)
            named = [c.term for c in wrong.concepts if c.found]
            assert wrong.score < 0.3, f"distractor.{lang} {distractor!r} names {named}"
