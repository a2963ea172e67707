"""BatchNorm at inference: batch statistics vs running statistics.

A ``BatchNorm1d(1)`` of the trainer sees one mini-batch of x ~ N(mu, sigma^2) per step in train
mode. Each step normalises with the batch's own mean and (biased) variance and updates
``running = (1 - momentum) * running + momentum * batch`` (the variance unbiased, n/(n-1)),
starting from running_mean = 0 and running_var = 1 as in PyTorch. In eval mode the layer uses
the running statistics. A second ``BatchNorm1d(1, track_running_stats=False)`` sharing gamma and
beta always normalises with batch statistics, even in eval mode: fed one example at a time its
output is beta whatever the input, because that example *is* its batch's mean.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._regularization import EXTRA, MUTED, WITH, WITHOUT
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import ORANGE, FitLimits, grow_limit
from quizapp.trainer import BatchNorm1d

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

GRID = 41  # inputs fed one at a time to the batch-statistics layer
PROBE_Z = 1.5  # the probe example sits at mu + 1.5 sigma


def theory(mu: float, var: float, momentum: float, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected running mean and variance after t steps from (0, 1): the gap shrinks as (1-m)^t."""
    decay = (1.0 - momentum) ** t
    return mu * (1.0 - decay), decay * 1.0 + var * (1.0 - decay)


def running_stats(bn: BatchNorm1d) -> tuple[float, float]:
    """The running mean and variance of ``bn``'s one feature."""
    assert bn.running_mean is not None and bn.running_var is not None
    return float(bn.running_mean[0]), float(bn.running_var[0])


