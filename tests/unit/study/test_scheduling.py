"""Grade-button labels and the FSRS wrapper."""

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.study import CardScheduler, format_interval
from quizapp.study.scheduling import fsrs_id


@pytest.mark.parametrize(("seconds", "ko", "en"), [
    (30, "1분", "1m"), (600, "10분", "10m"), (3 * 3600, "3시간", "3h"), (86400, "1일", "1d"),
    (4.4 * 86400, "4일", "4d"), (75 * 86400, "2.5개월", "2.5mo"), (400 * 86400, "1.1년", "1.1y"),
])
def test_interval_labels(seconds: float, ko: str, en: str) -> None:
    assert format_interval(timedelta(seconds=seconds), "ko") == ko
    assert format_interval(timedelta(seconds=seconds), "en") == en


def test_new_card_outcomes_follow_fsrs_learning_steps() -> None:
    now = datetime(2026, 11, 21, tzinfo=UTC)
    outcomes = CardScheduler().outcomes("opt-adam", None, now)
    # py-fsrs defaults: learning steps 1 min and 10 min; Hard averages them; Easy graduates.
    assert outcomes[1].interval == timedelta(minutes=1)
    assert outcomes[2].interval == timedelta(minutes=5.5)
    assert outcomes[3].interval == timedelta(minutes=10)
    assert outcomes[4].interval >= timedelta(days=1)


def test_fsrs_id_is_stable_and_distinct() -> None:
    assert fsrs_id("opt-adam") == fsrs_id("opt-adam") != fsrs_id("opt-adamw")
    assert 0 < fsrs_id("x") < 2**63
