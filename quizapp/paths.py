"""Where the user's data lives: ``--data-dir``, else ``$QUIZAPP_DATA_DIR``, else the OS default."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "QUIZAPP_DATA_DIR"
DATABASE_NAME = "progress.sqlite3"
USER_DECKS = "decks"  # the user's own decks: <data dir>/decks, same format as content/


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the progress database (created on first use by the store)."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("quizapp", appauthor=False))


def database_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DATABASE_NAME


def user_decks_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the user's own decks (updating the app never touches it)."""
    return data_dir(override) / USER_DECKS
