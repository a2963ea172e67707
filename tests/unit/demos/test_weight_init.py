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


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(WeightInit(), WeightInit.defaults(), limit=WeightInit.steps)
    frame = run.run(WeightInit.steps)
    # one layer per frame; the run ends by itself at the last of the 10 layers
    assert frame is not None and run.finished and run.count == frame["t"] == 10
    stds = frame["stds"]
    # small init (tanh, width 256): x 0.01·√256 = 0.16 per layer, 0.16 -> 1e-8
    np.testing.assert_allclose(stds["small"][1:] / stds["small"][:-1], 0.16, rtol=0.05)
    assert stds["small"][0] == pytest.approx(0.16, abs=0.01)
    assert 0.5e-8 < stds["small"][-1] < 2e-8
    # zeros: every unit of a layer gives the same value (no spread across units)
    assert np.all(frame["spreads"]["zero"] == 0.0)
    # Xavier keeps tanh spread out: 0.63 at layer 1, still 0.23 at layer 10
    assert stds["xavier"][0] == pytest.approx(0.63, abs=0.01)
    assert stds["xavier"][-1] == pytest.approx(0.23, abs=0.01)
    # with ReLU: Xavier shrinks the std about 0.71x per layer, He keeps it nearly constant
    relu = last_frame(activation="relu", depth=10)["stds"]
    ratio = relu["xavier"][1:] / relu["xavier"][:-1]
    assert abs(float(np.exp(np.mean(np.log(ratio)))) - 0.71) < 0.03
    assert relu["he"].max() / relu["he"].min() < 1.5


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
