"""The dropout demo: renders headless; inverted scaling; dropout narrows the overfitting gap."""

from __future__ import annotations

import numpy as np
from blit_check import full_redraws

from quizapp.demos.dropout import DropoutDemo
from quizapp.demos.runner import DemoRun


def test_train_mode_mean_matches_eval_mode_output() -> None:
    demo = DropoutDemo()
    frame = DemoRun(demo, demo.resolve({"p": 0.5, "hidden": 128})).run(2)
    assert frame is not None
    h, mean, one = frame["h"], frame["mask_mean"], frame["one_mask"]
    np.testing.assert_array_equal(frame["eval_out"], h)  # eval mode is the identity
    active = h > 0
    assert active.sum() > 10
    # one mask: each unit is either dropped (0) or scaled by 1/(1-p) = 2
    assert np.all(np.isclose(one, 0.0) | np.isclose(one, 2.0 * h))
    assert 0.3 < np.mean(one[active] == 0.0) < 0.7
    # the mean over the masks matches eval mode: overall within 3 %, unit by unit within 10 %
    assert abs(mean.sum() / h.sum() - 1.0) < 0.03
    assert np.linalg.norm(mean - h) / np.linalg.norm(h) < 0.10
    # without the 1/(1-p) rescaling the mean would have been half of it
    assert abs(mean.sum() / h.sum() - 0.5) > 0.4


def test_dropout_narrows_the_validation_training_gap() -> None:
    demo = DropoutDemo()
    frame = DemoRun(demo, demo.resolve({"p": 0.5, "hidden": 128})).run(80)
    assert frame is not None and frame["epoch"] == 80
    gap = {n: frame["val"][n][-1] - frame["train"][n][-1] for n in ("plain", "dropout")}
    # the plain net overfits: its validation loss has risen well above its minimum
    assert frame["val"]["plain"][-1] > 1.3 * frame["val"]["plain"].min()
    assert gap["dropout"] < 0.75 * gap["plain"], gap


def test_update_lets_the_live_window_blit() -> None:
    # same artists every frame, and limits that rarely move: the loss axes grow in jumps, the probe
    # axes with the probe's largest value
    assert full_redraws(DropoutDemo(), DropoutDemo.resolve({"hidden": 64}), 40) <= 9
