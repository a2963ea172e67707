"""The weight-init demo: collapse with small weights, He keeps ReLU std, zeros are symmetric."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.runner import DemoRun
from quizapp.demos.weight_init import WeightInit


def last_frame(**overrides: object) -> dict:
    run = DemoRun(WeightInit(), WeightInit.resolve(overrides))
    frame = run.run(100)
    assert run.finished and not run.diverged and frame is not None
    return frame


def test_small_random_init_collapses_tanh_activations() -> None:
    frame = last_frame(activation="tanh", depth=10)
    small = frame["stds"]["small"]
    assert len(small) == 10
    assert np.all(np.diff(small) < 0)  # shrinks at every layer
    assert small[-1] < 1e-4 * small[0]
    xavier = frame["stds"]["xavier"]
    assert xavier[-1] > 0.1  # Xavier keeps tanh activations alive


def test_he_keeps_relu_std_roughly_constant() -> None:
    frame = last_frame(activation="relu", depth=10)
    he = frame["stds"]["he"]
    assert he.max() / he.min() < 2.0
    assert 0.3 < he[-1] < 3.0
    xavier = frame["stds"]["xavier"]
    assert xavier[-1] < 0.1 * xavier[0]  # variance halves per layer without the factor 2


def test_zero_init_gives_identical_units() -> None:
    for activation in ("tanh", "relu"):
        frame = last_frame(activation=activation, init="zero", depth=6)
        assert np.all(frame["spreads"]["zero"] == 0.0)
        for kind in ("small", "xavier", "he"):
            assert np.all(frame["spreads"][kind] > 0.0)
        assert len(frame["hists"]) == 6


@pytest.mark.parametrize("settings", [{}, {"activation": "relu", "width": 16, "depth": 20},
                                      {"activation": "tanh", "width": 32, "depth": 20}])
def test_frames_blit_and_the_std_axis_fits_every_layer_up_front(settings: dict) -> None:
    assert full_redraws(WeightInit(), WeightInit.resolve(settings), 20) == 0
