"""BatchNorm in training: the same MLP with and without BatchNorm1d at a high learning rate.

Both nets (Linear -> [BatchNorm1d] -> ReLU per hidden layer) start from the same weights and
see the same mini-batches; they train with plain SGD at the same learning rate on the shipped
digits. Normalising each layer's pre-activations keeps them at a fixed scale, so a step size
that throws the plain net into a dead or oscillating state still trains the BN net.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._regularization import HUGE_EPOCHS, WITH, WITHOUT
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.digits import split_digits
from quizapp.demos.plotting import FitLimits, grow_limit
from quizapp.trainer import (
    SGD,
    BatchNorm1d,
    CrossEntropyLoss,
    DataLoader,
    Linear,
    Module,
    ReLU,
    Sequential,
    StepMetrics,
    evaluate,
    fit,
    no_grad,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

NAMES = ("plain", "bn")
COLORS = {"plain": WITHOUT, "bn": WITH}
STEPS_PER_FRAME = 4
EVAL_EVERY = 20  # optimizer steps between validation checks
SMOOTH = 20  # moving-average window of the loss curve


def dead_fractions(net: Sequential, X: np.ndarray) -> np.ndarray:
    """Per hidden layer, the share of its ReLUs that output 0 for every example of ``X``."""
    was_training = net.training
    net.eval()
    out, h = [], X
    with no_grad():
        for layer in net:
            h = layer(h)
            if isinstance(layer, ReLU):
                out.append(float(np.mean(np.all(h <= 0, axis=0))))
    net.train(was_training)
    return np.array(out)


def make_mlp(depth: int, hidden: int, batchnorm: bool, seed: int) -> Sequential:
    """784 -> hidden x depth -> 10; with ``batchnorm`` a BatchNorm1d before each ReLU."""
    layers: list[Module] = []
    width = 784
    for i in range(depth):
        layers.append(Linear(width, hidden, rng=seed + i))
        if batchnorm:
            layers.append(BatchNorm1d(hidden))
        layers.append(ReLU())
        width = hidden
    layers.append(Linear(width, 10, rng=seed + 99))
    return Sequential(*layers)


class BatchNormTraining(Demo):
    id = "batchnorm-training"
    title = Text("배치 정규화와 높은 학습률", "BatchNorm lets a high learning rate train")
    notice = Text(
        "같은 MLP, 같은 초기 가중치, 같은 미니배치, 같은 SGD 학습률입니다. 차이는 각 은닉층의 "
        "ReLU 앞 BatchNorm1d뿐입니다. 기본 학습률 2에서 BN 없는 망은 학습에 실패합니다: 처음 "
        "50 스텝 안에 손실이 폭발해 발산하거나(기본 시드), ln 10 ≈ 2.3에 갇힙니다(다른 시드들: "
        "한 은닉층의 ReLU가 모두 죽어 모든 이미지에 같은 예측을 내고, 정확도는 찍기 수준 "
        "10%). 어느 쪽이 될지는 시드에 달려 있습니다. 층마다 입력의 크기를 "
        "다시 맞추는 BN 망은 같은 학습률로 검증 정확도 90% 넘게 학습됩니다. 학습률 1에서는 "
        "BN 없는 망도 배우지만 BN 망보다 느리고, 0.2에서는 둘 다 잘 학습됩니다.",
        "Same MLP, same initial weights, same mini-batches, same SGD learning rate; the only "
        "difference is a BatchNorm1d before each hidden ReLU. At the default rate 2 the plain "
        "net fails: its loss explodes within the first 50 steps (default seed) or it gets "
        "stuck at ln 10 ≈ 2.3 (other seeds: every ReLU of a hidden layer has died, so it gives "
        "the same prediction for every image, at chance accuracy, 10 %); which of the two "
        "happens depends on the seed. The BN net, which re-normalises every "
        "layer's inputs, trains to over 90 % validation accuracy at the same rate. At rate 1 "
        "the plain net does learn, but more slowly than the BN net; at 0.2 "
        "both train well.",
    )
    params = (
        Param("lr", Text("학습률 (SGD)", "Learning rate (SGD)"), "float", 2.0,
              low=0.01, high=5.0, log=True),
        Param("depth", Text("은닉층 수", "Hidden layers"), "int", 3, low=1, high=6),
        Param("hidden", Text("은닉 유닛 수", "Hidden units"), "int", 100, low=32, high=256),
        Param("batch_size", Text("배치 크기", "Batch size"), "int", 64, low=16, high=256),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")
    steps = 100  # frames of STEPS_PER_FRAME optimizer steps: 400 steps, the BN net over 90 %

    def frames(self, values: Values) -> Iterator[Frame]:
        seed = values["seed"]
        X_train, y_train, X_val, y_val = split_digits(1000, seed, flatten=True)
        loss_fn = CrossEntropyLoss()
        nets = {name: make_mlp(values["depth"], values["hidden"], name == "bn", seed + 10)
                for name in NAMES}
        runs = {
            name: fit(net, loss_fn, SGD(net.parameters(), lr=values["lr"]),
                      DataLoader(X_train, y_train, batch_size=values["batch_size"],
                                 shuffle=True, rng=seed + 20),
                      HUGE_EPOCHS, per_parameter_norms=False)
            for name, net in nets.items()
        }
        losses = {name: Trace(1024) for name in NAMES}
        smooth = {name: Trace(1024) for name in NAMES}
        val_acc = {name: Trace(64, 2) for name in NAMES}
        dead = {name: dead_fractions(net, X_val) for name, net in nets.items()}
        alive = dict.fromkeys(NAMES, True)
        for name, net in nets.items():
            val_acc[name].append(0, evaluate(net, loss_fn, X_val, y_val)[1] or 0.0)
        step = 0
        while True:
            for _ in range(STEPS_PER_FRAME):
                step += 1
                for name in NAMES:
                    if not alive[name]:
                        continue
                    event = next(runs[name])
                    while not isinstance(event, StepMetrics):  # skip the epoch summaries
                        event = next(runs[name])
                    if not np.isfinite(event.loss) or event.loss > 1e6:
                        alive[name] = False
                        continue
                    losses[name].append(event.loss)
                    recent = losses[name].view()[-SMOOTH:]
                    smooth[name].append(float(recent.mean()))
                    if step % EVAL_EVERY == 0:
                        acc = evaluate(nets[name], loss_fn, X_val, y_val)[1]
                        val_acc[name].append(step, acc or 0.0)
                        dead[name] = dead_fractions(nets[name], X_val)
            yield {
                "t": step,
                "step": step,
                "dead": {n: d.copy() for n, d in dead.items()},
                "loss": {n: t.view() for n, t in losses.items()},
                "smooth": {n: t.view() for n, t in smooth.items()},
                "val_acc": {n: t.view() for n, t in val_acc.items()},
                "alive": dict(alive),
                "diverged": not any(alive.values()),
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        loss_ax, acc_ax = figure.subplots(1, 2, width_ratios=(1.3, 1))
        labels = {"plain": tr(lang, "BN 없음", "no BN"),
                  "bn": tr(lang, "BatchNorm1d 사용", "with BatchNorm1d")}
        loss_ax.set_title(tr(lang, f"훈련 손실 (SGD, 학습률 {values['lr']:g})",
                             f"Training loss (SGD, learning rate {values['lr']:g})"))
        loss_ax.set_xlabel(tr(lang, "스텝", "step"))
        loss_ax.set_ylabel(tr(lang, "교차 엔트로피 (미니배치)", "cross-entropy (mini-batch)"))
        loss_ax.set_yscale("log")
        loss_ax.grid(alpha=0.3, which="both")
        loss_ax.axhline(np.log(10), color="black", lw=0.8, ls=":")
        chance = loss_ax.text(0.99, np.log(10), tr(lang, "찍기 수준 ln 10", "chance level ln 10"),
                              transform=loss_ax.get_yaxis_transform(), ha="right", va="bottom",
                              fontsize=8)
        acc_ax.set_title(tr(lang, "검증 정확도", "Validation accuracy"))
        acc_ax.set_xlabel(tr(lang, "스텝", "step"))
        acc_ax.set_ylim(0, 1)
        acc_ax.grid(alpha=0.3)
        acc_ax.axhline(0.1, color="black", lw=0.8, ls=":")
        raw, smooth, acc = {}, {}, {}
        for name in NAMES:
            (raw[name],) = loss_ax.plot([], [], color=COLORS[name], lw=0.6, alpha=0.3)
            (smooth[name],) = loss_ax.plot([], [], color=COLORS[name], lw=2.0,
                                           label=labels[name])
            (acc[name],) = acc_ax.plot([], [], "o-", color=COLORS[name], lw=1.8, ms=3,
                                       label=labels[name])
        loss_legend = loss_ax.legend(loc="lower left", fontsize=9)
        acc_ax.legend(loc="lower right", fontsize=9)
        legend_texts = dict(zip(NAMES, loss_legend.get_texts(), strict=True))

        for ax in (loss_ax, acc_ax):  # the whole run; grows in jumps past it
            ax.set_xlim(0, self.steps * STEPS_PER_FRAME)
        loss_y = FitLimits(loss_ax, "y", slack=1.0)  # a diverging loss: few, wide jumps
        # the label of the chance level sits on the stalled loss curve and is drawn over it
        # the loss legend too: an entry gains "(diverged)" when a net blows up, and drawn with
        # the frame it changes without a full redraw
        changed = [*(artist for name in NAMES for artist in (raw[name], smooth[name], acc[name])),
                   chance, loss_legend]

        def update(frame: Frame) -> list[Artist] | None:
            high, low = np.log(10) * 1.3, np.log(10) / 1.3
            for name in NAMES:
                loss = frame["loss"][name]
                xs = np.arange(1, len(loss) + 1)
                raw[name].set_data(xs, loss)
                smooth[name].set_data(xs, frame["smooth"][name])
                points = frame["val_acc"][name]
                acc[name].set_data(points[:, 0], points[:, 1])
                if len(loss):
                    high = max(high, float(loss.max()))
                    low = min(low, float(loss.min()))
                suffix = "" if frame["alive"][name] else tr(lang, " (발산)", " (diverged)")
                legend_texts[name].set_text(labels[name] + suffix)
            for ax in (loss_ax, acc_ax):
                grow_limit(ax, frame["step"])
            loss_y.show(max(low / 1.5, 1e-3), min(high * 1.5, 1e6))
            return changed

        return update
