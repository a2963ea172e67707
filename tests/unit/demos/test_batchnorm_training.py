"""The BatchNorm-in-training demo: at a high learning rate BN trains, the plain MLP does not."""

from __future__ import annotations

import numpy as np
from blit_check import full_redraws

from quizapp.demos.batchnorm_training import BatchNormTraining
from quizapp.demos.runner import DemoRun


def last_frame(**overrides: object) -> dict:
    demo = BatchNormTraining()
    run = DemoRun(demo, demo.resolve(overrides), limit=demo.steps)
    frame = run.run(demo.steps)
    assert frame is not None and run.finished and frame["t"] == frame["step"] == 400
    return frame


def plain_net_failed(frame: dict) -> bool:
    """The plain net's loss exploded within 50 steps, or it is stuck at ln 10 with every ReLU
    of a hidden layer dead; either way it ends at chance accuracy."""
    chance = bool(frame["val_acc"]["plain"][-1, 1] <= 0.11)
    exploded = not frame["alive"]["plain"] and len(frame["loss"]["plain"]) < 50
    stuck = (frame["alive"]["plain"] and abs(frame["smooth"]["plain"][-1] - np.log(10)) < 0.05
             and frame["dead"]["plain"].max() == 1.0)
    return chance and (exploded or stuck)


def test_note_holds_on_the_default_run() -> None:
    frame = last_frame()
    # lr 2: the plain net fails (here: its loss explodes), the BN net trains to over 90 %
    assert plain_net_failed(frame) and not frame["alive"]["plain"]
    acc = frame["val_acc"]["bn"][:, 1]
    assert frame["alive"]["bn"] and acc[-1] > 0.9 and acc.max() > 0.93
    assert frame["dead"]["bn"].max() < 0.05
    # another seed: the plain net is stuck at ln 10, a hidden layer all dead ReLUs
    other = last_frame(seed=1)
    assert plain_net_failed(other) and other["alive"]["plain"]
    assert other["val_acc"]["bn"][-1, 1] > 0.9


def test_note_on_lower_rates_holds() -> None:
    # lr 1: the plain net learns, less well than the BN net (how far it gets is sensitive to
    # rounding: 0.81 or 0.91 accuracy here, depending on the libraries loaded);
    # lr 0.2: both train well
    gentle = last_frame(lr=1.0)
    assert 0.2 < gentle["val_acc"]["plain"][-1, 1] < gentle["val_acc"]["bn"][-1, 1]
    assert gentle["smooth"]["plain"][-1] > gentle["smooth"]["bn"][-1]
    slow = last_frame(lr=0.2)
    assert min(slow["val_acc"][n][-1, 1] for n in ("plain", "bn")) > 0.9


def test_update_lets_the_live_window_blit() -> None:
    # same artists every frame, and limits that rarely move: the plain net diverging changes a
    # legend entry: one full redraw, then blits again
    assert full_redraws(BatchNormTraining(), BatchNormTraining.defaults(), 40) <= 10
