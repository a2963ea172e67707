"""adam-vs-sgd: renders headless; Adam's training loss falls well below plain SGD's."""

from __future__ import annotations

import numpy as np

from quizapp.demos.adam_vs_sgd import AdamVsSgd
from quizapp.demos.runner import DemoRun


def test_adam_beats_plain_sgd_with_defaults() -> None:
    frame = DemoRun(AdamVsSgd(), AdamVsSgd.defaults()).run(151)
    assert frame is not None and frame["step"] == 150
    loss = {name: float(curve[-1]) for name, curve in frame["train_loss"].items()}
    start = float(frame["train_loss"]["SGD"][0])
    assert abs(start - np.log(10)) < 0.1  # all four start from the same untrained net
    assert {float(c[0]) for c in frame["train_loss"].values()} == {start}
    # after 150 mini-batch steps plain SGD has barely moved; Adam has clearly learned
    assert loss["Adam"] < 0.6 * loss["SGD"], loss
    assert loss["SGD"] > 0.8 * start
    assert frame["val_acc"]["Adam"][-1] > frame["val_acc"]["SGD"][-1] + 0.15


def test_too_large_sgd_rate_stalls_momentum_but_not_adam() -> None:
    frame = DemoRun(AdamVsSgd(), AdamVsSgd.resolve({"sgd_lr": 2.0})).run(61)
    assert frame is not None and not frame["diverged"]
    # lr=2 with momentum 0.9 throws the net into a bad region: loss stays near/above chance
    stuck = float(frame["train_loss"]["SGD+momentum"][-1])
    assert stuck > 2.2  # no better than the untrained net (ln 10 = 2.30)
    assert frame["train_loss"]["Adam"][-1] < stuck - 0.4
