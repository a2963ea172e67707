"""Review progress in SQLite (sqlite-utils): schema migrations, card states, review log."""

from quizapp.store.db import StoreError, open_database
from quizapp.store.progress import CardRow, ProgressStore, Review, open_store

__all__ = ["CardRow", "ProgressStore", "Review", "StoreError", "open_database", "open_store"]
