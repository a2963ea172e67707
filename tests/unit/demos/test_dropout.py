"""The dropout demo: renders headless; inverted scaling; dropout narrows the overfitting gap."""

from __future__ import annotations

import numpy as np
from blit_check import full_redraws

from quizapp.demos.dropout import DropoutDemo
from quizapp.demos.runner import DemoRun


def test_note_holds_on_the_default_run() -> None:
    demo = DropoutDemo()
    run = DemoRun(demo, demo.defaults(), limit=demo.steps)
    frame = run.run(demo.steps)
    assert frame is not None and run.finished and frame["t"] == frame["epoch"] == 100
    train, val = frame["train"], frame["val"]
    # no dropout: training loss keeps falling (0.09), validation loss bottoms out near epoch 7
    # and climbs to 1.05
    assert np.all(np.diff(train["plain"][::10]) < 0) and abs(train["plain"][-1] - 0.09) < 0.01
    assert abs(int(np.argmin(val["plain"])) + 1 - 7) <= 2
    assert abs(val["plain"][-1] - 1.05) < 0.02
    # dropout 0.5: overfits more slowly (0.69), the gap 0.53 instead of 0.96, but still rises
    gap = {n: val[n][-1] - train[n][-1] for n in ("plain", "dropout")}
    assert abs(val["dropout"][-1] - 0.69) < 0.02
    assert abs(gap["dropout"] - 0.53) < 0.02 and abs(gap["plain"] - 0.96) < 0.02
    assert val["dropout"][-1] > 1.5 * val["dropout"].min()
    # right: one mask zeroes units or scales them by 1/(1-p) = 2; the mean is the eval output
    h, one, mean = frame["h"], frame["one_mask"], frame["mask_mean"]
    np.testing.assert_array_equal(frame["eval_out"], h)
    assert np.all(np.isclose(one, 0.0) | np.isclose(one, 2.0 * h))
    assert abs(mean.sum() / h.sum() - 1.0) < 0.02


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
