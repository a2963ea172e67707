"""Overfitting and early stopping, and the effect of an L2 penalty (weight decay).

A wide tanh MLP fits a handful of noisy samples of sin(3x). Three runs share the initial
weights and the data: the plain run trains on and on; its identical twin trains with the
trainer's ``EarlyStopping(patience, restore_best=True)`` watching the validation loss, so it stops
``patience`` epochs after the best one and loads the best weights back; the third run adds
``weight_decay`` (coupled L2: lambda * w added to every gradient, as ``L2Penalty(lambda)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._regularization import EXTRA, HUGE_EPOCHS, WITH, WITHOUT, next_epoch
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import FitLimits, grow_limit
from quizapp.trainer import (
    Adam,
    DataLoader,
    EarlyStopping,
    Linear,
    MSELoss,
    Sequential,
    Tanh,
    evaluate,
    fit,
    no_grad,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

N_VAL = 300
HIDDEN = 128
EPOCHS_PER_FRAME = 5
RUNS = ("plain", "early", "l2")


def sine_data(n_train: int, noise: float, seed: int) -> tuple[np.ndarray, ...]:
    """x ~ U(-1, 1), y = sin(3x) + N(0, noise^2): (X_train, y_train, X_val, y_val), (n, 1)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n_train + N_VAL, 1))
    y = np.sin(3.0 * x) + rng.normal(0.0, noise, size=x.shape)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def make_net(seed: int) -> Sequential:
    net = Sequential(Linear(1, HIDDEN, rng=seed), Tanh(), Linear(HIDDEN, HIDDEN, rng=seed + 1),
                     Tanh(), Linear(HIDDEN, 1, rng=seed + 2))
    net.double()
    return net


