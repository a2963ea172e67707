"""Review progress in SQLite (sqlite-utils): schema migrations, card states, review log."""

from quizapp.store.db import StoreError, StoreWriteError, open_database
from quizapp.store.progress import (
    CardRow,
    LogEntry,
    ProgressStore,
    Review,
    UndoConflictError,
    open_store,
)

__all__ = ["CardRow", "LogEntry", "ProgressStore", "Review", "StoreError", "StoreWriteError",
           "UndoConflictError", "open_database", "open_store"]
