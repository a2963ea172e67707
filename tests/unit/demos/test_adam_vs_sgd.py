"""adam-vs-sgd: Adam leaves plain SGD far behind, momentum SGD beats Adam, a huge SGD rate
kills the ReLUs."""

from __future__ import annotations

import numpy as np

from quizapp.demos.adam_vs_sgd import EVAL_EVERY, OPTIMIZERS, AdamVsSgd
from quizapp.demos.runner import DemoRun


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(AdamVsSgd(), AdamVsSgd.defaults(), limit=AdamVsSgd.steps)
    frame = run.run(AdamVsSgd.steps)
    assert frame is not None and run.finished and frame["t"] == 300 == frame["eval_steps"][-1]
    loss = {name: curve for name, curve in frame["train_loss"].items()}
    start = float(loss["SGD"][0])
    assert abs(start - np.log(10)) < 0.02  # all four start from the same untrained net
    assert {float(c[0]) for c in loss.values()} == {start}
    final = {name: float(curve[-1]) for name, curve in loss.items()}
    # "plain SGD barely moved (1.86); RMSprop and Adam far below (0.48, 0.57)"
    assert abs(final["SGD"] - 1.86) < 0.05
    assert abs(final["RMSprop"] - 0.48) < 0.05 and abs(final["Adam"] - 0.57) < 0.05
    # "SGD with momentum ends even lower than Adam (0.28)"
    assert abs(final["SGD+momentum"] - 0.28) < 0.05
    assert final["SGD+momentum"] < final["Adam"] < final["SGD"]
    assert frame["val_acc"]["Adam"][-1] > frame["val_acc"]["SGD"][-1] + 0.15


def test_too_large_sgd_rate_kills_the_relus_of_both_sgd_runs() -> None:
    frame = DemoRun(AdamVsSgd(), AdamVsSgd.resolve({"sgd_lr": 2.0})).run(AdamVsSgd.steps)
    assert frame is not None and not frame["diverged"]
    for name in ("SGD", "SGD+momentum"):
        # stuck near ln 10 = 2.30 with 10-20 % accuracy, nearly every hidden ReLU dead
        assert float(frame["train_loss"][name][-1]) > 2.0
        assert float(frame["val_acc"][name][-1]) < 0.25
        assert frame["dead"][name] > 0.9
    assert frame["train_loss"]["Adam"][-1] < 0.7
    assert frame["dead"]["Adam"] < 0.1


def test_a_frame_is_a_fixed_number_of_steps_all_measured() -> None:
    frame = DemoRun(AdamVsSgd(), AdamVsSgd.defaults()).run(4)
    assert frame is not None
    np.testing.assert_array_equal(frame["eval_steps"], [0, 5, 10, 15])
    assert frame["t"] == frame["step"] == 3 * EVAL_EVERY
    assert all(len(frame["train_loss"][n]) == 4 for n in OPTIMIZERS)