class EarlyStoppingDemo(Demo):
    id = "early-stopping"
    title = Text("과적합과 조기 종료, L2 규제", "Overfitting, early stopping and L2")
    notice = Text(
        "훈련 손실은 계속 내려가지만 검증 손실은 최저점(89 에포크)을 지나 다시 올라갑니다"
        "(과적합). 조기 종료는 검증 손실이 patience 에포크 동안 나아지지 않으면 멈추므로 최저 "
        "에포크 + patience(89 + 50 = 139)에서 멈추고, 최적 가중치를 되돌립니다(초록). L2 "
        "규제(weight_decay λ: 기울기에 λ·w를 더함)는 가중치를 작게 유지해(노름 15.5 대신 5.7) "
        "곡선이 잡음을 덜 따라가고, 검증−훈련 격차가 절반쯤으로 줄어듭니다(0.14 대신 0.08).",
        "Training loss keeps falling, but validation loss passes a minimum (epoch 89) and "
        "rises again (overfitting). Early stopping halts when the validation loss has not "
        "improved for patience epochs, i.e. at best epoch + patience (89 + 50 = 139), and "
        "restores the best weights (green). An L2 penalty (weight_decay λ adds λ·w to every "
        "gradient) keeps the weights small (norm 5.7 instead of 15.5), so the fit follows the "
        "noise less and the validation−training gap is about half as large (0.08 vs 0.14).",
    )
    params = (
        Param("patience", Text("patience (에포크)", "Patience (epochs)"), "int", 50,
              low=5, high=300),
        Param("weight_decay", Text("L2 계수 λ (weight_decay)", "L2 strength λ (weight_decay)"),
              "float", 3e-3, low=1e-5, high=0.1, log=True),
        Param("train_size", Text("훈련 샘플 수", "Training samples"), "int", 15, low=8, high=60),
        Param("noise", Text("잡음 표준편차", "Noise std"), "float", 0.4, low=0.05, high=1.0),
        Param("lr", Text("학습률 (Adam)", "Learning rate (Adam)"), "float", 1e-2,
              low=1e-3, high=5e-2, log=True),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("에포크", "epoch")
    steps = 60  # frames of EPOCHS_PER_FRAME epochs: 300, well past the stop (139 by default)

    def frames(self, values: Values) -> Iterator[Frame]:
        seed = values["seed"]
        X_train, y_train, X_val, y_val = sine_data(values["train_size"], values["noise"], seed)
        loss_fn = MSELoss()
        nets = {name: make_net(seed + 10) for name in RUNS}  # identical initial weights
        stopper = EarlyStopping(patience=values["patience"], restore_best=True)
        runs = {}
        for name, net in nets.items():
            decay = values["weight_decay"] if name == "l2" else 0.0
            runs[name] = fit(
                net, loss_fn, Adam(net.parameters(), lr=values["lr"], weight_decay=decay),
                DataLoader(X_train, y_train, batch_size=len(X_train), shuffle=True,
                           rng=seed + 20),
                HUGE_EPOCHS, val_data=(X_val, y_val),
                early_stopping=stopper if name == "early" else None,
                per_parameter_norms=False)
        train = {name: Trace(1024) for name in RUNS}
        val = {name: Trace(1024) for name in RUNS}
        grid = np.linspace(-1.1, 1.1, 200)[:, None]
        stop_epoch: int | None = None
        restored_val: float | None = None
        epoch = 0
        while True:
            for _ in range(EPOCHS_PER_FRAME):
                epoch += 1
                for name in RUNS:
                    if name == "early" and stop_epoch is not None:
                        continue
                    metrics = next_epoch(runs[name])
                    assert metrics is not None and metrics.val_loss is not None
                    train[name].append(evaluate(nets[name], loss_fn, X_train, y_train)[0])
                    val[name].append(metrics.val_loss)
                    if name == "early" and metrics.stopped_early:
                        stop_epoch = metrics.epoch
                        restored_val = evaluate(nets["early"], loss_fn, X_val, y_val)[0]
            fits = {}
            for name in RUNS:
                nets[name].eval()
                with no_grad():
                    fits[name] = nets[name](grid)[:, 0]
                nets[name].train()
            yield {
                "t": epoch,
                "epoch": epoch,
                "w_norm": {n: float(np.sqrt(sum(float(np.sum(p.data**2))
                                                for p in nets[n].parameters())))
                           for n in RUNS},
                "train": {n: t.view() for n, t in train.items()},
                "val": {n: t.view() for n, t in val.items()},
                "best_epoch": stopper.best_epoch + 1,  # EarlyStopping counts from 0
                "best_val": stopper.best,
                "stop_epoch": stop_epoch,
                "restored_val": restored_val,
                "patience": values["patience"],
                "grid": grid[:, 0],
                "fits": fits,
                "data": (X_train[:, 0], y_train[:, 0], X_val[:, 0], y_val[:, 0]),
                "diverged": not finite(fits["plain"], fits["l2"]),
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        loss_ax, fit_ax = figure.subplots(1, 2, width_ratios=(1.25, 1))
        lam = values["weight_decay"]
        labels = {"plain": tr(lang, "규제 없음", "no penalty"),
                  "l2": f"L2 λ={lam:g}"}
        colors = {"plain": WITHOUT, "l2": WITH}
        loss_ax.set_title(tr(lang, "훈련(점선)·검증(실선) MSE", "Training (dashed) and "
                                                             "validation (solid) MSE"))
        loss_ax.set_xlabel(tr(lang, "에포크", "epoch"))
        loss_ax.set_yscale("log")
        loss_ax.grid(alpha=0.3, which="both")
        train_lines, val_lines = {}, {}
        for name in ("plain", "l2"):
            (val_lines[name],) = loss_ax.plot([], [], color=colors[name], lw=1.8,
                                              label=labels[name] + tr(lang, " 검증", " val"))
            (train_lines[name],) = loss_ax.plot([], [], color=colors[name], lw=1.3, ls="--",
                                                label=labels[name] + tr(lang, " 훈련", " train"))
        best_line = loss_ax.axvline(0, color=EXTRA, lw=1.2, ls=":",
                                    label=tr(lang, "최저 검증 에포크", "best epoch"))
        stop_line = loss_ax.axvline(0, color="black", lw=1.2, ls="--",
                                    label=tr(lang, "조기 종료 시점", "early stop"))
        (restored,) = loss_ax.plot([], [], "*", color=EXTRA, ms=13,
                                   label=tr(lang, "되돌린 최적 가중치", "restored best weights"))
        # below the plot: inside it would cover the curves somewhere during a run
        loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.11), ncols=3,
                                     fontsize=8)
        info = loss_ax.text(0.98, 0.97, "", transform=loss_ax.transAxes, ha="right", va="top",
                            fontsize=9,
                            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "#ccc"})

        fit_ax.set_title(tr(lang, "학습된 함수", "Learned function"))
        fit_ax.set_xlabel("x")
        fit_ax.set_ylabel("y")
        fit_ax.grid(alpha=0.3)
        grid = np.linspace(-1.1, 1.1, 200)
        fit_ax.plot(grid, np.sin(3 * grid), color="black", lw=1.0, ls=":",
                    label=tr(lang, "참 함수 sin(3x)", "true sin(3x)"))
        (val_pts,) = fit_ax.plot([], [], ".", color="#999999", ms=3, alpha=0.5,
                                 label=tr(lang, "검증 데이터", "validation data"))
        (train_pts,) = fit_ax.plot([], [], "o", color="black", ms=5,
                                   label=tr(lang, "훈련 데이터", "training data"))
        curves = {}
        (curves["plain"],) = fit_ax.plot([], [], color=WITHOUT, lw=1.8, label=labels["plain"])
        (curves["l2"],) = fit_ax.plot([], [], color=WITH, lw=1.8, label=labels["l2"])
        (curves["early"],) = fit_ax.plot([], [], color=EXTRA, lw=2.2,
                                         label=tr(lang, "조기 종료 (최적 가중치)",
                                                  "early stopped (best weights)"))
        fit_ax.legend(loc="lower right", fontsize=8)
        fit_ax.set_xlim(-1.1, 1.1)
        fit_ax.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])

        loss_ax.set_xlim(0, self.steps * EPOCHS_PER_FRAME)  # the whole run; grows past it
        loss_y = FitLimits(loss_ax, "y", slack=0.3)
        # the data points and the axes' limits of the right panel are fixed for a run
        changed = [val_lines["plain"], train_lines["plain"], val_lines["l2"], train_lines["l2"],
                   best_line, stop_line, restored, info, *curves.values()]

        def update(frame: Frame) -> list[Artist]:
            epochs = np.arange(1, frame["epoch"] + 1)
            seen = []
            for name in ("plain", "l2"):
                t, v = frame["train"][name], frame["val"][name]
                train_lines[name].set_data(epochs[: len(t)], t)
                val_lines[name].set_data(epochs[: len(v)], v)
                seen.extend([t, v])
            everything = np.concatenate(seen)
            everything = everything[np.isfinite(everything) & (everything > 0)]
            if len(everything):
                loss_y.show(everything.min() / 1.5, everything.max() * 1.5)
            grow_limit(loss_ax, frame["epoch"])
            best, stop = frame["best_epoch"], frame["stop_epoch"]
            best_line.set_xdata([best, best])
            lines = [tr(lang, f"최저 검증 에포크: {best}", f"best epoch: {best}")]
            if stop is None:
                stop_line.set_visible(False)
                restored.set_data([], [])
                curves["early"].set_data([], [])
                lines.append(tr(lang, f"아직 멈추지 않음 (patience {frame['patience']})",
                                f"not stopped yet (patience {frame['patience']})"))
            else:
                stop_line.set_visible(True)
                stop_line.set_xdata([stop, stop])
                restored.set_data([best], [frame["restored_val"]])
                curves["early"].set_data(frame["grid"], frame["fits"]["early"])
                lines.append(tr(lang, f"멈춘 에포크: {stop} = {best} + {stop - best}",
                                f"stopped at epoch {stop} = {best} + {stop - best}"))
                lines.append(tr(lang, f"되돌린 가중치의 검증 MSE {frame['restored_val']:.3f}",
                                f"restored weights: val MSE {frame['restored_val']:.3f}"))
            gaps = [frame["val"][n][-1] - frame["train"][n][-1] for n in ("plain", "l2")]
            lines.append(tr(lang, "마지막 검증−훈련 격차: ", "final val−train gap: ")
                         + f"{gaps[0]:.3f} vs {gaps[1]:.3f}")
            info.set_text("\n".join(lines))
            x_tr, y_tr, x_val, y_val = frame["data"]
            train_pts.set_data(x_tr, y_tr)
            val_pts.set_data(x_val, y_val)
            curves["plain"].set_data(frame["grid"], frame["fits"]["plain"])
            curves["l2"].set_data(frame["grid"], frame["fits"]["l2"])
            span = np.concatenate([y_tr, y_val])
            fit_ax.set_ylim(float(span.min()) - 0.3, float(span.max()) + 0.3)  # fixed per run
            return changed

        return update
