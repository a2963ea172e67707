"""The backprop-graph demo: every backward gradient matches a central difference."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.backprop_graph import BACKWARD, FORWARD, NODES, BackpropGraph
from quizapp.demos.runner import DemoRun


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(BackpropGraph(), BackpropGraph.defaults(), limit=BackpropGraph.steps)
    frames = []
    while (frame := run.step()) is not None:
        frames.append(frame)
    # one stage per frame, t counting them; the generator ends with the check
    assert [f["t"] for f in frames] == list(range(1, 15)) and frames[-1]["phase"] == "check"
    last = frames[-1]
    g, v = last["analytic"], last["values"]
    assert g["f"] == 1.0  # the backward pass starts at ∂f/∂f = 1
    assert g["a"] == g["b"] and g["z"] == g["b"]  # an add node passes it through unchanged
    assert g["x"] == g["a"] * v["y"] and g["y"] == g["a"] * v["x"]  # multiply: the other input
    assert g["b"] == g["f"] * v["c"] and g["c"] == g["f"] * v["b"]
    assert g["w"] == pytest.approx(g["c"] * v["c"] * (1 - v["c"]), rel=1e-12)  # σ(w)(1−σ(w))
    # the central difference agrees to about ten decimals (h = 1e-5)
    assert max(abs(g[n] - last["numeric"][n]) for n in NODES) < 1e-10


@pytest.mark.parametrize("inputs", [
    {},  # the defaults
    {"x": -4.5, "y": 1.5, "z": -0.3, "w": -3.0},
    {"x": 0.2, "y": 4.9, "z": 2.0, "w": 4.0},
])
def test_backward_gradients_match_central_differences(inputs: dict[str, float]) -> None:
    run = DemoRun(BackpropGraph(), BackpropGraph.resolve(inputs))
    frames = [run.step() for _ in range(20)]
    frames = [f for f in frames if f is not None]
    assert [f["phase"] for f in frames].count("backward") == len(BACKWARD)
    last = frames[-1]
    assert last["phase"] == "check"
    assert set(last["shown_grads"]) == set(NODES)  # every node got its gradient
    for node in NODES:
        assert abs(last["shown_grads"][node] - last["numeric"][node]) < 1e-6, node
    v = last["values"]
    sig = 1 / (1 + np.exp(-v["w"]))
    assert v["f"] == pytest.approx((v["x"] * v["y"] + v["z"]) * sig, rel=1e-12)
    assert last["analytic"]["w"] == pytest.approx(v["b"] * sig * (1 - sig), rel=1e-12)


def test_forward_then_backward_one_node_per_frame() -> None:
    run = DemoRun(BackpropGraph(), BackpropGraph.defaults())
    frames = [f for f in (run.step() for _ in range(20)) if f is not None]
    order = [f["current"] for f in frames if f["phase"] in ("forward", "backward")]
    assert order == list(FORWARD) + list(BACKWARD)
    # no gradient is shown before the forward pass has reached f
    assert all(not f["shown_grads"] for f in frames if f["phase"] == "forward")


def test_a_huge_step_makes_the_numerical_gradient_visibly_wrong() -> None:
    frame = DemoRun(BackpropGraph(), BackpropGraph.resolve({"h": 0.5})).run(20)
    assert frame is not None
    assert abs(frame["analytic"]["w"] - frame["numeric"]["w"]) > 1e-4


def test_frames_blit_with_steady_limits() -> None:
    assert full_redraws(BackpropGraph(), BackpropGraph.defaults(), 20) == 0
