"""The CNN-vs-MLP demo: far fewer parameters for similar accuracy; counts match the formulas."""

from __future__ import annotations

from blit_check import full_redraws

from quizapp.demos.cnn_vs_mlp import CnnVsMlp
from quizapp.demos.runner import DemoRun


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(CnnVsMlp(), CnnVsMlp.defaults(), limit=CnnVsMlp.steps)
    frame = run.run(CnnVsMlp.steps)
    assert frame is not None and run.finished and frame["t"] == frame["step"] == 300
    assert frame["totals"] == {"cnn": 2698, "mlp": 20710}  # about 7x fewer
    history = frame["history"]
    at_50 = history[history[:, 0] == 50][0]
    assert at_50[1] < at_50[2] - 0.2  # the CNN learns more slowly at first
    _, cnn_acc, mlp_acc = history[-1]
    assert abs(cnn_acc - 0.92) < 0.02 and abs(mlp_acc - 0.92) < 0.02  # then both about 92 %
    # each conv weight is used once per output position: 196 (conv1), 49 (conv2); MLP once
    for layer, positions in zip(frame["counts"]["cnn"][:2], (196, 49), strict=True):
        weights = layer.params - int(layer.formula.rsplit("+", 1)[1])
        assert layer.macs == positions * weights
    assert all(layer.macs == layer.params - int(layer.formula.rsplit("+", 1)[1])
               for layer in frame["counts"]["mlp"])


def test_parameter_counts_equal_the_hand_formulas() -> None:
    values = CnnVsMlp.resolve({"conv1": 6, "conv2": 12, "hidden": 50})
    frame = DemoRun(CnnVsMlp(), values).run(1)
    assert frame is not None
    cnn = {c.name: c.params for c in frame["counts"]["cnn"]}
    mlp = {c.name: c.params for c in frame["counts"]["mlp"]}
    assert cnn == {"conv1": 3 * 3 * 1 * 6 + 6,     # k·k·C_in·C_out + C_out
                   "conv2": 3 * 3 * 6 * 12 + 12,
                   "fc1": (12 * 3 * 3) * 10 + 10}  # 14 → 7 → 3 after two 2×2 pools
    assert mlp == {"fc1": 196 * 50 + 50, "fc2": 50 * 10 + 10}  # in·out + out
    assert frame["totals"] == {"cnn": sum(cnn.values()), "mlp": sum(mlp.values())}
    # parameter sharing: every conv weight is used many times per image, an MLP weight once
    conv1 = frame["counts"]["cnn"][0]
    assert conv1.macs == 14 * 14 * 6 * 3 * 3 * 1
    assert conv1.macs > 100 * conv1.params
    assert [c.macs for c in frame["counts"]["mlp"]] == [196 * 50, 50 * 10]  # each weight once


def test_frames_blit_with_steady_limits() -> None:
    assert full_redraws(CnnVsMlp(), CnnVsMlp.defaults(), 8) == 0
