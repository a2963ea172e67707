"""The CNN-vs-MLP demo: far fewer parameters for similar accuracy; counts match the formulas."""

from __future__ import annotations

from blit_check import full_redraws

from quizapp.demos.cnn_vs_mlp import CnnVsMlp
from quizapp.demos.runner import DemoRun


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


def test_cnn_has_far_fewer_parameters_for_similar_accuracy() -> None:
    run = DemoRun(CnnVsMlp(), CnnVsMlp.defaults())
    frame = run.run(301)
    assert frame is not None and not run.diverged and frame["step"] == 300
    totals = frame["totals"]
    assert totals["cnn"] * 5 < totals["mlp"]  # 2,698 vs 20,710 with the defaults
    _, cnn_acc, mlp_acc = frame["history"][-1]
    assert cnn_acc > 0.85 and mlp_acc > 0.85
    assert cnn_acc > mlp_acc - 0.03


def test_frames_blit_with_steady_limits() -> None:
    assert full_redraws(CnnVsMlp(), CnnVsMlp.defaults(), 12) == 0
