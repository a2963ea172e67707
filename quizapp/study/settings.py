"""Study settings stored in the progress database, with defaults for a fresh one.

The FSRS parameters live under their own config key, ``fsrs_parameters`` (a JSON list of 21
numbers), beside ``study_settings``: ``load_settings`` reads both, but ``save_settings`` never
writes the parameters, so a settings dialog opened before ``optimize`` saved new ones cannot put
the old ones back. They are written only with the memory states recomputed from them
(``study.fsrs_fit.use_parameters``).
"""

from __future__ import annotations

from dataclasses import asdict, fields

from quizapp.store import ProgressStore
from quizapp.study.queue import StudySettings
from quizapp.study.scheduling import DEFAULT_PARAMETERS, CardScheduler, checked_parameters

SETTINGS_KEY = "study_settings"
PARAMETERS_KEY = "fsrs_parameters"


def load_settings(store: ProgressStore) -> StudySettings:
    stored = store.get_setting(SETTINGS_KEY, {})
    known = {f.name for f in fields(StudySettings)} - {"fsrs_parameters"}
    values = {k: v for k, v in stored.items() if k in known}
    return StudySettings(**values, fsrs_parameters=load_parameters(store))


def save_settings(store: ProgressStore, settings: StudySettings) -> None:
    values = asdict(settings)
    values["deck_limits"] = dict(settings.deck_limits)
    del values["fsrs_parameters"]  # written only by use_parameters, with the memory states
    store.set_setting(SETTINGS_KEY, values)


def load_parameters(store: ProgressStore) -> tuple[float, ...]:
    """The saved FSRS parameters, or FSRS-6's defaults when none are saved (or the saved value
    is not 21 numbers in py-fsrs's bounds, which only a hand edit can cause)."""
    return checked_parameters(store.get_setting(PARAMETERS_KEY)) or DEFAULT_PARAMETERS


def scheduler_for(settings: StudySettings) -> CardScheduler:
    """The scheduler these settings describe: their desired retention and FSRS parameters."""
    return CardScheduler(settings.desired_retention, settings.fsrs_parameters)
