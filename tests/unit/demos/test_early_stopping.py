"""The early-stopping demo: the validation minimum, stop = best + patience, restore, and L2."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.early_stopping import EarlyStoppingDemo
from quizapp.demos.runner import DemoRun


@pytest.fixture(scope="module")
def default_frame() -> dict:
    """The last frame of 500 epochs with the default parameters (seed 0, patience 50)."""
    demo = EarlyStoppingDemo()
    frame = DemoRun(demo, demo.defaults()).run(100)
    assert frame is not None and frame["epoch"] == 500
    return frame


@pytest.mark.parametrize(("seed", "patience"), [(0, 50), (1, 20)])
def test_early_stopping_stops_at_best_plus_patience_and_restores(
        seed: int, patience: int, default_frame: dict) -> None:
    if seed == 0:
        frame = default_frame
    else:
        demo = EarlyStoppingDemo()
        frame = DemoRun(demo, demo.resolve({"seed": seed, "patience": patience})).run(40)
        assert frame is not None
    val = frame["val"]["plain"]
    # overfitting: validation loss has its minimum well before the last epoch and rises after
    assert np.argmin(val) + 1 < len(val) - patience
    assert val[-1] > 1.05 * val.min()
    stop, best = frame["stop_epoch"], frame["best_epoch"]
    assert stop is not None and stop == best + patience
    early = frame["val"]["early"]
    assert len(early) == stop
    # the early-stopped twin followed the plain run exactly until it stopped
    np.testing.assert_array_equal(early, val[:stop])
    assert best == int(np.argmin(early)) + 1
    # restoring the best weights gives back the best validation loss
    assert frame["restored_val"] == pytest.approx(early.min(), rel=1e-9)
    assert frame["restored_val"] < val[-1]


def test_l2_penalty_reduces_the_final_train_validation_gap(default_frame: dict) -> None:
    frame = default_frame
    gap = {n: frame["val"][n][-1] - frame["train"][n][-1] for n in ("plain", "l2")}
    assert gap["l2"] < 0.6 * gap["plain"], gap
    # the unpenalised net fits its training points far more tightly
    assert frame["train"]["plain"][-1] < 0.7 * frame["train"]["l2"][-1]


def test_update_lets_the_live_window_blit() -> None:
    # same artists every frame, and limits that rarely move: stopping early only shows artists that
    # were already there
    assert full_redraws(EarlyStoppingDemo(), EarlyStoppingDemo.resolve({"patience": 5}),
                        40) <= 9
