"""Why the loss sometimes goes up during gradient descent: too high a rate, and mini-batch noise.

Left: gradient descent (the trainer's ``SGD`` on a 2-vector ``Parameter`` with the exact
gradient) on the quadratic L = ½(λ_max θ1² + λ_min θ2²) at three learning rates, given as
multiples of 1/λ_max. Right: a linear regression (``Linear`` + ``MSELoss``) trained with the
trainer's ``fit`` on mini-batches and, for contrast, on the full batch at the same rate; after
every update the loss on the *whole* training set is measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._optimization import PALETTE, plain_ticks
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import PresetLimits
from quizapp.trainer import (
    SGD,
    DataLoader,
    Linear,
    MSELoss,
    Parameter,
    StepMetrics,
    evaluate,
    fit,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

LAMBDA_MAX = 10.0
START = (1.0, 1.5)
ESCAPED = 1e6  # a coordinate beyond this: the run has left the picture for good
REFERENCE_RATES = (0.5, 1.9)  # η·λ_max of the two fixed comparison runs
QUAD_COLORS = (PALETTE[2], PALETTE[5], PALETTE[1])  # small, near the edge, yours
N_SAMPLES, N_FEATURES = 200, 5
MB_COLOR, FULL_COLOR, UP_COLOR = PALETTE[3], PALETTE[0], PALETTE[1]


def quadratic_loss(theta: np.ndarray, lambda_min: float) -> np.ndarray:
    """½(λ_max θ1² + λ_min θ2²) for the last axis of ``theta``."""
    return 0.5 * (LAMBDA_MAX * theta[..., 0] ** 2 + lambda_min * theta[..., 1] ** 2)


def planned_paths(values: Values, steps: int) -> list[np.ndarray]:
    """Each quadratic run's θ for steps 0 .. ``steps`` in closed form, up to its escape."""
    curvature = np.array([LAMBDA_MAX, LAMBDA_MAX / values["condition"]])
    paths = []
    for mult in LossGoesUp.rates(values):
        path = np.array(START) * (1.0 - mult / LAMBDA_MAX * curvature) ** np.arange(
            steps + 1)[:, None]
        inside = np.abs(path).max(axis=1) <= ESCAPED
        paths.append(path[: int(np.argmin(inside)) if not inside.all() else len(path)])
    return paths


