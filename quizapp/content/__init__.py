"""Cards and decks: the model, the loader for ``content/`` and its validator (pure Python)."""

from quizapp.content.loader import (
    card_file_problem,
    check_demo_links,
    default_content_dir,
    load_library,
)
from quizapp.content.model import Card, Deck, DemoRef, Issue, Library, Quiz, Text

__all__ = [
    "Card",
    "Deck",
    "DemoRef",
    "Issue",
    "Library",
    "Quiz",
    "Text",
    "card_file_problem",
    "check_demo_links",
    "default_content_dir",
    "load_library",
]
