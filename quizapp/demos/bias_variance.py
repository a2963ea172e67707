"""Bias and variance of polynomial regression, estimated over resampled training sets.

The truth is f(x) = sin(4x + 1) on [-1, 1]; a training set has ``train_size`` points, one drawn
uniformly in each of ``train_size`` equal bins (so no large gaps at the ends), with targets
f(x) + N(0, noise^2). Every frame draws SETS_PER_FRAME more training sets and fits polynomials
of every degree 0..MAX_DEGREE to each by least squares (Legendre basis, ``np.linalg.lstsq``);
the plot of fits shows the latest SHOWN_FITS. Averaged over the sets so far, at N_VAL fixed
validation inputs:

    E[(y - f_hat(x))^2] = (f(x) - E f_hat(x))^2 + Var f_hat(x) + noise^2
                          bias^2                    variance

so the validation error is the sum of the three (up to sampling error of the fresh noise).
The progress panel (progress ``t`` is the number of training sets so far) shows the shown
degree's validation error of every single fit, their running mean (the validation error above)
and bias^2 + variance + noise^2 as the sets accumulate.
With k sets, the variance is the unbiased (ddof = 1) spread of the k fits, and bias^2 is the
squared miss of their average minus variance / k: the average of k fits still carries
variance / k of scatter, which would otherwise show up as bias at high degrees. The two
corrections cancel in the sum.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
from numpy.polynomial import legendre

from quizapp.content.model import Text
from quizapp.demos._classical import info_text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    RED,
    FitLimits,
    plain_log_formatter,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

MAX_DEGREE = 12
FRAMES = 40
SETS_PER_FRAME = 10
SHOWN_FITS = 40
N_VAL = 4000
#: the error plot's floor: estimates below it (bias^2 of a flexible fit is ~0, and its estimate
#: minus variance / k jitters around 0) are drawn on it
FLOOR = 1e-3
GRID = np.linspace(-1.0, 1.0, 201)


def truth(x: np.ndarray) -> np.ndarray:
    """The smooth function the polynomials try to learn."""
    result: np.ndarray = np.sin(4.0 * x + 1.0)
    return result


def training_set(n: int, noise: float, gen: np.random.Generator) -> tuple[np.ndarray, ...]:
    """n inputs, one uniform in each of n equal bins of [-1, 1], and noisy targets."""
    x = -1.0 + (np.arange(n) + gen.uniform(size=n)) * 2.0 / n
    return x, truth(x) + gen.normal(0.0, noise, n)


def fit_all_degrees(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Least-squares Legendre coefficients for every degree 0..MAX_DEGREE."""
    basis = legendre.legvander(x, MAX_DEGREE)
    return [np.linalg.lstsq(basis[:, :d + 1], y, rcond=None)[0] for d in range(MAX_DEGREE + 1)]


