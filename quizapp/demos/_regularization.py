"""Helpers shared by the regularization & normalization demos (no Qt, no pyplot)."""

from __future__ import annotations

from collections.abc import Iterator

from quizapp.demos.plotting import BLUE, GREEN, GREY, RED
from quizapp.trainer import EpochMetrics, StepMetrics

#: one colour per variant, used the same way in every demo of the group
WITHOUT = RED  # the plain / unregularised model
WITH = BLUE  # the model with the technique switched on
EXTRA = GREEN  # a third variant (e.g. the restored best weights)
MUTED = GREY

HUGE_EPOCHS = 10**9  # ``fit`` runs "forever"; the demo's frame count decides when to stop


def next_epoch(events: Iterator[StepMetrics | EpochMetrics]) -> EpochMetrics | None:
    """Advance a ``fit`` generator to the end of its next epoch (None when it has ended)."""
    for event in events:
        if isinstance(event, EpochMetrics):
            return event
    return None
