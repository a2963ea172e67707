"""Review progress in SQLite (sqlite-utils): schema migrations, card states, review log, card
status and actions, undo."""

from quizapp.store.db import StoreError, StoreWriteError, open_database
from quizapp.store.progress import (
    FLAGS,
    NO_STATUS,
    AppliedAction,
    CardChange,
    CardRow,
    CardStatus,
    LeechRule,
    LogEntry,
    ProgressStore,
    Review,
    UndoConflictError,
    Undone,
    open_store,
)

__all__ = [
    "FLAGS",
    "NO_STATUS",
    "AppliedAction",
    "CardChange",
    "CardRow",
    "CardStatus",
    "LeechRule",
    "LogEntry",
    "ProgressStore",
    "Review",
    "StoreError",
    "StoreWriteError",
    "UndoConflictError",
    "Undone",
    "open_database",
    "open_store",
]