class LossGoesUp(Demo):
    id = "loss-goes-up"
    title = Text("경사하강법에서 손실이 올라가는 이유", "Why the loss sometimes goes up")
    notice = Text(
        "이차식에서 경사하강법은 스텝마다 고유방향별로 (1−ηλ)배가 됩니다. η < 2/λₘₐₓ이면 "
        "모든 성분이 줄어 손실이 매 스텝 감소합니다(η·λₘₐₓ = 1.9처럼 θ가 최솟값을 넘나들며 "
        "진동해도). η > 2/λₘₐₓ이면 가장 가파른 성분이 매 스텝 |1−ηλₘₐₓ| > 1배로 커집니다: "
        "기본값 η·λₘₐₓ = 2.2에서는 1.2배씩이라 손실이 스텝마다 1.44배로 올라가고, 약 75 스텝 "
        "뒤 그림 밖으로 발산합니다. 오른쪽: 작은 학습률이라도 미니배치 기울기는 전체 기울기의 "
        "잡음 섞인 추정이라 전체 손실이 가끔 올라가고(빨간 점, 여기서는 스텝의 약 4분의 1), "
        "같은 학습률의 전체 배치 경사하강법은 한 번도 올라가지 않습니다.",
        "On a quadratic, gradient descent multiplies each eigen-direction by (1−ηλ) per step. "
        "With η < 2/λₘₐₓ every component shrinks, so the loss falls at every step (even at "
        "η·λₘₐₓ = 1.9, where θ jumps back and forth across the minimum). With η > 2/λₘₐₓ the "
        "steepest component grows by |1−ηλₘₐₓ| > 1 per step: at the default η·λₘₐₓ = 2.2 by "
        "1.2×, so the loss rises 1.44× per step until the run leaves the picture after about "
        "75 steps. Right: even at a small rate a mini-batch gradient is a noisy estimate of the "
        "full one, so the full loss sometimes goes up (red dots; about a quarter of the steps "
        "here), while full-batch gradient descent at the same rate never does.",
    )
    params = (
        Param("lr_mult", Text("내 학습률 η·λ_max (2 초과면 발산)",
                              "Your learning rate η·λ_max (above 2 diverges)"),
              "float", 2.2, low=0.05, high=3.0),
        Param("condition", Text("조건수 λ_max/λ_min", "Condition number λ_max/λ_min"),
              "float", 10.0, low=1.0, high=100.0, log=True),
        Param("mb_lr", Text("학습률 (회귀, 오른쪽)", "Learning rate (regression, right)"),
              "float", 0.02, low=1e-3, high=0.5, log=True),
        Param("batch_size", Text("배치 크기 (오른쪽)", "Batch size (right)"), "int", 8,
              low=1, high=N_SAMPLES),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=999),
    )
    unit = Text("스텝", "step")
    steps = 101  # steps 0 .. 100; the run above 2/λ_max has left the picture (after ~75 steps)

    @staticmethod
    def rates(values: Values) -> tuple[float, ...]:
        return (*REFERENCE_RATES, values["lr_mult"])

    def frames(self, values: Values) -> Iterator[Frame]:
        lambda_min = LAMBDA_MAX / values["condition"]
        curvature = np.array([LAMBDA_MAX, lambda_min])
        quads = []
        for mult in self.rates(values):
            p = Parameter(np.array(START), dtype=np.float64)
            quads.append((p, SGD([p], lr=mult / LAMBDA_MAX)))
        paths = [Trace(256, 2) for _ in quads]
        qloss = [Trace(256) for _ in quads]
        alive = [True] * len(quads)
        for (p, _), path, loss in zip(quads, paths, qloss, strict=True):
            path.append(*p.data)
            loss.append(float(quadratic_loss(p.data, lambda_min)))

        seed = int(values["seed"])
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((N_SAMPLES, N_FEATURES))
        y = (X @ rng.uniform(-2, 2, N_FEATURES) + rng.normal(0.0, 1.0, N_SAMPLES))[:, None]
        regs = {}
        for kind, batch in (("mini", int(values["batch_size"])), ("full", N_SAMPLES)):
            model = Linear(N_FEATURES, 1, rng=seed).double()
            loss_fn = MSELoss()
            loader = DataLoader(X, y, batch_size=batch, shuffle=True, rng=seed)
            opt = SGD(model.parameters(), lr=values["mb_lr"])
            regs[kind] = (model, loss_fn, fit(model, loss_fn, opt, loader, epochs=10**9,
                                              per_parameter_norms=False))
        full_loss = {k: Trace(256) for k in regs}
        batch_loss = Trace(256)
        for kind, (model, loss_fn, _) in regs.items():
            full_loss[kind].append(evaluate(model, loss_fn, X, y)[0])
        step = 0
        while True:
            mini = full_loss["mini"].view()
            yield {
                "t": step,
                "step": step,
                "paths": [t.view() for t in paths],
                "quad_loss": [t.view() for t in qloss],
                "alive": list(alive),
                "full_loss": {k: t.view() for k, t in full_loss.items()},
                "batch_loss": batch_loss.view(),
                "ups": int(np.sum(np.diff(mini) > 0)),
                "diverged": not finite(mini[-1:]) or bool(mini[-1:].max(initial=0) > 1e12),
            }
            step += 1
            for i, (p, opt) in enumerate(quads):
                if not alive[i]:
                    continue
                opt.zero_grad()
                p.grad += curvature * p.data  # exact gradient of the quadratic
                opt.step()
                if np.abs(p.data).max() > ESCAPED:
                    alive[i] = False
                    continue
                paths[i].append(*p.data)
                qloss[i].append(float(quadratic_loss(p.data, lambda_min)))
            for kind, (model, loss_fn, steps) in regs.items():
                event = next(steps)
                while not isinstance(event, StepMetrics):
                    event = next(steps)
                if kind == "mini":
                    batch_loss.append(event.loss)
                full_loss[kind].append(evaluate(model, loss_fn, X, y)[0])

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        path_ax, quad_ax, mb_ax = figure.subplots(1, 3, width_ratios=(1.0, 1.0, 1.15))
        lambda_min = LAMBDA_MAX / values["condition"]
        # matplotlib's math text has no Hangul: Korean labels write subscripts in Unicode
        names = [tr(lang, f"η·λₘₐₓ = {m:g}", rf"$\eta\,\lambda_{{\max}}$ = {m:g}")
                 for m in self.rates(values)]
        lim_x, lim_y = 2.2 * abs(START[0]), 1.6 * abs(START[1])
        xs, ys = np.linspace(-lim_x, lim_x, 200), np.linspace(-lim_y, lim_y, 200)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1)
        levels = quadratic_loss(np.array(START), lambda_min) * np.geomspace(0.003, 6.0, 14)
        path_ax.contour(xs, ys, quadratic_loss(grid, lambda_min), levels=levels,
                        cmap="Greys", linewidths=0.6)
        path_ax.plot(0, 0, "*", color="black", ms=10)
        path_ax.set_xlim(-lim_x, lim_x)
        path_ax.set_ylim(-lim_y, lim_y)
        path_ax.set_title(tr(lang, "이차식 위의 경사하강법 경로",
                             "Gradient descent on a quadratic"))
        path_ax.set_xlabel(tr(lang, "θ₁ (가파른 방향, λₘₐₓ)",
                              r"$\theta_1$ (steep, $\lambda_{\max}$)"))
        path_ax.set_ylabel(tr(lang, "θ₂ (완만한 방향, λₘᵢₙ)",
                              r"$\theta_2$ (flat, $\lambda_{\min}$)"))
        quad_ax.set_title(tr(lang, "이차식 손실", "Quadratic loss"))
        quad_ax.set_yscale("log")
        lines, curves = [], []
        for name, color in zip(names, QUAD_COLORS, strict=True):
            (line,) = path_ax.plot([], [], "o-", color=color, lw=1.2, ms=3)
            (curve,) = quad_ax.plot([], [], "o-", color=color, lw=1.4, ms=2.5, label=name)
            lines.append(line)
            curves.append(curve)
        legend = quad_ax.legend(loc="lower left", fontsize=8,
                                title=tr(lang, "η > 2/λₘₐₓ 이면 발산",
                                         r"$\eta > 2/\lambda_{\max}$ diverges"),
                                title_fontsize=8)
        texts = legend.get_texts()

        mb_ax.set_title(tr(lang, f"선형 회귀, 학습률 {values['mb_lr']:g}",
                           f"Linear regression, lr {values['mb_lr']:g}"))
        mb_ax.set_yscale("log")
        mb_ax.yaxis.set_major_formatter(plain_ticks())
        batch = int(values["batch_size"])
        (batch_line,) = mb_ax.plot([], [], color=MB_COLOR, lw=0.7, alpha=0.35,
                                   label=tr(lang, f"미니배치 손실 (B={batch})",
                                            f"mini-batch loss (B={batch})"))
        (mini_line,) = mb_ax.plot([], [], color=MB_COLOR, lw=1.8,
                                  label=tr(lang, f"전체 손실, 미니배치 학습 (B={batch})",
                                           f"full loss, mini-batch training (B={batch})"))
        (full_line,) = mb_ax.plot([], [], color=FULL_COLOR, lw=1.5, ls="--",
                                  label=tr(lang, "전체 손실, 전체 배치 학습",
                                           "full loss, full-batch training"))
        (ups,) = mb_ax.plot([], [], "o", color=UP_COLOR, ms=3.5,
                            label=tr(lang, "전체 손실이 오른 스텝", "steps where full loss rose"))
        mb_ax.legend(loc="upper right", fontsize=8)
        count = mb_ax.text(0.03, 0.03, "", transform=mb_ax.transAxes, fontsize=9,
                           color=UP_COLOR)
        for ax in (quad_ax, mb_ax):
            ax.set_xlabel(tr(lang, "스텝", "step"))
            ax.grid(alpha=0.3)

        # start with room for a default-length run: the quadratic runs' losses are known in
        # closed form (θ_k = θ_0 (1 − ηλ)^k per eigen-direction, until a run escapes); the
        # regression losses start near 8 (mini-batch ones up to ~2.5× that) and settle near
        # the label noise, 1
        horizon = self.steps - 1
        quad_losses = [quadratic_loss(path, lambda_min)
                       for path in planned_paths(values, horizon)]
        quad_low = min(float(loss.min()) for loss in quad_losses)
        quad_high = max(1e-12, *(float(loss.max()) for loss in quad_losses))
        fit_steps = [PresetLimits(ax, "x", (0, horizon), jump=2.0) for ax in (quad_ax, mb_ax)]
        fit_quad = PresetLimits(quad_ax, "y", (max(quad_low, 1e-30) * 0.3, quad_high * 3), log=True)
        fit_mb = PresetLimits(mb_ax, "y", (0.1, 25.0), log=True)
        shown_alive = [True] * len(names)
        changed: list[Artist] = [*lines, *curves, batch_line, mini_line, full_line, ups, count]

        def update(frame: Frame) -> list[Artist] | None:
            step = frame["step"]
            top, low = 1e-12, np.inf
            for line, curve, path, loss in zip(lines, curves, frame["paths"],
                                               frame["quad_loss"], strict=True):
                line.set_data(path[:, 0], path[:, 1])
                curve.set_data(np.arange(len(loss)), loss)
                top = max(top, float(loss.max()))
                low = min(low, float(loss.min()))
            for limits in fit_steps:
                limits(0, max(10, step))
            fit_quad(max(low, 1e-30) * 0.3, top * 3)
            mini, full = frame["full_loss"]["mini"], frame["full_loss"]["full"]
            x = np.arange(len(mini))
            mini_line.set_data(x, mini)
            full_line.set_data(x, full)
            batch_line.set_data(np.arange(1, len(frame["batch_loss"]) + 1), frame["batch_loss"])
            rose = np.flatnonzero(np.diff(mini) > 0) + 1
            ups.set_data(rose, mini[rose])
            count.set_text(tr(lang, f"오른 스텝: {frame['ups']} / {step}",
                              f"steps that rose: {frame['ups']} / {step}"))
            values_ = np.concatenate([mini, full, frame["batch_loss"]])
            values_ = values_[np.isfinite(values_) & (values_ > 0)]
            if len(values_):
                fit_mb(float(values_.min()) * 0.7, float(values_.max()) * 1.5)
            if frame["alive"] != shown_alive:  # a legend entry changes: redraw everything
                shown_alive[:] = frame["alive"]
                for i, text in enumerate(texts):
                    gone = "" if shown_alive[i] else tr(lang, " — 발산", " — diverged")
                    text.set_text(names[i] + gone)
                return None
            return changed

        return update