class BatchNormInference(Demo):
    id = "batchnorm-inference"
    title = Text("배치 정규화 추론: 배치 통계 vs 이동 평균 통계",
                 "BatchNorm at inference: batch vs running statistics")
    notice = Text(
        "훈련 모드의 BN은 미니배치의 평균·분산으로 정규화하고, 이동 평균을 "
        "running = 0.9·running + 0.1·batch (PyTorch momentum=0.1, 분산은 불편 추정)로 갱신합니다. "
        "이동 통계는 0·1에서 출발하고, 데이터 통계(μ = 3, σ² = 2.25)와의 기대 격차(점선)는 "
        "스텝마다 (1−momentum)배로 줄어 20 스텝 뒤 약 12%, 50 스텝 뒤 약 0.5%가 남습니다. "
        "실제 이동 통계는 배치마다 흔들리며 이 점선을 따라갑니다. 평가 모드는 이동 통계를 "
        "쓰므로 한 예시의 출력이 함께 든 "
        "배치와 무관하게 정해집니다. 추론 때 배치 통계를 쓰면 배치 크기 1에서 x − 평균 = 0이 "
        "되어 모든 입력의 출력이 β로 무너집니다 (PyTorch와 이 트레이너는 훈련 모드에서 배치 "
        "크기 1을 아예 거부합니다).",
        "In train mode BN normalises with the mini-batch's mean and variance and updates "
        "running = 0.9·running + 0.1·batch (PyTorch momentum=0.1; the variance unbiased). The "
        "running statistics start at 0 and 1; their expected gap to the data's (μ = 3, "
        "σ² = 2.25; dotted) shrinks by the factor (1−momentum) per step, leaving about 12 % "
        "after 20 steps and 0.5 % after 50, and the measured ones follow it up to the jitter "
        "of the batches. Eval mode "
        "uses the running statistics, so one example's output no longer depends on the batch "
        "it comes in. Using batch statistics at inference with batch size 1 gives x − mean = 0, "
        "so every input collapses to β (PyTorch and this trainer refuse a batch of 1 in train "
        "mode).",
    )
    params = (
        Param("momentum", Text("모멘텀 (새 배치의 가중치)", "Momentum (weight of the new batch)"),
              "float", 0.1, low=0.005, high=1.0, log=True),
        Param("batch_size", Text("배치 크기", "Batch size"), "int", 16, low=2, high=256),
        Param("mu", Text("데이터 평균 μ", "Data mean μ"), "float", 3.0, low=-5.0, high=5.0),
        Param("sigma", Text("데이터 표준편차 σ", "Data std σ"), "float", 1.5, low=0.2, high=3.0),
        Param("gamma", Text("γ (BN 가중치)", "γ (BN weight)"), "float", 1.0, low=0.2, high=3.0),
        Param("beta", Text("β (BN 편향)", "β (BN bias)"), "float", 0.5, low=-2.0, high=2.0),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("훈련 스텝", "training step")
    steps = 100  # the running statistics have converged (0.9^50 ≈ 0.5 %) and jitter

    def frames(self, values: Values) -> Iterator[Frame]:
        mu, sigma, n = values["mu"], values["sigma"], values["batch_size"]
        rng = np.random.default_rng(values["seed"])
        bn = BatchNorm1d(1, momentum=values["momentum"])
        bn.double()  # casts in place
        assert bn.weight is not None and bn.bias is not None
        bn.weight.data[:] = values["gamma"]
        bn.bias.data[:] = values["beta"]
        batch_stats = BatchNorm1d(1, track_running_stats=False)
        batch_stats.double()
        batch_stats.weight, batch_stats.bias = bn.weight, bn.bias  # same gamma and beta
        batch_stats.eval()  # without running statistics it still uses the batch's
        grid = np.linspace(mu - 3.5 * sigma, mu + 3.5 * sigma, GRID)
        probe = mu + PROBE_Z * sigma
        running = Trace(256, 2)
        running.append(*running_stats(bn))
        t = 0
        while True:
            t += 1
            x = rng.normal(mu, sigma, size=(n, 1))
            # train mode on a batch holding the probe, on a throw-away copy of the layer (its
            # running statistics update is discarded, so the probe never biases them)
            with_probe = x.copy()
            with_probe[0, 0] = probe
            shadow = copy.deepcopy(bn)
            shadow.train()
            out = shadow(with_probe)[:, 0]
            bn.train()
            bn(x)  # the training step: batch statistics, and the running ones updated
            running_mean, running_var = running_stats(bn)
            running.append(running_mean, running_var)
            bn.eval()
            eval_probe = float(bn(np.array([[probe]]))[0, 0])
            single = np.array([batch_stats(np.array([[g]]))[0, 0] for g in grid])
            yield {
                "t": t,
                "running": running.view(),
                "trained_batch": x[:, 0],  # the batch the training step saw
                "batch_x": with_probe[:, 0],
                "batch_out": out,
                "batch_mean": float(with_probe.mean()),
                "batch_var": float(with_probe.var()),
                "probe": probe,
                "train_probe": float(out[0]),
                "eval_probe": eval_probe,
                "single_probe": float(batch_stats(np.array([[probe]]))[0, 0]),
                "grid": grid,
                "single": single,
                "running_mean": running_mean,
                "running_var": running_var,
                "diverged": False,
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        stats_ax, map_ax = figure.subplots(1, 2)
        mu, sigma, m = values["mu"], values["sigma"], values["momentum"]
        gamma, beta = values["gamma"], values["beta"]
        stats_ax.set_title(tr(lang, f"이동 통계의 수렴 (momentum={m:g})",
                              f"Running statistics converging (momentum={m:g})"))
        stats_ax.set_xlabel(tr(lang, "훈련 스텝 t", "training step t"))
        stats_ax.grid(alpha=0.3)
        stats_ax.axhline(mu, color=WITH, lw=0.8, ls="--")
        stats_ax.axhline(sigma**2, color=ORANGE, lw=0.8, ls="--")
        (mean_line,) = stats_ax.plot([], [], color=WITH, lw=1.8, label="running_mean")
        (var_line,) = stats_ax.plot([], [], color=ORANGE, lw=1.8, label="running_var")
        (mean_theory,) = stats_ax.plot([], [], color="black", lw=1.0, ls=":",
                                       label=tr(lang, "기댓값 (격차 ∝ (1−m)ᵗ)",
                                                r"expected value (gap $\propto (1-m)^t$)"))
        (var_theory,) = stats_ax.plot([], [], color="black", lw=1.0, ls=":")
        stats_ax.plot([], [], color=MUTED, lw=0.8, ls="--",
                      label=tr(lang, f"데이터: μ={mu:g}, σ²={sigma**2:.3g}",
                               f"data: μ={mu:g}, σ²={sigma**2:.3g}"))
        stats_legend = stats_ax.legend(loc="lower right", fontsize=8)
        for text in stats_legend.get_texts()[:2]:  # PyTorch's buffer names: code
            text.set_fontfamily("monospace")

        map_ax.set_title(tr(lang, "한 예시의 BN 출력: 어떤 통계를 쓰는가",
                            "BN output of one example: which statistics"))
        map_ax.set_xlabel(tr(lang, "입력 x", "input x"))
        map_ax.set_ylabel(tr(lang, "BN 출력 y = γ·x̂ + β", "BN output y = γ·x̂ + β"))
        map_ax.grid(alpha=0.3)
        grid = np.linspace(mu - 3.5 * sigma, mu + 3.5 * sigma, GRID)
        map_ax.plot(grid, gamma * (grid - mu) / sigma + beta, color=MUTED, lw=1.0, ls="--",
                    label=tr(lang, "참 통계 (μ, σ²)", "true statistics (μ, σ²)"))
        (eval_line,) = map_ax.plot([], [], color=WITH, lw=1.8,
                                   label=tr(lang, "평가 모드 (이동 통계)",
                                            "eval mode (running stats)"))
        (batch_line,) = map_ax.plot([], [], color=EXTRA, lw=1.2,
                                    label=tr(lang, "훈련 모드 (x가 든 배치의 통계)",
                                             "train mode (stats of a batch holding x)"))
        (batch_pts,) = map_ax.plot([], [], "o", color=EXTRA, ms=4, alpha=0.7)
        (single_pts,) = map_ax.plot([], [], "x", color=WITHOUT, ms=5,
                                    label=tr(lang, "배치 통계, 배치 크기 1 → β",
                                             "batch stats, batch size 1 → β"))
        (probe_eval,) = map_ax.plot([], [], "o", color=WITH, ms=10, mfc="none", mew=2)
        (probe_train,) = map_ax.plot([], [], "s", color=EXTRA, ms=10, mfc="none", mew=2)
        (probe_single,) = map_ax.plot([], [], "X", color=WITHOUT, ms=10)
        probe_vline = map_ax.axvline(0.0, color="black", lw=0.6, ls=":")
        map_ax.legend(loc="upper left", fontsize=8)
        text = map_ax.text(0.98, 0.03, "", transform=map_ax.transAxes, ha="right", va="bottom",
                           fontsize=9,
                           bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "#ccc"})
        span = 3.5 * gamma + abs(beta) + 0.5
        map_ax.set_xlim(grid[0], grid[-1])

        stats_ax.set_xlim(0, self.steps)  # the whole run; grows in jumps past it
        stats_y = FitLimits(stats_ax, "y", slack=0.15)
        map_y = FitLimits(map_ax, "y", slack=0.15)
        changed = [mean_line, var_line, mean_theory, var_theory, eval_line, batch_line,
                   batch_pts, single_pts, probe_eval, probe_train, probe_single, probe_vline,
                   text]

        def update(frame: Frame) -> list[Artist]:
            run = frame["running"]
            steps = np.arange(len(run))
            mean_line.set_data(steps, run[:, 0])
            var_line.set_data(steps, run[:, 1])
            th_mean, th_var = theory(mu, sigma**2, m, steps.astype(float))
            mean_theory.set_data(steps, th_mean)
            var_theory.set_data(steps, th_var)
            grow_limit(stats_ax, frame["t"])
            values_seen = np.concatenate([run.ravel(), [mu, sigma**2, 0.0, 1.0]])
            low, high = float(values_seen.min()), float(values_seen.max())
            pad = 0.08 * (high - low + 1e-9)
            stats_y.show(low - pad, high + pad)

            g = frame["grid"]
            rm, rv = frame["running_mean"], frame["running_var"]
            eval_line.set_data(g, gamma * (g - rm) / np.sqrt(rv + 1e-5) + beta)
            bm, bv = frame["batch_mean"], frame["batch_var"]
            batch_line.set_data(g, gamma * (g - bm) / np.sqrt(bv + 1e-5) + beta)
            batch_pts.set_data(frame["batch_x"], frame["batch_out"])
            single_pts.set_data(g, frame["single"])
            px = frame["probe"]
            probe_eval.set_data([px], [frame["eval_probe"]])
            probe_train.set_data([px], [frame["train_probe"]])
            probe_single.set_data([px], [frame["single_probe"]])
            probe_vline.set_xdata([px, px])
            ys = np.concatenate([[frame["eval_probe"], frame["train_probe"]],
                                 frame["batch_out"]])
            map_y.show(min(-span, float(ys.min()) - 0.3), max(span, float(ys.max()) + 0.3))
            text.set_text(
                tr(lang, f"x = {px:.2f} 의 출력 (t={frame['t']})\n",
                   f"output for x = {px:.2f} (t={frame['t']})\n")
                + tr(lang, "평가 모드: ", "eval mode: ") + f"{frame['eval_probe']:+.3f}\n"
                + tr(lang, "훈련 모드: ", "train mode: ") + f"{frame['train_probe']:+.3f}\n"
                + tr(lang, "배치 크기 1: ", "batch of 1: ") + f"{frame['single_probe']:+.3f}")
            return changed

        return update
