"""Grade-button labels and the FSRS wrapper: one grade, all four, a replayed history, and the
parameters that drive them."""

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.store import CardRow
from quizapp.study import CardScheduler, format_interval
from quizapp.study.scheduling import DEFAULT_PARAMETERS, Answer, checked_parameters, fsrs_id


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


def test_replay_gives_what_the_grades_gave() -> None:
    scheduler = CardScheduler()
    start = datetime(2026, 11, 21, 10, tzinfo=UTC)
    answers = [Answer(start, 3, 1000), Answer(start + timedelta(minutes=10), 3, 900),
               Answer(start + timedelta(days=3), 1, 800),
               Answer(start + timedelta(days=3, minutes=10), 3, 700),
               Answer(start + timedelta(days=9), 4, 600)]
    row: CardRow | None = None
    graded = []
    for answer in answers:
        review = scheduler.review("opt-adam", row, answer.rating, answer.reviewed_at,
                                  answer.duration_ms)
        graded.append(review)
        row = CardRow("opt-adam", review.fsrs_after, review.state_after, review.due_after)
    assert scheduler.replay("opt-adam", answers) == graded
    assert [r.state_before for r in graded] == [0, 1, 2, 3, 2]


def test_one_outcome_is_the_same_as_in_all_four() -> None:
    scheduler = CardScheduler()
    now = datetime(2026, 11, 21, tzinfo=UTC)
    review = scheduler.review("x", None, 4, now, 0)
    row = CardRow("x", review.fsrs_after, review.state_after, review.due_after)
    later = review.due_after + timedelta(days=2)
    every = scheduler.outcomes("x", row, later)
    for rating in (1, 2, 3, 4):
        assert scheduler.outcome("x", row, rating, later) == every[rating]


def test_parameters_drive_the_intervals() -> None:
    now = datetime(2026, 11, 21, tzinfo=UTC)
    default = CardScheduler().outcome("x", None, 4, now).interval
    weak = (0.1, 0.5, 1.0, 3.0, *DEFAULT_PARAMETERS[4:])
    assert CardScheduler(parameters=weak).outcome("x", None, 4, now).interval < default
    assert checked_parameters(weak) == weak
    assert checked_parameters([*weak[:20], 9.0]) is None  # decay above py-fsrs's bound
    assert checked_parameters([*weak[:20], True]) is None
    assert checked_parameters(weak[:20]) is None
