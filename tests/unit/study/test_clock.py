"""A study day starts at the configured local hour, across time zones and DST changes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from quizapp.study import DayClock

UTC = UTC


def test_before_4am_local_still_belongs_to_yesterday() -> None:
    seoul = DayClock(4, ZoneInfo("Asia/Seoul"))  # UTC+9: 4 am local is 19:00 UTC
    assert seoul.day_start(datetime(2026, 11, 21, 18, 59, tzinfo=UTC)) == datetime(
        2026, 11, 20, 19, tzinfo=UTC)
    assert seoul.day_start(datetime(2026, 11, 21, 19, 0, tzinfo=UTC)) == datetime(
        2026, 11, 21, 19, tzinfo=UTC)
    assert seoul.next_day_start(datetime(2026, 11, 21, 19, 0, tzinfo=UTC)) == datetime(
        2026, 11, 22, 19, tzinfo=UTC)


def test_day_boundary_follows_daylight_saving_time() -> None:
    berlin = DayClock(4, ZoneInfo("Europe/Berlin"))
    # 29 March 2026: clocks go from CET (+1) to CEST (+2) at 2 am.
    assert berlin.day_start(datetime(2026, 3, 29, 12, tzinfo=UTC)) == datetime(
        2026, 3, 29, 2, tzinfo=UTC)
    assert berlin.day_start(datetime(2026, 3, 28, 12, tzinfo=UTC)) == datetime(
        2026, 3, 28, 3, tzinfo=UTC)


def test_configurable_hour() -> None:
    clock = DayClock(0, ZoneInfo("UTC"))
    assert clock.day_start(datetime(2026, 1, 1, 0, 30, tzinfo=UTC)) == datetime(
        2026, 1, 1, tzinfo=UTC)
