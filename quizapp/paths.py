"""Where the user's data lives: ``--data-dir``, else ``$QUIZAPP_DATA_DIR``, else the OS default."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "QUIZAPP_DATA_DIR"
DATABASE_NAME = "progress.sqlite3"
USER_DECKS = "decks"  # the user's own decks: <data dir>/decks, same format as content/
MATPLOTLIB_CACHE = ("cache", "matplotlib")  # the desktop bundle's matplotlib font list


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


def keep_bundle_matplotlib_cache(folder: Path) -> None:
    """For the desktop bundle: keep matplotlib's font list in the data folder ``folder``.

    PyInstaller's run-time hook points matplotlib at a new temporary folder at every start, so
    the bundle listed every font on the machine again at the first demo or formula of each
    session (0.4 s here, seconds on a machine with many fonts). Not the user's own
    ``~/.cache/matplotlib``: the bundle's list names the bundle's files, and matplotlib there
    would read it. If the bundle is moved, matplotlib finds a listed file missing and lists the
    fonts again.
    """
    os.environ["MPLCONFIGDIR"] = str(folder.joinpath(*MATPLOTLIB_CACHE))
