"""Study settings stored in the progress database, with defaults for a fresh one."""

from __future__ import annotations

from dataclasses import asdict, fields

from quizapp.store import ProgressStore
from quizapp.study.queue import StudySettings

SETTINGS_KEY = "study_settings"


def load_settings(store: ProgressStore) -> StudySettings:
    stored = store.get_setting(SETTINGS_KEY, {})
    known = {f.name for f in fields(StudySettings)}
    return StudySettings(**{k: v for k, v in stored.items() if k in known})


def save_settings(store: ProgressStore, settings: StudySettings) -> None:
    values = asdict(settings)
    values["deck_limits"] = dict(settings.deck_limits)
    store.set_setting(SETTINGS_KEY, values)
