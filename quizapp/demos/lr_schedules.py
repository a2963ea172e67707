"""Learning-rate schedules: constant, StepLR, ExponentialLR, CosineAnnealingLR, warm-up + cosine.

Five copies of one seeded linear-regression model (``Linear`` + ``MSELoss``) are trained by
mini-batch SGD with the trainer's ``fit``, each with one of the trainer's schedulers (stepped
once per epoch, as in PyTorch). A frame is one epoch of all five runs. Mini-batch gradients
are noisy, so with a constant rate the loss stops falling at a noise floor that rises with the
rate; decaying the rate lowers that floor.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._optimization import PALETTE, plain_ticks
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import PresetLimits
from quizapp.trainer import (
    SGD,
    CosineAnnealingLR,
    DataLoader,
    EpochMetrics,
    ExponentialLR,
    Linear,
    LinearLR,
    LRScheduler,
    MSELoss,
    Optimizer,
    Parameter,
    SequentialLR,
    StepLR,
    evaluate,
    fit,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

SCHEDULES = ("constant", "step", "exponential", "cosine", "warmup_cosine")
LABELS = {
    "constant": Text("상수 (스케줄 없음)", "constant (no schedule)"),
    "step": Text("StepLR", "StepLR"),
    "exponential": Text("ExponentialLR", "ExponentialLR"),
    "cosine": Text("CosineAnnealingLR", "CosineAnnealingLR"),
    "warmup_cosine": Text("워밍업(LinearLR) + 코사인", "warm-up (LinearLR) + cosine"),
}
COLORS = dict(zip(SCHEDULES, PALETTE[:5], strict=True))
N_SAMPLES, N_FEATURES, BATCH = 256, 10, 8


def make_scheduler(name: str, opt: Optimizer, values: Values) -> LRScheduler | None:
    """The trainer scheduler for one run (``None`` for a constant rate)."""
    epochs = int(values["epochs"])
    if name == "constant":
        return None
    if name == "step":
        return StepLR(opt, step_size=int(values["step_size"]), gamma=values["step_gamma"])
    if name == "exponential":
        return ExponentialLR(opt, gamma=values["exp_gamma"])
    if name == "cosine":
        return CosineAnnealingLR(opt, T_max=epochs)
    if name == "warmup_cosine":
        warmup = min(int(values["warmup"]), epochs - 1)
        return SequentialLR(opt, [
            LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=warmup),
            CosineAnnealingLR(opt, T_max=epochs - warmup),
        ], milestones=[warmup])
    raise ValueError(f"unknown schedule {name!r}")


def planned_lrs(name: str, values: Values) -> np.ndarray:
    """The rate the scheduler gives in epochs 0 .. epochs-1 (stepping it on a dummy optimizer)."""
    opt = SGD([Parameter(np.zeros(1))], lr=values["lr"])
    scheduler = make_scheduler(name, opt, values)
    lrs = []
    for _ in range(int(values["epochs"])):
        lrs.append(opt.lr)
        if scheduler is not None:
            scheduler.step()
    return np.array(lrs)


def regression_data(seed: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """y = X w + b + noise with standard-normal features (float64)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES, N_FEATURES))
    w = rng.uniform(-2.0, 2.0, N_FEATURES)
    y = X @ w + 0.5 + rng.normal(0.0, noise, N_SAMPLES)
    return X, y[:, None]


