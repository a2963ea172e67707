"""Dropout: a wide MLP that overfits a small noisy set, trained with and without dropout.

Both nets share the initial weights and the mini-batch order (same seeds); the only difference
is ``Dropout(p)`` after each hidden ReLU. The right panel probes the dropout net's last
``Dropout`` layer on one validation example: in train mode each unit is zeroed with
probability p and the survivors are multiplied by 1/(1-p) (inverted dropout), so the mean over
many masks equals the eval-mode output, which is the identity.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._regularization import HUGE_EPOCHS, WITH, WITHOUT, next_epoch
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import ORANGE, Ceiling, FitLimits, grow_limit
from quizapp.trainer import (
    Adam,
    CrossEntropyLoss,
    DataLoader,
    Dropout,
    Linear,
    ReLU,
    Sequential,
    evaluate,
    fit,
    make_moons,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

N_VAL = 600
BATCH = 25
MASKS = 1000  # train-mode passes averaged in the probe
PROBE_LAYER = 5  # index of the second Dropout in the Sequential below


def make_net(hidden: int, p: float, seed: int) -> Sequential:
    """2 -> hidden -> hidden -> 2 with Dropout(p) after each ReLU (float64, seeded init)."""
    net = Sequential(
        Linear(2, hidden, rng=seed), ReLU(), Dropout(p, rng=seed + 1),
        Linear(hidden, hidden, rng=seed + 2), ReLU(), Dropout(p, rng=seed + 3),
        Linear(hidden, 2, rng=seed + 4),
    )
    net.double()
    return net


class DropoutDemo(Demo):
    id = "dropout"
    title = Text("드롭아웃: 과적합 억제와 역 드롭아웃 스케일링",
                 "Dropout: less overfitting, and inverted scaling")
    notice = Text(
        "드롭아웃 없는 넓은 MLP는 잡음 섞인 작은 훈련 세트(100개)를 외웁니다: 훈련 손실은 "
        "0을 향해 계속 내려가고(100 에포크에 0.09), 검증 손실은 7 에포크쯤의 최저점 뒤로 다시 "
        "올라가 1.05가 됩니다. 드롭아웃 p = 0.5를 켜면 과적합이 느려집니다: 검증 손실 0.69, "
        "검증−훈련 격차 0.53(없으면 0.96). 드롭아웃은 과적합을 줄이고 늦출 뿐 없애지는 않으므로 "
        "조기 종료와 함께 씁니다. 오른쪽: 훈련 모드에서는 유닛을 확률 p로 0으로 만들고 살아남은 "
        "값을 1/(1−p)배 하므로(역 드롭아웃), 여러 마스크의 평균이 평가 모드 출력(항등)과 "
        "같습니다. 그래서 PyTorch는 평가 때 아무 것도 다시 스케일하지 않습니다.",
        "Without dropout the wide MLP memorises the small noisy training set (100 points): "
        "training loss keeps falling towards 0 (0.09 after 100 epochs) while validation loss, "
        "after its minimum near epoch 7, climbs again to 1.05. With dropout p = 0.5 it overfits "
        "more slowly: validation loss 0.69 and a validation−training gap of 0.53 instead of "
        "0.96. Dropout reduces and delays overfitting but does not remove it, so it is used "
        "together with early stopping. Right: in train mode each unit is zeroed with "
        "probability p and the survivors are scaled by 1/(1−p) (inverted dropout), so the mean "
        "over many masks equals the eval-mode output, which is the identity — PyTorch "
        "rescales nothing at test time.",
    )
    params = (
        Param("p", Text("드롭아웃 확률 p", "Dropout probability p"), "float", 0.5,
              low=0.0, high=0.9),
        Param("train_size", Text("훈련 샘플 수", "Training samples"), "int", 100,
              low=30, high=500),
        Param("hidden", Text("은닉 유닛 수", "Hidden units"), "int", 256, low=32, high=512),
        Param("noise", Text("데이터 잡음", "Data noise"), "float", 0.35, low=0.0, high=0.6),
        Param("lr", Text("학습률 (Adam)", "Learning rate (Adam)"), "float", 3e-3,
              low=1e-4, high=3e-2, log=True),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("에포크", "epoch")
    steps = 100  # epochs: both nets are well past their best validation loss

    def frames(self, values: Values) -> Iterator[Frame]:
        seed, p, n_train = values["seed"], values["p"], values["train_size"]
        X, y = make_moons(n_train + N_VAL, noise=values["noise"], rng=seed)
        X_train, y_train, X_val, y_val = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
        nets = {"plain": make_net(values["hidden"], 0.0, seed + 10),
                "dropout": make_net(values["hidden"], p, seed + 10)}
        loss_fn = CrossEntropyLoss()
        runs = {
            name: fit(net, loss_fn, Adam(net.parameters(), lr=values["lr"]),
                      DataLoader(X_train, y_train, batch_size=BATCH, shuffle=True,
                                 rng=seed + 20),
                      HUGE_EPOCHS, val_data=(X_val, y_val), per_parameter_norms=False)
            for name, net in nets.items()
        }
        train = {name: Trace(256) for name in nets}
        val = {name: Trace(256) for name in nets}
        probe_x = X_val[:1]
        probe_net = nets["dropout"]
        layer = probe_net[PROBE_LAYER]
        before = probe_net[:PROBE_LAYER]
        epoch = 0
        while True:
            epoch += 1
            for name, net in nets.items():
                metrics = next_epoch(runs[name])
                assert metrics is not None and metrics.val_loss is not None
                train_loss, _ = evaluate(net, loss_fn, X_train, y_train)  # eval mode
                train[name].append(train_loss)
                val[name].append(metrics.val_loss)
            # probe: the dropout layer's input h (eval mode), then MASKS train-mode passes
            before.eval()
            h = before(probe_x)[0]
            before.train()
            layer.train()
            outs = layer(np.repeat(h[None, :], MASKS, axis=0))
            layer.eval()
            eval_out = layer(h[None, :])[0]
            layer.train()
            frame = {
                "t": epoch,
                "epoch": epoch,
                "train": {n: t.view() for n, t in train.items()},
                "val": {n: t.view() for n, t in val.items()},
                "p": p,
                "h": h,
                "eval_out": eval_out,
                "one_mask": outs[0],
                "mask_mean": outs.mean(axis=0),
            }
            frame["diverged"] = not finite(train["plain"].view()[-1], val["plain"].view()[-1])
            yield frame

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        loss_ax, probe_ax = figure.subplots(1, 2, width_ratios=(1.3, 1))
        names = {"plain": tr(lang, "드롭아웃 없음", "no dropout"),
                 "dropout": tr(lang, f"드롭아웃 p={values['p']:g}",
                               f"dropout p={values['p']:g}")}
        colors = {"plain": WITHOUT, "dropout": WITH}
        loss_ax.set_title(tr(lang, "훈련(점선)·검증(실선) 손실", "Training (dashed) and "
                                                             "validation (solid) loss"))
        loss_ax.set_xlabel(tr(lang, "에포크", "epoch"))
        loss_ax.set_ylabel(tr(lang, "교차 엔트로피", "cross-entropy"))
        loss_ax.set_yscale("log")
        loss_ax.grid(alpha=0.3, which="both")
        train_lines, val_lines = {}, {}
        for name in ("plain", "dropout"):
            (val_lines[name],) = loss_ax.plot([], [], color=colors[name], lw=1.8,
                                              label=names[name] + tr(lang, " 검증", " val"))
            (train_lines[name],) = loss_ax.plot([], [], color=colors[name], lw=1.4, ls="--",
                                                label=names[name] + tr(lang, " 훈련", " train"))
        loss_ax.legend(loc="lower left", fontsize=8)
        gap_text = loss_ax.text(0.02, 0.97, "", transform=loss_ax.transAxes, ha="left",
                                va="top", fontsize=9,
                                bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "#ccc"})

        probe_ax.set_title(tr(lang, "마지막 드롭아웃 층: 훈련 모드 vs 평가 모드",
                              "Last dropout layer: train vs eval mode"))
        probe_ax.set_xlabel(tr(lang, "평가 모드 출력 (= 입력 h)", "eval-mode output (= input h)"))
        probe_ax.set_ylabel(tr(lang, "훈련 모드 출력", "train-mode output"))
        probe_ax.grid(alpha=0.3)
        p = values["p"]
        (identity,) = probe_ax.plot([], [], color="black", lw=1.0,
                                    label=tr(lang, "평가 모드: y = h", "eval mode: y = h"))
        (scaled,) = probe_ax.plot([], [], color=ORANGE, lw=1.0, ls=":",
                                  label=tr(lang, f"살아남은 유닛: y = h/(1−p) = {1 / (1 - p):.2g}h",
                                           f"survivors: y = h/(1−p) = {1 / (1 - p):.2g}h"))
        (one,) = probe_ax.plot([], [], "o", color=ORANGE, ms=3.5, alpha=0.6,
                               label=tr(lang, "마스크 1개", "one mask"))
        (mean,) = probe_ax.plot([], [], "o", color=WITH, ms=3.5, alpha=0.8,
                                label=tr(lang, f"마스크 {MASKS}개 평균", f"mean of {MASKS} masks"))
        probe_ax.legend(loc="upper left", fontsize=8)
        ratio_text = probe_ax.text(0.98, 0.03, "", transform=probe_ax.transAxes, ha="right",
                                   va="bottom", fontsize=9,
                                   bbox={"facecolor": "white", "alpha": 0.85,
                                         "edgecolor": "#ccc"})

        loss_ax.set_xlim(0, self.steps)  # the whole run; grows in jumps past it
        loss_y = FitLimits(loss_ax, "y", slack=0.3)
        probe_top = Ceiling()  # the probe panel's scale, raised in jumps (so no extra slack)
        probe_x, probe_y = FitLimits(probe_ax, "x", slack=0.0), FitLimits(probe_ax, "y", slack=0.0)
        changed = [val_lines["plain"], train_lines["plain"], val_lines["dropout"],
                   train_lines["dropout"], gap_text,
                   identity, scaled, one, mean, ratio_text]

        def update(frame: Frame) -> list[Artist]:
            epochs = np.arange(1, frame["epoch"] + 1)
            low, high = np.inf, 0.0
            for name in ("plain", "dropout"):
                t, v = frame["train"][name], frame["val"][name]
                train_lines[name].set_data(epochs, t)
                val_lines[name].set_data(epochs, v)
                both = np.concatenate([t, v])
                both = both[np.isfinite(both) & (both > 0)]
                if len(both):
                    low, high = min(low, both.min()), max(high, both.max())
            grow_limit(loss_ax, frame["epoch"])
            if high > 0:
                loss_y.show(low / 1.5, high * 1.5)
            gaps = [frame["val"][n][-1] - frame["train"][n][-1] for n in ("plain", "dropout")]
            gap_text.set_text(tr(lang, "검증 − 훈련 격차 (지금)\n", "val − train gap (now)\n")
                              + f"{names['plain']}: {gaps[0]:.3f}\n"
                              + f"{names['dropout']}: {gaps[1]:.3f}")
            h = frame["h"]
            top = probe_top(max(float(h.max()), 1e-6))
            xs = np.array([0.0, top * 1.05])
            identity.set_data(xs, xs)
            scaled.set_data(xs, xs / (1 - frame["p"]))
            one.set_data(h, frame["one_mask"])
            mean.set_data(h, frame["mask_mean"])
            probe_x.show(min(0.0, float(h.min())) - 0.02 * top, top * 1.05)
            probe_y.show(-0.05 * top, top * 1.05 / (1 - frame["p"]) + 0.05 * top)
            ratio = float(frame["mask_mean"].mean() / max(frame["eval_out"].mean(), 1e-12))
            ratio_text.set_text(tr(lang, "평균(훈련) / 평균(평가) = ",
                                   "mean(train) / mean(eval) = ") + f"{ratio:.3f}")
            return changed

        return update
