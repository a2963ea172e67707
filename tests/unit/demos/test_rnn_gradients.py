"""The RNN-gradients demo: the note's claims, measured on the frames of its runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.base import Frame
from quizapp.demos.rnn_gradients import RnnGradients
from quizapp.demos.runner import DemoRun


def run(frames: int, **overrides: object) -> Frame:
    demo_run = DemoRun(RnnGradients(), RnnGradients.resolve(overrides))
    last = demo_run.run(frames)
    assert last is not None and not demo_run.diverged
    return last


def first_over_last(frame: Frame, kind: str) -> float:
    """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ at initialisation."""
    norms = frame["through_time_init"][kind]
    return float(norms[0] / norms[-1])


def final_loss(frame: Frame, name: str) -> float:
    return float(np.mean(frame["loss"][name][-30:]))


@pytest.fixture(scope="module")
def default_run() -> Frame:
    return run(RnnGradients.steps)


@pytest.mark.slow
def test_default_rnn_gradient_vanishes_and_clipping_cannot_help(default_run: Frame) -> None:
    assert default_run["t"] == default_run["step"] == RnnGradients.steps
    assert first_over_last(default_run, "rnn") < 1e-4  # measured 3.6e-5
    for name in ("rnn", "rnn_clip"):
        assert abs(final_loss(default_run, name) - math.log(2)) < 0.02  # stuck at chance
    # its gradient never reaches max_norm, so clipping changes nothing at all
    assert default_run["clipped"]["rnn_clip"] == 0
    np.testing.assert_array_equal(default_run["loss"]["rnn"], default_run["loss"]["rnn_clip"])


@pytest.mark.slow
def test_default_lstm_keeps_its_gradient_and_learns_with_clipping(default_run: Frame) -> None:
    lstm, rnn = first_over_last(default_run, "lstm"), first_over_last(default_run, "rnn")
    assert 0.05 < lstm < 1.0  # "about a tenth" (0.12)
    assert lstm > 1e3 * rnn
    assert final_loss(default_run, "lstm_clip") < 0.1  # learned (0.01)
    assert final_loss(default_run, "lstm") > 0.6  # unclipped: still near ln 2 (0.70)
    share = default_run["clipped"]["lstm_clip"] / default_run["step"]
    assert 0 < share < 0.5  # "a minority of its steps" (15 %)


def test_forget_bias_zero_makes_the_lstm_gradient_vanish_too() -> None:
    frame = run(1, forget_bias=0.0)
    assert first_over_last(frame, "lstm") < 1e-7  # "about 10⁻⁹" (9.5e-10)


@pytest.mark.slow
def test_large_recurrent_scale_explodes_and_clipping_rescues_the_rnn() -> None:
    frame = run(200, rho=2.0)
    assert first_over_last(frame, "rnn") > 100  # grows going back in time (1.1e3)
    assert np.max(frame["loss"]["rnn"]) > 3.0  # spikes far above ln 2 (4.95)
    assert final_loss(frame, "rnn") > 1.0
    assert final_loss(frame, "rnn_clip") < 0.1  # keeps training and solves it (0.000)


def test_unrolled_gradients_equal_full_backpropagation_through_time() -> None:
    # one step per call must give the same weight gradients as the layer run over the sequence
    from quizapp.demos.rnn_gradients import Unrolled, make_batch, make_layer

    x, _ = make_batch(np.random.default_rng(0), 12)
    for kind in ("rnn", "lstm"):
        whole, stepped = make_layer(kind, 0.9, 1.0, 7), make_layer(kind, 0.9, 1.0, 7)
        unrolled = Unrolled(stepped, len(x))
        upstream = np.random.default_rng(1).normal(size=(x.shape[1], 32)).astype(np.float32)
        output, state = whole(x)
        h_last = (state[0] if isinstance(state, tuple) else state)[0]
        np.testing.assert_allclose(unrolled.forward(x), h_last, rtol=1e-5, atol=1e-6)
        grad_out = np.zeros_like(output)
        grad_out[-1] = upstream  # the last output is h_T
        whole.backward(grad_out)
        unrolled.backward(upstream)
        for (name, a), (_, b) in zip(whole.named_parameters(), stepped.named_parameters(),
                                     strict=True):
            np.testing.assert_allclose(b.grad, a.grad, rtol=1e-4, atol=1e-6, err_msg=name)


def test_frames_blit_with_steady_limits() -> None:
    assert full_redraws(RnnGradients(), RnnGradients.defaults(), 60) <= 4


def test_a_diverged_run_is_named_in_the_legend() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    demo, values = RnnGradients(), RnnGradients.resolve({"seq_len": 5})
    frame = DemoRun(demo, values).run(2)
    assert frame is not None
    figure = Figure(figsize=(10, 6), layout="constrained")
    FigureCanvasAgg(figure)
    update = demo.draw(figure, values, "en")
    assert update(frame) is not None  # blit
    assert update({**frame, "alive": {**frame["alive"], "rnn": False}}) is None  # full redraw
    texts = [t.get_text() for t in figure.legends[0].get_texts()]
    assert texts[0] == "RNN (tanh), no clipping — diverged"
    assert texts[1] == "RNN (tanh), clipped"


def test_every_singular_value_of_the_rnn_recurrent_weights_is_rho() -> None:
    # so each step back scales ‖∂L/∂h‖ by at most ρ (tanh′ ≤ 1): the bound the note uses
    from quizapp.demos.rnn_gradients import make_layer

    weights = dict(make_layer("rnn", 0.8, 3.0, 0).named_parameters())
    np.testing.assert_allclose(np.linalg.svd(weights["weight_hh_l0"].data, compute_uv=False),
                               0.8, rtol=1e-5)
    biases = dict(make_layer("lstm", 0.8, 3.0, 0).named_parameters())
    forget = slice(32, 64)  # gates i, f, g, o
    np.testing.assert_allclose(biases["bias_ih_l0"].data[forget]
                               + biases["bias_hh_l0"].data[forget], 3.0)
