"""The attention demo: the map converges to the pattern the task needs, and only with positions."""

from __future__ import annotations

import numpy as np
from blit_check import full_redraws

from quizapp.demos.attention_weights import AttentionWeights, source_positions
from quizapp.demos.base import Frame
from quizapp.demos.runner import DemoRun


def frames(**overrides: object) -> list[Frame]:
    run = DemoRun(AttentionWeights(), AttentionWeights.resolve(overrides))
    out = []
    while run.count < AttentionWeights.steps and (frame := run.step()) is not None:
        out.append(frame)
    assert not run.diverged
    return out


def test_default_map_converges_to_the_anti_diagonal() -> None:
    run = frames()
    length = AttentionWeights.defaults()["seq_len"]
    first, last = run[0], run[-1]
    assert first["t"] == 0 and last["t"] == last["step"] == 300  # "after 300 steps"
    # at init the correct keys get no more than any other: about 1/L on average (0.125),
    # with every weight between 0.05 and 0.26
    assert abs(first["on_target"][-1] - 1 / length) < 0.25 / length
    # at the end: > 90 % of each query's weight on its correct key (measured 0.96), 100 % right
    assert last["on_target"][-1] > 0.9
    assert last["accuracy"][-1] == 1.0
    source = source_positions("reverse", length)
    np.testing.assert_array_equal(source, np.arange(length)[::-1])
    np.testing.assert_array_equal(last["map"].argmax(axis=1), source)
    assert last["on_target"][-1] == np.mean(last["map"][np.arange(length), source])
    # the big map is the mean of the per-head maps
    np.testing.assert_allclose(last["head_maps"].mean(axis=0), last["map"], rtol=1e-6)


def test_without_positional_encoding_the_map_stays_uniform_and_accuracy_low() -> None:
    last = frames(positional="none")[-1]
    length = AttentionWeights.defaults()["seq_len"]
    assert np.all(np.abs(last["map"] - 1 / length) < 0.5 / length)  # measured 0.091-0.133
    assert last["on_target"][-1] < 1.5 / length
    assert 0.2 < last["accuracy"][-1] < 0.4  # "about 30 %" (0.31)


def test_shift_task_learns_the_diagonal_above_the_main_one() -> None:
    last = frames(task="shift", seq_len=6)[-1]
    np.testing.assert_array_equal(last["map"].argmax(axis=1), (np.arange(6) + 1) % 6)


def test_frames_blit_with_steady_limits() -> None:
    demo = AttentionWeights()
    assert full_redraws(demo, demo.defaults(), demo.steps) <= 1
