"""The activations demo: vanishing gradients in a deep sigmoid net, σ' ≤ 0.25, dead ReLUs."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.activations import Activations
from quizapp.demos.runner import DemoRun


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(Activations(), Activations.defaults(), limit=Activations.steps)
    frame = run.run(Activations.steps)
    assert frame is not None and run.finished and frame["t"] == frame["step"] == 200
    _, dsigmoid = frame["curves"]["sigmoid"]
    assert 0.249 < dsigmoid.max() <= 0.25
    # at initialisation the sigmoid net's first-layer gradient is ~1e6 times below the last's
    sigmoid, relu = frame["first_norms"]["sigmoid"], frame["first_norms"]["relu"]
    assert 1e-7 < sigmoid[0] / sigmoid[-1] < 1e-5
    # ... and it does not learn: its loss stays at ln 2
    assert abs(frame["deep_loss"]["sigmoid"] - np.log(2)) < 1e-3
    # ReLU with He init: within a factor of about 10 across layers, and it learns
    assert relu.max() / relu.min() < 12
    assert frame["deep_loss"]["relu"] == pytest.approx(0.06, abs=0.01)
    # dead units: 40 % at lr 3 (5 % at the safe rate), exactly zero gradient for them
    assert frame["dead"]["large"][-1] == pytest.approx(0.40, abs=0.02)
    assert frame["dead"]["safe"][-1] < 0.1
    assert frame["dead_units_grad"] == 0.0
    # a dead first-layer unit stays dead; deeper ones did come back here
    layers = frame["dead_layers"]["large"]
    assert np.all(np.diff(layers[:, 0]) >= 0)
    assert np.any(np.diff(layers[:, 1]) < 0)
    # a bias shift of -1.5 kills 85 % of the units even at the safe rate
    shifted = DemoRun(Activations(), Activations.resolve({"bias_shift": -1.5})).run(20)
    assert shifted is not None and shifted["dead"]["safe"][-1] == pytest.approx(0.85, abs=0.02)


def test_sigmoid_gradient_vanishes_with_depth_but_relu_does_not() -> None:
    values = Activations.resolve({"depth": 10})
    frame = DemoRun(Activations(), values).run(2)  # step 1: the gradients at initialisation
    assert frame is not None and frame["step"] == 1
    sigmoid = frame["first_norms"]["sigmoid"]
    relu = frame["first_norms"]["relu"]
    assert len(sigmoid) == len(relu) == 10
    # first layer / last layer: orders of magnitude for sigmoid, about one for ReLU
    assert sigmoid[0] / sigmoid[-1] < 1e-4
    assert relu[0] / relu[-1] > 1e-2
    assert relu[0] / relu[-1] > 1e3 * sigmoid[0] / sigmoid[-1]


def test_sigmoid_derivative_is_at_most_a_quarter() -> None:
    frame = DemoRun(Activations(), Activations.defaults()).run(1)
    assert frame is not None
    _, dsigmoid = frame["curves"]["sigmoid"]
    assert dsigmoid.max() <= 0.25 + 1e-12
    assert dsigmoid.max() > 0.249  # reached at x = 0
    _, drelu = frame["curves"]["relu"]
    assert drelu.max() == 1.0


def test_large_learning_rate_kills_relus_and_dead_units_get_no_gradient() -> None:
    run = DemoRun(Activations(), Activations.resolve({"dying_lr": 3.0, "depth": 3}))
    frame = run.run(41)
    assert frame is not None
    safe, large = frame["dead"]["safe"][-1], frame["dead"]["large"][-1]
    assert large > safe + 0.15
    assert frame["dead_units_grad"] == 0.0  # dead units' weights receive exactly zero gradient


def test_frames_blit_with_steady_limits() -> None:
    # the gradient axis is fitted on the first frame with norms, then moves only rarely
    assert full_redraws(Activations(), Activations.defaults(), 40) <= 2