class BiasVariance(Demo):
    id = "bias-variance"
    title = Text("편향-분산 트레이드오프: 다항 회귀의 차수",
                 "Bias-variance trade-off: the degree of a polynomial fit")
    notice = Text(
        "프레임마다 새 훈련 세트 10개를 뽑아 각각에 0~12차 다항식을 모두 최소제곱으로 "
        "맞춥니다(끝까지 400개). 차수를 올리면 훈련 오차는 계속 줄지만, 검증 오차는 중간 "
        "차수에서 최저를 찍고 다시 오르는 U자입니다. 검증 오차 ≈ 편향² + 분산 + 잡음²: 낮은 "
        "차수는 평균 적합(굵은 선)이 참 함수를 벗어나는 편향이 크고, 높은 차수는 훈련 세트마다 "
        "적합(가는 선)이 크게 흩어지는 분산이 큽니다. 왼쪽 아래: 훈련 세트마다 적합이 달라 검증 "
        "오차도 다르고(점), 그 평균이 검증 오차이며, 편향² + 분산 + σ²(점선)은 세트가 쌓이는 "
        "내내 그 2 % 안에 있습니다. 차수를 1이나 12로 바꿔 보세요: 12차에서는 드문 엉뚱한 "
        "적합(하나는 200, 절반은 0.72 아래)이 평균을 2.5로 끌어올립니다. 훈련 샘플을 늘리면 "
        "분산이 줄어 최적 차수가 높아지고, 잡음 σ²는 어떤 차수로도 줄지 않는 바닥입니다.",
        "Every frame draws 10 new training sets and fits polynomials of every degree 0-12 to "
        "each by least squares (400 sets by the end). Training error keeps falling with the "
        "degree, but validation error is U-shaped: lowest at an intermediate degree, rising "
        "again after it. Validation error ≈ bias² + variance + noise²: at low degree the average "
        "fit (thick line) misses the true function (bias); at high degree the fits from "
        "different training sets (thin lines) spread widely (variance). Bottom left: every "
        "training set gives its own fit with its own validation error (dots); their mean is the "
        "validation error, and bias² + variance + σ² (dashed) stays within 2 % of it as the sets "
        "accumulate. Try degree 1 and 12: at 12 rare wild fits (one reaches 200 while half stay "
        "below 0.72) pull the mean up to 2.5. More training samples shrink the variance and move "
        "the best degree up; the noise σ² is a floor no degree removes.",
    )
    params = (
        Param("degree", Text("보여 줄 차수", "Degree shown"), "int", 3, low=0, high=MAX_DEGREE),
        Param("noise", Text("잡음 표준편차 σ", "Noise std σ"), "float", 0.3, low=0.05,
              high=1.0),
        Param("train_size", Text("훈련 샘플 수", "Training samples"), "int", 20, low=15,
              high=100),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("훈련 세트", "training set")
    steps = FRAMES  # 400 training sets: the estimates have settled

    def frames(self, values: Values) -> Iterator[Frame]:
        gen = np.random.default_rng(values["seed"])
        noise, n, shown = values["noise"], values["train_size"], values["degree"]
        x_val = gen.uniform(-1.0, 1.0, N_VAL)
        y_val = truth(x_val) + gen.normal(0.0, noise, N_VAL)
        val_basis = legendre.legvander(x_val, MAX_DEGREE)
        grid_basis = legendre.legvander(GRID, MAX_DEGREE)
        degrees = np.arange(MAX_DEGREE + 1)
        train_sum = np.zeros(MAX_DEGREE + 1)
        val_sum = np.zeros(MAX_DEGREE + 1)
        pred_sum = np.zeros((MAX_DEGREE + 1, N_VAL))  # running sums of the predictions at x_val
        pred_sq_sum = np.zeros((MAX_DEGREE + 1, N_VAL))
        # the shown degree's curve on GRID, one row per training set; their running sum
        fits = np.full((FRAMES * SETS_PER_FRAME, len(GRID)), np.nan)
        fit_sum = np.zeros(len(GRID))
        per_set = np.full(FRAMES * SETS_PER_FRAME, np.nan)  # the shown degree's val. error
        decomposed = Trace(FRAMES, 2)  # sets so far, bias^2 + variance + noise^2 (shown degree)
        k = 0
        for _ in range(FRAMES):
            for _ in range(SETS_PER_FRAME):
                x, y = training_set(n, noise, gen)
                train_basis = legendre.legvander(x, MAX_DEGREE)
                for d, coef in enumerate(fit_all_degrees(x, y)):
                    train_sum[d] += np.mean((train_basis[:, :d + 1] @ coef - y) ** 2)
                    pred = val_basis[:, :d + 1] @ coef
                    val_sum[d] += np.mean((pred - y_val) ** 2)
                    pred_sum[d] += pred
                    pred_sq_sum[d] += pred**2
                    if d == shown:
                        per_set[k] = np.mean((pred - y_val) ** 2)
                        fits[k] = grid_basis[:, :d + 1] @ coef
                        fit_sum += fits[k]
                k += 1
            mean_pred = pred_sum / k
            miss2 = ((mean_pred - truth(x_val)) ** 2).mean(axis=1)
            spread = pred_sq_sum / k - mean_pred**2  # ddof = 0, per validation input
            variance = np.maximum(spread, 0.0).mean(axis=1) * k / (k - 1)
            bias2 = miss2 - variance / k
            decomposed.append(k, bias2[shown] + variance[shown] + noise**2)
            yield {
                "t": k,
                "k": k,
                "degrees": degrees,
                "train": train_sum / k,
                "val": val_sum / k,
                "bias2": bias2,
                "variance": variance,
                "noise2": noise**2,
                "degree": shown,
                "fits": fits[max(0, k - SHOWN_FITS):k],
                "mean_fit": fit_sum / k,
                "per_set": per_set[:k],
                "decomposed": decomposed.view(),
                "last_set": (x, y),
                "diverged": False,
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.collections import LineCollection

        grid = figure.add_gridspec(2, 2, width_ratios=(1.1, 1), height_ratios=(1.45, 1))
        err_ax, sets_ax = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[1, 0])
        fit_ax = figure.add_subplot(grid[:, 1])
        shown = values["degree"]
        err_ax.set_yscale("log")
        err_ax.set_xlim(-0.3, MAX_DEGREE + 0.3)
        err_ax.set_xticks(range(0, MAX_DEGREE + 1, 2))
        err_ax.set_xlabel(tr(lang, "다항식 차수 (모델 복잡도)", "polynomial degree (complexity)"))
        err_ax.set_ylabel(tr(lang, "평균 제곱 오차 (로그)", "mean squared error (log)"))
        err_ax.grid(alpha=0.3, which="both")
        err_title = err_ax.set_title("", fontsize=10)
        (train_line,) = err_ax.plot([], [], "o--", color=BLUE, lw=1.5, ms=3.5,
                                    label=tr(lang, "훈련 오차", "training error"))
        (val_line,) = err_ax.plot([], [], "o-", color=RED, lw=2.2, ms=4,
                                  label=tr(lang, "검증 오차", "validation error"))
        (bias_line,) = err_ax.plot([], [], color=ORANGE, lw=1.6, label=tr(lang, "편향²", "bias²"))
        (var_line,) = err_ax.plot([], [], color=PURPLE, lw=1.6,
                                  label=tr(lang, "분산", "variance"))
        noise_line = err_ax.axhline(values["noise"] ** 2, color=GREY, lw=1.2, ls=":",
                                    label=tr(lang, "잡음 σ² (바닥)", "noise σ² (floor)"))
        (best_dot,) = err_ax.plot([], [], "*", color=RED, ms=15, mec="black",
                                  label=tr(lang, "검증 최저", "validation minimum"))
        err_ax.axvline(shown, color="black", lw=1.0, ls="--")
        err_ax.text(0.99, 0.045, tr(lang, "10⁻³ 미만은 바닥선에 표시",
                                    "values below 10⁻³ drawn on the floor"),
                    transform=err_ax.transAxes, ha="right", va="bottom", fontsize=7, color=GREY)
        err_legend = err_ax.legend(loc="upper center", fontsize=8, ncol=2)
        err_y = FitLimits(err_ax, "y", slack=0.5)

        # -- the progress: every training set's fit, and their running mean ------------------
        sets_ax.set_yscale("log")
        sets_ax.yaxis.set_major_formatter(plain_log_formatter())
        sets_ax.yaxis.set_minor_formatter(plain_log_formatter(label_only_base=False))
        sets_ax.set_xlim(0, FRAMES * SETS_PER_FRAME)  # the whole run
        sets_ax.set_xlabel(tr(lang, "훈련 세트 (지금까지 뽑은 수)", "training sets drawn so far"))
        sets_ax.set_ylabel(tr(lang, "검증 오차 (로그)", "validation error (log)"))
        sets_ax.grid(alpha=0.3, which="both")
        (set_dots,) = sets_ax.plot([], [], "o", color=PURPLE, ms=2.2, alpha=0.35,
                                   label=tr(lang, "훈련 세트 하나의 적합",
                                            "one training set's fit"))
        (running,) = sets_ax.plot([], [], color=RED, lw=2.2,
                                  label=tr(lang, "평균 = 검증 오차", "mean = validation error"))
        (decomposed,) = sets_ax.plot([], [], "--", color="black", lw=1.2,
                                     label=tr(lang, "편향² + 분산 + σ²", "bias² + variance + σ²"))
        # above the panel, as its title, so that no fit's dot hides behind it
        sets_ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=7.5, ncol=3,
                       title=tr(lang, f"{shown}차: 훈련 세트마다 다른 적합, 다른 검증 오차",
                                f"Degree {shown}: each training set's fit has its own error"),
                       title_fontsize=10, frameon=False, borderaxespad=0.2)
        sets_y = FitLimits(sets_ax, "y", slack=0.5)

        fit_ax.set_xlim(-1.0, 1.0)
        fit_ax.set_ylim(-2.3, 2.3)
        fit_ax.set_xlabel("x")
        fit_ax.grid(alpha=0.3)
        fit_ax.set_title(tr(lang, f"{shown}차 적합: 훈련 세트마다 한 줄 (최근 {SHOWN_FITS}개)",
                            f"Degree-{shown} fits, one per training set (latest "
                            f"{SHOWN_FITS})"), fontsize=10)
        spread = LineCollection([], colors=PURPLE, linewidths=0.8, alpha=0.3,
                                label=tr(lang, "각 훈련 세트의 적합 (분산)",
                                         "fit to each training set (variance)"))
        fit_ax.add_collection(spread)
        fit_ax.plot(GRID, truth(GRID), color="black", lw=1.6, ls="--",
                    label=tr(lang, "참 함수 sin(4x+1)", "true f = sin(4x+1)"))
        (mean_line,) = fit_ax.plot([], [], color=ORANGE, lw=2.6,
                                   label=tr(lang, "모든 적합의 평균 (편향 = 참 함수와의 차이)",
                                            "average of all fits (bias = its miss)"))
        (points,) = fit_ax.plot([], [], "o", color="black", ms=4,
                                label=tr(lang, "최근 훈련 세트", "latest training set"))
        fit_ax.legend(loc="lower left", fontsize=7.5)
        info = info_text(fit_ax, 0.98, 0.97, ha="right")

        changed = draw_order([train_line, val_line, bias_line, var_line, noise_line, best_dot,
                              err_title, err_legend, set_dots, running, decomposed, spread,
                              mean_line, points, info])

        def update(frame: Frame) -> list[Artist]:
            degrees = frame["degrees"]
            curves = {train_line: frame["train"], val_line: frame["val"],
                      bias_line: frame["bias2"], var_line: frame["variance"]}
            for line, ys in curves.items():
                line.set_data(degrees, np.maximum(ys, FLOOR))
            best = int(np.argmin(frame["val"]))
            best_dot.set_data([best], [frame["val"][best]])
            everything = np.concatenate(list(curves.values()))
            err_y.show(max(float(everything.min()), FLOOR) / 1.3, float(everything.max()) * 6.0)
            err_title.set_text(tr(lang, f"훈련 세트 {frame['k']}개 평균 — 검증 최저: {best}차",
                                  f"Averaged over {frame['k']} training sets — best: "
                                  f"degree {best}"))
            per_set = frame["per_set"]
            ks = np.arange(1, len(per_set) + 1)
            set_dots.set_data(ks, per_set)
            running.set_data(ks, np.cumsum(per_set) / ks)
            decomposed.set_data(*frame["decomposed"].T)
            sets_y.show(float(per_set.min()) / 1.3, float(per_set.max()) * 2.5)
            spread.set_segments([np.column_stack([GRID, f]) for f in frame["fits"]])
            mean_line.set_data(GRID, frame["mean_fit"])
            points.set_data(*frame["last_set"])
            d = frame["degree"]
            bias2, variance, noise2 = frame["bias2"][d], frame["variance"][d], frame["noise2"]
            info.set_text(
                tr(lang, f"{d}차: 편향² {bias2:.2g} + 분산 {variance:.2g}\n",
                   f"degree {d}: bias² {bias2:.2g} + variance {variance:.2g}\n")
                + f"+ σ² {noise2:.2g} = {bias2 + variance + noise2:.3g}\n"
                + tr(lang, f"검증 오차 {frame['val'][d]:.3g}",
                     f"validation error {frame['val'][d]:.3g}"))
            return changed

        return update
