"""Review progress in SQLite (plain sqlite3; sqlite-utils for the schema steps): migrations,
card states, review log, card status and actions, undo."""

from quizapp.store.db import StoreError, StoreWriteError, connect, open_database
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
    QueueRow,
    Review,
    UndoConflictError,
    Undone,
    Version,
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
    "QueueRow",
    "Review",
    "StoreError",
    "StoreWriteError",
    "UndoConflictError",
    "Undone",
    "Version",
    "connect",
    "open_database",
    "open_store",
]
