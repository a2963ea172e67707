"""Study settings stored in the progress database, with defaults for a fresh one.

The FSRS parameters live under their own config key, ``fsrs_parameters`` (a JSON list of 21
numbers), beside ``study_settings``: ``load_settings`` reads both, but ``save_settings`` never
writes the parameters, so a settings dialog opened before ``optimize`` saved new ones cannot put
the old ones back. They are written only with the memory states recomputed from them
(``study.fsrs_fit.use_parameters``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from quizapp.errors import UserError
from quizapp.store import ProgressStore
from quizapp.study.queue import StudySettings
from quizapp.study.scheduling import DEFAULT_PARAMETERS, CardScheduler, checked_parameters

SETTINGS_KEY = "study_settings"
PARAMETERS_KEY = "fsrs_parameters"

#: The range each number setting accepts (inclusive); the dialog and ``load_settings`` use them.
RANGES: dict[str, tuple[float, float]] = {
    "new_per_day": (0, 9999),
    "deck_new_per_day": (0, 9999),
    "day_start_hour": (0, 23),
    "desired_retention": (0.70, 0.97),
}
MAX_STEPS = 10
STEP_RANGE_S = (1, 86400)  # a step of one second to one day (longer belongs to FSRS)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class SettingProblem:
    """A setting outside its range: which one, the value refused, and the range it needs."""

    name: str
    value: object
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.name} must be between {self.low:g} and {self.high:g}, not {self.value}"


class SettingsError(UserError):
    """Settings refused; ``problems`` says which and why."""

    def __init__(self, problems: list[SettingProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def setting_problems(settings: StudySettings) -> list[SettingProblem]:
    """Every value of ``settings`` outside its range (empty when all are fine)."""
    problems = []
    for name, (low, high) in RANGES.items():
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not low <= value <= high or (isinstance(low, int) and value != int(value)):
            problems.append(SettingProblem(name, value, low, high))
    for deck, limit in settings.deck_limits.items():
        low, high = RANGES["deck_new_per_day"]
        if isinstance(limit, bool) or not isinstance(limit, int) or not low <= limit <= high:
            problems.append(SettingProblem(f"deck_limits[{deck}]", limit, low, high))
    for name in ("learning_steps", "relearning_steps"):
        steps = getattr(settings, name)
        if len(steps) > MAX_STEPS:
            problems.append(SettingProblem(f"{name} (count)", len(steps), 0, MAX_STEPS))
        for step in steps:
            if isinstance(step, bool) or not isinstance(step, int) \
                    or not STEP_RANGE_S[0] <= step <= STEP_RANGE_S[1]:
                problems.append(SettingProblem(f"{name} (seconds)", step, *STEP_RANGE_S))
    return problems


def parse_steps(text: str) -> tuple[int, ...]:
    """Steps written as Anki writes them ("1m 10m", "30s, 1h", "1d"; a bare number is
    minutes) in seconds. Raises ``ValueError`` naming the first part that is not a step in
    range."""
    steps = []
    for token in text.replace(",", " ").split():
        number, unit = (token[:-1], token[-1].lower()) if token[-1:].isalpha() else (token, "m")
        try:
            seconds = round(float(number) * _UNITS[unit])
        except (KeyError, ValueError, OverflowError):
            raise ValueError(token) from None
        if not STEP_RANGE_S[0] <= seconds <= STEP_RANGE_S[1]:
            raise ValueError(token)
        steps.append(seconds)
    if len(steps) > MAX_STEPS:
        raise ValueError(text.split()[MAX_STEPS])
    return tuple(steps)


def format_steps(steps: tuple[int, ...]) -> str:
    """``steps`` (seconds) in the largest unit that divides each: (60, 600) -> "1m 10m"."""
    parts = []
    for step in steps:
        unit = next(u for u in ("d", "h", "m", "s") if step % _UNITS[u] == 0)
        parts.append(f"{step // _UNITS[unit]}{unit}")
    return " ".join(parts)


def load_settings(store: ProgressStore) -> StudySettings:
    """The stored settings; a value outside its range (only a hand edit can store one) falls
    back to its default, so a damaged entry never stops studying."""
    stored = store.get_setting(SETTINGS_KEY, {})
    stored = stored if isinstance(stored, dict) else {}
    known = {f.name for f in fields(StudySettings)} - {"fsrs_parameters"}
    values: dict[str, Any] = {}
    for name, value in stored.items():
        if name not in known:
            continue
        if name in ("learning_steps", "relearning_steps") and isinstance(value, list):
            value = tuple(value)
        if name == "deck_limits" and not isinstance(value, dict):
            continue
        try:
            candidate = StudySettings(**{name: value})
        except TypeError:
            continue
        if not setting_problems(candidate):
            values[name] = value
    return StudySettings(**values, fsrs_parameters=load_parameters(store))


def save_settings(store: ProgressStore, settings: StudySettings) -> None:
    """Store ``settings``; raises ``SettingsError`` (nothing stored) when a value is out of
    range."""
    problems = setting_problems(settings)
    if problems:
        raise SettingsError(problems)
    values = asdict(settings)
    values["deck_limits"] = dict(settings.deck_limits)
    del values["fsrs_parameters"]  # written only by use_parameters, with the memory states
    store.set_setting(SETTINGS_KEY, values)


def load_parameters(store: ProgressStore) -> tuple[float, ...]:
    """The saved FSRS parameters, or FSRS-6's defaults when none are saved (or the saved value
    is not 21 numbers in py-fsrs's bounds, which only a hand edit can cause)."""
    return checked_parameters(store.get_setting(PARAMETERS_KEY)) or DEFAULT_PARAMETERS


def scheduler_for(settings: StudySettings) -> CardScheduler:
    """The scheduler these settings describe: desired retention, FSRS parameters, steps."""
    return CardScheduler(settings.desired_retention, settings.fsrs_parameters,
                         settings.learning_steps, settings.relearning_steps)
