"""Backups of the progress database: consistent copies with SQLite's backup API, kept in
``<data dir>/backups`` and pruned in daily, weekly and monthly tiers, as Anki does.

The app makes one when it closes, at most once a day (``backup_due``). Restoring first backs up
the current database, then puts the chosen copy in its place (the caller has closed its
connection); the copy is checked to be an intact QuizApp database before anything is replaced.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.store.db import (
    StoreError,
    StoreWriteError,
    WriteProblem,
    inspect_existing,
    write_error,
)

BACKUP_FOLDER = "backups"
PREFIX = "progress-"
SUFFIX = ".sqlite3"
_STAMP = "%Y%m%d-%H%M%S"
#: How many backups each tier keeps (Anki's defaults): the newest per day, week and month.
DAILY, WEEKLY, MONTHLY = 12, 10, 9
MIN_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime  # UTC
    size: int
    order: int = 1  # 2, 3, ... for later backups made within the same second


def backup_folder(database: Path) -> Path:
    return database.parent / BACKUP_FOLDER


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, newest first."""
    found = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}") if folder.is_dir() else []:
        name = path.name[len(PREFIX):-len(SUFFIX)]
        stamp, dash, number = name[:15], name[15:16], name[16:]
        if dash not in ("", "-"):
            continue
        try:
            made = datetime.strptime(stamp, _STAMP)
            order = int(number) if number else 1
        except ValueError:
            continue
        found.append(Backup(path, made.replace(tzinfo=UTC), path.stat().st_size, order))
    return sorted(found, key=lambda b: (b.made_at, b.order), reverse=True)


def backup_due(folder: Path, now: datetime) -> bool:
    """True when the newest backup is a day old or there is none."""
    newest = next(iter(list_backups(folder)), None)
    return newest is None or now - newest.made_at >= MIN_INTERVAL


def _free_name(folder: Path, now: datetime) -> Path:
    """A backup name for ``now`` that no existing backup has: two backups within one second
    (Back up now, then Restore) must never overwrite each other."""
    stamp = now.astimezone(UTC).strftime(_STAMP)
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{PREFIX}{stamp}-{number}{SUFFIX}"
    return target


def create_backup(database: Path, now: datetime, folder: Path | None = None) -> Path:
    """Copy ``database`` consistently (other connections may be writing) into the backup
    folder; returns the new file. Raises ``StoreWriteError`` on a full or read-only disk."""
    folder = folder or backup_folder(database)
    target = _free_name(folder, now)
    partial = target.with_name(target.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy_database(database, partial)
        os.replace(partial, target)
    except sqlite3.Error as err:
        partial.unlink(missing_ok=True)
        error = write_error(err, target)
        raise error if isinstance(error, StoreError) else StoreWriteError(
            "io", target, str(err)) from err
    except OSError as err:
        partial.unlink(missing_ok=True)
        problem: WriteProblem = (
            "disk_full" if err.errno == 28 else "read_only" if err.errno in (1, 13, 30) else "io")
        raise StoreWriteError(problem, target, err.strerror or str(err)) from err
    return target


def prune(folder: Path, now: datetime, daily: int = DAILY, weekly: int = WEEKLY,
          monthly: int = MONTHLY) -> list[Path]:
    """Delete the backups no tier keeps; returns what was deleted. Kept: the newest backup of
    each of the last ``daily`` days that have one, of the last ``weekly`` weeks, and of the last
    ``monthly`` months — and always the newest backup."""
    backups = list_backups(folder)
    keep: set[Path] = {backups[0].path} if backups else set()
    for count, period in ((daily, lambda d: d.date()),
                          (weekly, lambda d: tuple(d.isocalendar())[:2]),
                          (monthly, lambda d: (d.year, d.month))):
        seen: list[object] = []
        for backup in backups:  # newest first: the first of each period is its newest
            key = period(backup.made_at)
            if key not in seen:
                seen.append(key)
                if len(seen) <= count:
                    keep.add(backup.path)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def restore(database: Path, backup: Path, now: datetime) -> Path:
    """Put ``backup`` in place of ``database`` (whose connections must be closed), after backing
    up the current one; returns that safety copy. The backup is checked first: a damaged or
    foreign file is refused and nothing changes."""
    inspect_existing(backup)
    safety = create_backup(database, now)
    staged = database.with_name(database.name + ".restoring")
    try:
        _copy_database(backup, staged)
        for sibling in ("-wal", "-shm"):
            database.with_name(database.name + sibling).unlink(missing_ok=True)
        os.replace(staged, database)
    except (OSError, sqlite3.Error) as err:
        staged.unlink(missing_ok=True)
        raise StoreWriteError("io", database, str(err)) from err
    return safety


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` (opened read-only; other connections may be writing)
    into the new file ``target``, with SQLite's backup API."""
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            reader.backup(copy)
        finally:
            copy.close()
    finally:
        reader.close()
