"""Content and helpers for the quiz and mock-interview screen tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

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


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def query(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows as another process would read them from the database file."""
    conn = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def ime(widget: object, preedit: str = "", commit: str = "") -> None:
    """What a Korean input method sends: the syllable being composed, or a committed one."""
    event = QInputMethodEvent(preedit, [])
    if commit:
        event.setCommitString(commit)
    QApplication.sendEvent(widget, event)


def type_korean(widget: object, text: str) -> None:
    """Type ``text`` as a 2-set input method does: each syllable is first composed (preedit)
    and committed when the next key starts a new one."""
    for char in text:
        ime(widget, preedit=char)
        ime(widget, commit=char)
