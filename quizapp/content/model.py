"""The immutable card and deck model that the loader produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("ko", "en")


@dataclass(frozen=True)
class Text:
    """One piece of text in both languages (Markdown with ``$..$`` math)."""

    ko: str
    en: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def to_json(self) -> dict[str, str]:
        return {"ko": self.ko, "en": self.en}


@dataclass(frozen=True)
class DemoRef:
    """A card's link to a live demo, with parameter presets."""

    id: str
    params: dict[str, Any] = field(default_factory=dict)
    line: int = 1  # where the card file declares it, for path:line messages

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "params": dict(self.params)}


@dataclass(frozen=True)
class Quiz:
    """Material for quiz and mock-interview modes.

    ``answer`` is the short correct answer (one sentence per language), shown among the
    ``distractors`` in multiple choice. ``keywords`` are the concepts a good answer names: the
    ``ko`` and ``en`` lists are aligned concept by concept, and an entry may list alternative
    surface forms separated by ``|`` (``"과적합|오버피팅"``).
    """

    distractors: dict[str, list[str]]
    keywords: dict[str, list[str]]
    answer: Text | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer.to_json() if self.answer else None,
            "distractors": {k: list(v) for k, v in self.distractors.items()},
            "keywords": {k: list(v) for k, v in self.keywords.items()},
        }


@dataclass(frozen=True)
class Card:
    """One question-and-answer card. ``id`` is stable: progress is keyed by it."""

    id: str
    deck: str
    question: Text
    answer: Text
    tags: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    demo: DemoRef | None = None
    quiz: Quiz | None = None
    sources: tuple[str, ...] = ()
    path: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "deck": self.deck,
            "tags": list(self.tags),
            "question": self.question.to_json(),
            "answer": self.answer.to_json(),
            "follow_ups": list(self.follow_ups),
            "demo": self.demo.to_json() if self.demo else None,
            "sources": list(self.sources),
            "quiz": self.quiz.to_json() if self.quiz else None,
        }


@dataclass(frozen=True)
class Deck:
    """A named group of cards (one folder of ``content/``)."""

    id: str
    title: Text
    order: int = 0
    path: Path | None = None


@dataclass(frozen=True)
class Issue:
    """A problem found in a content file, reported as ``path:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "line": self.line, "message": self.message}


@dataclass
class Library:
    """Everything loaded from a content folder: valid decks and cards, and the issues found."""

    decks: list[Deck]
    cards: list[Card]
    issues: list[Issue]
    skipped: list[Path] = field(default_factory=list)  # files not loaded because of an issue
    user_dir: Path | None = None  # the user's own decks, loaded beside the shipped ones
    content_dir: Path | None = None  # the shipped decks' folder
    cache_dir: Path | None = None  # where the loader keeps what the card files gave

    def is_user_card(self, card: Card) -> bool:
        """True for a card from the user's decks (editable in place)."""
        return (self.user_dir is not None and card.path is not None
                and card.path.is_relative_to(self.user_dir))

    def __post_init__(self) -> None:
        self._by_id = {card.id: card for card in self.cards}

    def replace_cards(self, cards: list[Card]) -> None:
        """Swap in updated versions of the cards (same ids, same order)."""
        self.cards = cards
        self._by_id = {card.id: card for card in cards}

    def card(self, card_id: str) -> Card | None:
        return self._by_id.get(card_id)

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def cards_in(self, deck_id: str | None) -> list[Card]:
        """Cards of one deck, or of all decks when ``deck_id`` is None, in content order."""
        return [c for c in self.cards if deck_id is None or c.deck == deck_id]

    def to_json(self) -> dict[str, Any]:
        return {
            "decks": [
                {"id": d.id, "title": d.title.to_json(), "cards": len(self.cards_in(d.id))}
                for d in self.decks
            ],
            "cards": [c.to_json() for c in self.cards],
            "errors": [i.to_json() for i in self.issues],
        }
