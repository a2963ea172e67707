"""Study settings: ranges refused with a message, steps written as Anki writes them, damaged
stored values falling back to defaults, and the schedule following what was saved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.store import CardRow, ProgressStore, open_store
from quizapp.study import StudySettings, load_settings, save_settings
from quizapp.study.settings import (
    SETTINGS_KEY,
    SettingsError,
    format_steps,
    parse_steps,
    scheduler_for,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "progress.sqlite3") as opened:
        yield opened


@pytest.mark.parametrize(("text", "seconds"), [
    ("1m 10m", (60, 600)), ("30s, 1h", (30, 3600)), ("1d", (86400,)), ("5", (300,)),
    ("1.5m", (90,)), ("", ()), ("  10M  ", (600,)),
])
def test_steps_are_parsed_as_anki_writes_them(text: str, seconds: tuple[int, ...]) -> None:
    assert parse_steps(text) == seconds


@pytest.mark.parametrize(("text", "bad"), [
    ("1m ten", "ten"), ("1x", "1x"), ("0m", "0m"), ("2d", "2d"), ("-1m", "-1m"),
    ("1m nanm", "nanm"), ("infm", "infm"), ("1e400s", "1e400s"), (" ".join(["1m"] * 11), "1m"),
])
def test_a_bad_step_is_named(text: str, bad: str) -> None:
    with pytest.raises(ValueError, match=f"^{bad}$"):
        parse_steps(text)


def test_steps_print_in_the_largest_whole_unit() -> None:
    assert format_steps((60, 600)) == "1m 10m"
    assert format_steps((30, 3600, 86400, 90)) == "30s 1h 1d 90s"
    assert parse_steps(format_steps((45, 7200))) == (45, 7200)


def test_saved_settings_come_back(store: ProgressStore) -> None:
    settings = StudySettings(new_per_day=35, deck_new_per_day=7, deck_limits={"a": 3},
                             day_start_hour=0, desired_retention=0.85,
                             learning_steps=(30, 300, 1800), relearning_steps=())
    save_settings(store, settings)
    assert load_settings(store) == replace(settings, fsrs_parameters=load_settings(
        store).fsrs_parameters)


@pytest.mark.parametrize("change", [
    {"desired_retention": 0.99}, {"desired_retention": 0.5}, {"day_start_hour": 24},
    {"new_per_day": -1}, {"deck_new_per_day": 10_000}, {"deck_limits": {"a": -2}},
    {"learning_steps": (0,)}, {"relearning_steps": (86401,)}, {"learning_steps": (60,) * 11},
])
def test_out_of_range_values_are_refused_and_nothing_is_stored(
        store: ProgressStore, change: dict[str, object]) -> None:
    save_settings(store, StudySettings(new_per_day=12))
    with pytest.raises(SettingsError) as refused:
        save_settings(store, replace(StudySettings(), **change))  # type: ignore[arg-type]
    name = next(iter(change))
    assert name in str(refused.value) and "between" in str(refused.value)
    assert load_settings(store).new_per_day == 12


def test_a_damaged_stored_value_falls_back_to_its_default(store: ProgressStore) -> None:
    store.set_setting(SETTINGS_KEY, {"new_per_day": "lots", "desired_retention": 3,
                                     "day_start_hour": 6, "learning_steps": [60, "x"],
                                     "deck_limits": [1, 2], "unknown": 1})
    settings = load_settings(store)
    assert settings.day_start_hour == 6
    assert (settings.new_per_day, settings.desired_retention) == (20, 0.9)
    assert settings.learning_steps == (60, 600) and settings.deck_limits == {}
    store.set_setting(SETTINGS_KEY, "not a dict")
    assert load_settings(store) == replace(StudySettings(),
                                           fsrs_parameters=settings.fsrs_parameters)


def test_the_schedule_follows_the_saved_steps_and_retention(store: ProgressStore) -> None:
    def interval(settings: StudySettings, rating: int) -> timedelta:
        return scheduler_for(settings).outcome("a1", None, rating, NOW).interval

    default = StudySettings()
    assert interval(default, 1) == timedelta(minutes=1)
    assert interval(default, 3) == timedelta(minutes=10)
    slower = replace(default, learning_steps=(300, 3600))
    assert interval(slower, 1) == timedelta(minutes=5)
    assert interval(slower, 3) == timedelta(hours=1)
    no_steps = replace(default, learning_steps=())
    assert interval(no_steps, 3) >= timedelta(days=1)  # straight to review
    scheduler = scheduler_for(default)
    good = scheduler.outcome("a1", None, 3, NOW)  # learning step 1 -> graduate next

    row = CardRow("a1", good.card.to_json(), int(good.card.state), good.card.due)
    later = NOW + timedelta(minutes=10)
    at_90 = scheduler_for(default).outcome("a1", row, 3, later).interval
    at_80 = scheduler_for(replace(default, desired_retention=0.8)).outcome(
        "a1", row, 3, later).interval
    assert at_80 > at_90
