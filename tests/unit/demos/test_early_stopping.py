"""The early-stopping demo: the validation minimum, stop = best + patience, restore, and L2."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.early_stopping import EarlyStoppingDemo
from quizapp.demos.runner import DemoRun


@pytest.fixture(scope="module")
def default_frame() -> dict:
    """The last frame of the default run: 300 epochs (seed 0, patience 50)."""
    demo = EarlyStoppingDemo()
    run = DemoRun(demo, demo.defaults(), limit=demo.steps)
    frame = run.run(demo.steps)
    assert frame is not None and run.finished and frame["t"] == frame["epoch"] == 300
    return frame


def test_note_holds_on_the_default_run(default_frame: dict) -> None:
    frame = default_frame
    train, val = frame["train"]["plain"], frame["val"]["plain"]
    # training loss keeps falling; validation loss has its minimum at epoch 89, then rises
    assert all(np.all(np.diff(train[start::10][:8]) < 0) for start in (100, 200))
    assert int(np.argmin(val)) + 1 == frame["best_epoch"] == 89
    assert val[-1] > 1.05 * val.min() and val[150] > 1.1 * val.min()
    # stop at best + patience = 139; the best weights restored
    assert frame["stop_epoch"] == 89 + 50 == 139
    assert frame["restored_val"] == pytest.approx(val.min(), rel=1e-9)
    # L2: weights small (norm 5.7 vs 15.5), the gap about half (0.08 vs 0.14)
    norm = frame["w_norm"]
    assert norm["l2"] == pytest.approx(5.7, abs=0.1) and norm["plain"] == pytest.approx(15.5,
                                                                                       abs=0.1)
    gap = {n: frame["val"][n][-1] - frame["train"][n][-1] for n in ("plain", "l2")}
    assert gap["l2"] == pytest.approx(0.08, abs=0.006)
    assert gap["plain"] == pytest.approx(0.14, abs=0.006)


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
