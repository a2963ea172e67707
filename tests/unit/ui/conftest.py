"""Content for the quiz and mock-interview screens: cards with quiz material."""

from __future__ import annotations

from pathlib import Path

import pytest
from card_files import write_card, write_deck

#: id: (deck, tags, follow-ups, question ko, question en, answer ko, answer en,
#:      keywords ko, keywords en)
REHEARSAL_CARDS = {
    "r1": ("alpha", ["overfit", "reg"], ["r2"], "과적합을 막는 방법은? $\\lambda$ 의 역할은?",
           "How do you prevent overfitting? What does $\\lambda$ do?",
           "정규화로 가중치를 줄인다.", "Regularization shrinks the weights.",
           ["정규화|규제", "드롭아웃", "조기 종료"],
           ["regularization", "dropout", "early stopping"]),
    "r2": ("alpha", ["dropout"], ["r3"], "드롭아웃은 추론 때 어떻게 하나요?",
           "What does dropout do at inference?",
           "추론 때는 끄고 스케일을 맞춘다.", "It is switched off; activations are scaled.",
           ["끈다|끄고", "스케일"], ["switched off|turned off", "scale"]),
    "r3": ("alpha", ["dropout"], [], "역드롭아웃이란?", "What is inverted dropout?",
           "학습 때 1/(1-p)로 나눈다.", "Training divides by 1-p.",
           ["학습 때", "나눈다"], ["training", "divide"]),
    "r4": ("beta", ["reg"], [], "L2 정규화의 효과는?", "What does L2 regularization do?",
           "가중치를 작게 만든다.", "It keeps the weights small.",
           ["가중치", "작게"], ["weights", "small"]),
    "r5": ("beta", ["norm"], [], "배치 정규화는 추론 때 무엇을 쓰나요?",
           "What does batch norm use at inference?",
           "이동 평균 통계를 쓴다.", "Running statistics.",
           ["이동 평균|running", "통계"], ["running average|running", "statistics"]),
}


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


@pytest.fixture
def rehearsal_content(tmp_path: Path) -> Path:
    """Two decks, five cards with quiz material; r1 → r2 → r3 is a follow-up chain and r1's
    question has a formula."""
    root = tmp_path / "content"
    for order, deck in enumerate(("alpha", "beta"), 1):
        write_deck(root / deck, deck, order=order)
    for number, (card_id, card) in enumerate(REHEARSAL_CARDS.items(), 1):
        deck, tags, follow_ups, qko, qen, ako, aen, kko, ken = card
        extra = (f"tags = {_toml_list(tags)}\nfollow_ups = {_toml_list(follow_ups)}\n"
                 f'[quiz.answer]\nko = "{ako}"\nen = "{aen}"\n'
                 f"[quiz.distractors]\n"
                 f"ko = {_toml_list([f'{card_id} 오답 {n}' for n in (1, 2, 3)])}\n"
                 f"en = {_toml_list([f'{card_id} wrong {n}' for n in (1, 2, 3)])}\n"
                 f"[quiz.keywords]\nko = {_toml_list(kko)}\nen = {_toml_list(ken)}\n")
        write_card(root / deck, f"{number:02d}.md", card_id, extra=extra, ko=qko, en=qen)
    return root
