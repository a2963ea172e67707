"""loss-goes-up: renders headless; a too-high rate raises the loss, mini-batches sometimes do."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.demos.loss_goes_up import LossGoesUp
from quizapp.demos.runner import DemoRun


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(LossGoesUp(), LossGoesUp.defaults(), limit=LossGoesUp.steps)
    frame = run.run(LossGoesUp.steps)
    assert frame is not None and run.finished and frame["t"] == LossGoesUp.steps - 1
    small, edge, high = frame["quad_loss"]  # η·λ_max = 0.5, 1.9 and 2.2
    assert np.all(np.diff(small) < 0) and np.all(np.diff(edge) < 0)  # down at every step
    theta1 = frame["paths"][1][:, 0]  # 1.9: θ1 flips sign every step
    assert np.all(np.sign(theta1[1:]) == -np.sign(theta1[:-1]))
    # 2.2: the steep component grows 1.2x per step, the loss 1.44x, until it leaves (~75 steps)
    steep = frame["paths"][2][:, 0]
    np.testing.assert_allclose(steep[1:] / steep[:-1], -1.2, rtol=1e-9)
    assert np.all(np.diff(high) > 0)
    assert high[-1] / high[-2] == pytest.approx(1.44, rel=1e-3)
    assert frame["alive"] == [True, True, False] and 70 <= len(high) <= 80
    # right: mini-batch training raises the full loss on about a quarter of its steps ...
    mini, full = frame["full_loss"]["mini"], frame["full_loss"]["full"]
    ups = int(np.sum(np.diff(mini) > 0))
    assert ups == frame["ups"] and 0.15 < ups / frame["t"] < 0.35
    assert mini[-1] < 0.3 * mini[0]  # while it still goes down overall
    assert np.all(np.diff(full) < 0)  # full-batch gradient descent at the same rate: never up


def test_rate_above_two_over_lambda_max_raises_the_loss_every_step() -> None:
    frame = DemoRun(LossGoesUp(), LossGoesUp.defaults()).run(41)  # rates 0.5, 1.9, 2.2
    assert frame is not None
    small, edge, high = (np.diff(loss) for loss in frame["quad_loss"])
    assert np.all(high > 0)  # 2.2 > 2: |1 - 2.2| = 1.2 per step in the steep direction
    assert frame["quad_loss"][2][-1] > 1e3 * frame["quad_loss"][2][0]
    assert np.all(small < 0) and np.all(edge < 0)  # below 2/λ_max: down at every step
    # at 1.9 the steep coordinate flips sign every step (oscillation) yet the loss falls
    theta1 = frame["paths"][1][:, 0]
    assert np.all(np.sign(theta1[1:]) == -np.sign(theta1[:-1]))
    # the high-rate run is the one that eventually leaves the picture
    later = DemoRun(LossGoesUp(), LossGoesUp.defaults()).run(150)
    assert later is not None and later["alive"] == [True, True, False]
    assert not later["diverged"]


def test_mini_batch_noise_sometimes_raises_the_full_loss() -> None:
    frame = DemoRun(LossGoesUp(), LossGoesUp.defaults()).run(151)
    assert frame is not None
    mini, full = frame["full_loss"]["mini"], frame["full_loss"]["full"]
    ups = int(np.sum(np.diff(mini) > 0))
    assert ups == frame["ups"] and ups >= 15  # with B = 8, lr 0.02
    assert mini[-1] < 0.3 * mini[0]  # overall it still goes down
    assert np.all(np.diff(full) < 0)  # full-batch GD at the same small rate: never up
