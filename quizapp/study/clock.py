"""Study days: a day starts at a set local hour (4 am by default, as in Anki), not at midnight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DayClock:
    """Turns instants into study days. ``tz`` None means the machine's local time zone."""

    day_start_hour: int = 4
    tz: tzinfo | None = None

    def day_start(self, now: datetime) -> datetime:
        """The start (as an aware UTC instant) of the study day that contains ``now``."""
        local = now.astimezone(self.tz)
        start = local.replace(hour=self.day_start_hour, minute=0, second=0, microsecond=0)
        if local < start:
            start -= timedelta(days=1)
        # Re-attach the zone's offset for that wall time (DST changes move it).
        start = start.replace(tzinfo=None).astimezone(self.tz) if self.tz is None else start
        return start.astimezone(UTC)

    def next_day_start(self, now: datetime) -> datetime:
        return self.day_start(self.day_start(now) + timedelta(hours=36))

    def day_number(self, now: datetime) -> int:
        """The study day containing ``now`` as a day count (its local date's ordinal): two
        instants are ``b - a`` study days apart, as FSRS counts elapsed days."""
        return self.day_start(now).astimezone(self.tz).date().toordinal()
