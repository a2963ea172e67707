"""The BatchNorm-in-training demo: at a high learning rate BN trains, the plain MLP does not."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.batchnorm_training import STEPS_PER_FRAME, BatchNormTraining
from quizapp.demos.runner import DemoRun


@pytest.mark.parametrize("seed", [0, 1])
def test_at_a_high_learning_rate_bn_trains_and_the_plain_net_does_not(seed: int) -> None:
    demo = BatchNormTraining()
    frame = DemoRun(demo, demo.resolve({"lr": 2.0, "seed": seed})).run(50)
    assert frame is not None and frame["step"] == 50 * STEPS_PER_FRAME
    assert frame["alive"]["bn"]
    bn_loss = frame["smooth"]["bn"][-1]
    bn_acc = frame["val_acc"]["bn"][-1, 1]
    assert bn_loss < 0.4 and bn_acc > 0.85
    plain_loss = frame["smooth"]["plain"][-1]
    plain_acc = frame["val_acc"]["plain"][-1, 1]
    # the plain net diverged, or it is stuck near chance (loss ~ ln 10, accuracy ~ 10 %)
    assert not frame["alive"]["plain"] or (plain_loss > 1.5 and plain_loss > 4 * bn_loss)
    assert plain_acc < 0.3
    assert np.isfinite(bn_loss)


def test_at_a_gentle_learning_rate_both_train() -> None:
    demo = BatchNormTraining()
    frame = DemoRun(demo, demo.resolve({"lr": 0.2, "hidden": 64})).run(40)
    assert frame is not None and all(frame["alive"].values())
    assert frame["val_acc"]["plain"][-1, 1] > 0.75 and frame["val_acc"]["bn"][-1, 1] > 0.75


def test_update_lets_the_live_window_blit() -> None:
    # same artists every frame, and limits that rarely move: the plain net diverging changes a
    # legend entry: one full redraw, then blits again
    assert full_redraws(BatchNormTraining(), BatchNormTraining.defaults(), 40) <= 10