class LrSchedules(Demo):
    id = "lr-schedules"
    title = Text("학습률 스케줄: 곡선과 학습에 미치는 효과",
                 "Learning-rate schedules: the curves and their effect on training")
    notice = Text(
        "다섯 실행은 같은 초기 가중치·같은 기본 학습률로 선형 회귀를 미니배치 SGD로 "
        "학습하고, 스케줄러는 PyTorch처럼 에포크마다 한 번 step()합니다. 미니배치 기울기에 "
        "잡음이 있어 일정한 학습률은 잡음 바닥에서 더 내려가지 못하고, 그 바닥은 학습률이 "
        "클수록 높습니다(학습률을 절반으로 줄이면 바닥이 몇 배 낮아지지만 학습은 느려짐). "
        "처음엔 크게, 나중엔 작게 움직이는 감소 스케줄은 일정한 학습률보다 1,000배 넘게 낮은 "
        "손실로 끝납니다. 너무 일찍 많이 줄이면(예: ExponentialLR γ = 0.5) 최솟값에 닿기 "
        "전에 학습률이 사라져 손실이 다른 스케줄보다 훨씬 높은 곳에서 멈춥니다.",
        "The five runs train the same linear regression from the same initial weights and "
        "base rate with mini-batch SGD; each scheduler steps once per epoch, as in PyTorch. "
        "Mini-batch gradients are noisy, so a constant rate stops improving at a noise floor, "
        "and the larger the rate, the higher the floor (halve the rate and the floor drops "
        "several-fold, but training is slower). Decaying schedules take big steps early and "
        "small ones late, and end more than 1,000 times lower than the constant rate. Decay "
        "too much too early (e.g. ExponentialLR γ = 0.5) and the rate is gone before the "
        "minimum is reached: the loss freezes far above the other schedules.",
    )
    params = (
        Param("lr", Text("기본 학습률", "Base learning rate"), "float", 0.05, low=1e-3,
              high=0.3, log=True),
        Param("epochs", Text("에포크 수 (코사인의 T_max)", "Epochs (cosine T_max)"), "int", 60,
              low=10, high=300),
        Param("step_size", Text("StepLR step_size (에포크)", "StepLR step_size (epochs)"),
              "int", 20, low=1, high=100),
        Param("step_gamma", Text("StepLR γ", "StepLR γ"), "float", 0.1, low=0.01, high=0.9),
        Param("exp_gamma", Text("ExponentialLR γ", "ExponentialLR γ"), "float", 0.93,
              low=0.5, high=0.999),
        Param("warmup", Text("워밍업 에포크 (LinearLR, 0.1배에서 시작)",
                             "Warm-up epochs (LinearLR from 0.1×)"), "int", 5, low=1, high=50),
        Param("noise", Text("레이블 잡음 σ", "Label noise σ"), "float", 1.0, low=0.0,
              high=3.0),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=999),
    )
    unit = Text("에포크", "epoch")
    steps = 301  # epochs 0 .. 300: the run ends at its epoch budget (``epochs``) before that

    def frames(self, values: Values) -> Iterator[Frame]:
        seed, epochs = int(values["seed"]), int(values["epochs"])
        X, y = regression_data(seed, values["noise"])
        # the least-squares optimum (with intercept) is the floor every run approaches
        design = np.column_stack([X, np.ones(len(X))])
        residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
        best = float(np.mean(residual**2))
        runs = {}
        for name in SCHEDULES:
            model = Linear(N_FEATURES, 1, rng=seed).double()
            loss_fn = MSELoss()
            opt = SGD(model.parameters(), lr=values["lr"])
            scheduler = make_scheduler(name, opt, values)
            loader = DataLoader(X, y, batch_size=BATCH, shuffle=True, rng=seed)
            runs[name] = (model, loss_fn, fit(model, loss_fn, opt, loader, epochs,
                                              scheduler=scheduler, per_parameter_norms=False))
        lrs = {n: Trace(64) for n in SCHEDULES}
        excess = {n: Trace(64) for n in SCHEDULES}
        for name, (model, loss_fn, _) in runs.items():
            excess[name].append(evaluate(model, loss_fn, X, y)[0] - best)
        alive = dict.fromkeys(SCHEDULES, True)
        epoch = 0
        while True:
            yield {
                "t": epoch,
                "epoch": epoch,
                "lr": {n: t.view() for n, t in lrs.items()},
                "excess": {n: t.view() for n, t in excess.items()},
                "best": best,
                "alive": dict(alive),
                "diverged": not any(alive.values()),
            }
            if epoch == epochs:
                return
            epoch += 1
            for name, (model, loss_fn, steps) in runs.items():
                event = next(steps)
                while not isinstance(event, EpochMetrics):
                    event = next(steps)
                lrs[name].append(event.lr)
                loss = evaluate(model, loss_fn, X, y)[0]
                if not math.isfinite(loss) or loss > 1e12:
                    alive[name] = False
                excess[name].append(loss - best if alive[name] else np.nan)
                if not alive[name]:  # keep stepping the others; this one stays NaN
                    runs[name] = (model, loss_fn, _dead(epochs))

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        lr_ax, loss_ax = figure.subplots(1, 2)
        epochs = int(values["epochs"])
        lr_ax.set_title(tr(lang, "에포크별 학습률", "Learning rate per epoch"))
        loss_ax.set_title(tr(lang, "초과 학습 손실 (MSE − 최소 MSE)",
                             "Excess training loss (MSE − least-squares MSE)"))
        loss_ax.set_yscale("log")
        loss_ax.yaxis.set_major_formatter(plain_ticks())
        lines, planned, curves = {}, {}, {}
        for name in SCHEDULES:
            color = COLORS[name]
            label = LABELS[name].get(lang)
            (planned[name],) = lr_ax.plot(np.arange(epochs), planned_lrs(name, values),
                                          color=color, alpha=0.25, lw=1, drawstyle="steps-post")
            (lines[name],) = lr_ax.plot([], [], color=color, lw=2, drawstyle="steps-post")
            (curves[name],) = loss_ax.plot([], [], color=color, lw=1.6, label=label)
        lr_ax.set_xlim(0, epochs)
        lr_ax.set_ylim(0, values["lr"] * 1.08)
        legend = loss_ax.legend(loc="lower left", fontsize=9)
        texts = dict(zip(SCHEDULES, legend.get_texts(), strict=True))
        loss_ax.set_xlim(0, epochs)
        for ax in (lr_ax, loss_ax):
            ax.set_xlabel(tr(lang, "에포크", "epoch"))
            ax.grid(alpha=0.3)

        # the first frame sets the top (2 × the starting excess); decaying schedules reach
        # ~1e-6 by default, so start with that much room below
        fit_loss = PresetLimits(loss_ax, "y", (5e-7, 1.0), log=True)
        shown_alive = dict.fromkeys(SCHEDULES, True)
        changed: list[Artist] = [*lines.values(), *curves.values()]

        def update(frame: Frame) -> list[Artist] | None:
            lows, highs = [], []
            for name in SCHEDULES:
                lr = frame["lr"][name]
                # steps-post: the rate of epoch e spans [e, e + 1]
                lines[name].set_data(np.arange(len(lr) + 1) if len(lr) else [],
                                     np.append(lr, lr[-1:]))
                curve = frame["excess"][name]
                curves[name].set_data(np.arange(len(curve)), curve)
                ok = curve[np.isfinite(curve) & (curve > 0)]
                if len(ok):
                    lows.append(ok.min())
                    highs.append(ok.max())
            if lows:
                fit_loss(min(lows) * 0.5, max(highs) * 2.0)
            if frame["alive"] != shown_alive:  # a legend entry changes: redraw everything
                shown_alive.update(frame["alive"])
                for name in SCHEDULES:
                    suffix = "" if shown_alive[name] else tr(lang, " — 발산", " — diverged")
                    texts[name].set_text(LABELS[name].get(lang) + suffix)
                return None
            return changed

        return update


def _dead(epochs: int) -> Iterator[EpochMetrics]:
    """Stand-in for a diverged run's ``fit``: empty epochs, so the other runs keep going."""
    for epoch in range(epochs):
        yield EpochMetrics(epoch + 1, math.nan, None, lr=math.nan)
