"""The MNIST MLP demo: well above chance after a few hundred steps; confusion rows add up."""

from __future__ import annotations

import numpy as np
from blit_check import full_redraws

from quizapp.demos.mnist_mlp import EVAL_EVERY, MnistMlp, code_snippet
from quizapp.demos.runner import DemoRun

LOOK_ALIKE = ((3, 5), (3, 8), (5, 8), (4, 9), (7, 9))


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(MnistMlp(), MnistMlp.defaults(), limit=MnistMlp.steps)
    frame = run.run(MnistMlp.steps)
    assert frame is not None and run.finished and frame["t"] == frame["step"] == 400
    steps, test = frame["history"][:, 0], frame["history"][:, 2]
    assert test[0] < 0.2 and test[steps == 200][0] > 0.9 and abs(test[-1] - 0.93) < 0.01
    confusion = frame["confusion"]
    assert np.all(confusion.sum(axis=1) == 100)  # a row: that digit's 100 test images
    errors = confusion.copy()
    np.fill_diagonal(errors, 0)
    look = sum(errors[i, j] + errors[j, i] for i, j in LOOK_ALIKE)
    # "about a third (24 of 73)", from 10 of the 90 possible confusions
    assert abs(int(errors.sum()) - 73) <= 5 and 0.25 < look / errors.sum() < 0.4
    assert len(code_snippet(MnistMlp.defaults()).splitlines()) <= 10


def test_test_accuracy_well_above_chance_and_confusion_rows_sum_to_class_counts() -> None:
    run = DemoRun(MnistMlp(), MnistMlp.defaults())
    first = run.step()
    assert first is not None
    assert first["history"][0, 2] < 0.3  # untrained: near chance
    frame = run.run(200 // EVAL_EVERY)  # a frame is EVAL_EVERY steps
    assert frame is not None and not run.diverged
    assert frame["step"] == frame["t"] == 200
    history = frame["history"]
    assert len(history) == 200 // EVAL_EVERY + 1
    assert history[-1, 2] > 0.85  # test accuracy (chance is 0.10)
    confusion = frame["confusion"]
    np.testing.assert_array_equal(confusion.sum(axis=1), frame["class_counts"])
    assert frame["class_counts"].sum() == 1000
    assert np.trace(confusion) / confusion.sum() == history[-1, 2]


def test_code_snippet_shows_the_chosen_settings() -> None:
    values = MnistMlp.resolve({"hidden": 64, "optimizer": "sgd", "lr": 0.05})
    code = code_snippet(values)
    assert "Linear(784, 64)" in code and "SGD(" in code and "lr=0.05" in code
    assert len(code.splitlines()) <= 10


def test_frames_blit_with_steady_limits() -> None:
    assert full_redraws(MnistMlp(), MnistMlp.defaults(), 12) == 0
