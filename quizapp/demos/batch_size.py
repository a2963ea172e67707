"""Batch size from 1 to the full batch: loss noise, updates per epoch, time to a target accuracy.

Four copies of one seeded MLP train on the same 1,000 pooled digits with plain SGD (same
learning rate) and the trainer's ``fit``, each with its own batch size. A frame advances every
run by the same number of *examples* (``EXAMPLES_PER_FRAME``), so the x-axis is fair: epochs of
data seen. Small batches make many cheap, noisy updates per epoch; the full batch makes one
exact, expensive update per epoch.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._optimization import PALETTE, mlp, plain_ticks
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.digits import split_digits
from quizapp.demos.plotting import PresetLimits
from quizapp.trainer import SGD, CrossEntropyLoss, DataLoader, StepMetrics, evaluate, fit

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

N_TRAIN, N_VAL = 1000, 500
BATCHES = (1, 16, 128, N_TRAIN)  # the last one is the full batch
COLORS = dict(zip(BATCHES, (PALETTE[1], PALETTE[5], PALETTE[2], PALETTE[3]), strict=True))
EXAMPLES_PER_FRAME = 25  # 40 frames per epoch
EVAL_EVERY = 2  # frames between validation checks (every 50 examples)


class _Run:
    """One batch size: its model, ``fit`` generator, histories and bookkeeping."""

    def __init__(self, batch: int, X: np.ndarray, y: np.ndarray, values: Values) -> None:
        seed = int(values["seed"])
        self.batch = batch
        self.model = mlp(X.shape[1], 32, 10, seed)  # the same initial weights for every run
        self.loss_fn = CrossEntropyLoss()
        self.loader = DataLoader(X, y, batch_size=batch, shuffle=True, rng=seed)
        self.fit = fit(self.model, self.loss_fn, SGD(self.model.parameters(), lr=values["lr"]),
                       self.loader, epochs=10**9, per_parameter_norms=False)
        self.seen = 0  # examples processed so far
        self.updates = 0
        self.seconds = 0.0  # compute time spent in training steps
        self.batch_loss = Trace(1024)  # one entry per update
        self.batch_loss_at = Trace(1024)  # examples seen after that update, in epochs
        self.reached: tuple[float, int, float] | None = None  # (epochs, updates, seconds)

    def advance_to(self, examples: int) -> None:
        """Take every update that ends within the first ``examples`` examples (an update counts
        once its whole batch has been seen, so no run is ever ahead of the others)."""
        start = time.perf_counter()
        while self.seen + min(self.batch, N_TRAIN - self.seen % N_TRAIN) <= examples:
            event = next(self.fit)
            while not isinstance(event, StepMetrics):
                event = next(self.fit)
            steps_per_epoch = len(self.loader)
            in_epoch = (event.step - 1) % steps_per_epoch + 1
            self.seen = (event.epoch - 1) * N_TRAIN + min(in_epoch * self.batch, N_TRAIN)
            self.updates = event.step
            self.batch_loss.append(event.loss)
            self.batch_loss_at.append(self.seen / N_TRAIN)
        self.seconds += time.perf_counter() - start


class BatchSize(Demo):
    id = "batch-size"
    title = Text("배치 크기: 1부터 전체 배치까지", "Batch size: from 1 to the full batch")
    notice = Text(
        "네 실행은 같은 MLP·같은 학습률의 SGD이고 배치 크기만 다릅니다. 가로축은 에포크(본 "
        "예제 수 ÷ 1000)입니다. 배치 1의 미니배치 손실은 예제마다 크게 튀고, 전체 배치의 "
        "손실은 매끄럽습니다. 에포크당 업데이트 수는 ceil(n/B)라서 배치 1은 한 에포크에 "
        "1000번 움직이고 전체 배치는 한 번뿐이므로, 같은 학습률이면 작은 배치가 훨씬 적은 "
        "에포크로 목표 정확도에 닿습니다(B = 1은 약 0.55 에포크, B = 16은 약 4.6 에포크, "
        "B = 128과 전체 배치는 8 에포크 안에 못 닿음). 대신 예제당 계산 시간은 배치 1이 "
        "수십 배 느리고(16개나 128개짜리 업데이트도 1개짜리보다 별로 오래 걸리지 않음), 큰 "
        "배치는 더 큰 학습률이 필요합니다: 학습률 0.5에서는 B = 128도 목표에 닿고 배치 1은 "
        "학습이 무너집니다.",
        "The four runs are SGD on the same MLP with the same learning rate; only the batch "
        "size differs. The x-axis is epochs (examples seen ÷ 1000). The batch-1 loss jumps "
        "from example to example while the full-batch loss is smooth. Updates per epoch are "
        "ceil(n/B): batch 1 moves 1000 times per epoch, the full batch once, so at the same "
        "rate small batches reach the target accuracy in far fewer epochs (B = 1 after about "
        "0.55 epochs, B = 16 after about 4.6; B = 128 and the full batch not within 8). But "
        "per example batch 1 is tens of times slower to compute (an update on 16 or 128 "
        "examples takes little longer than on one), and large batches need a larger rate: at "
        "lr 0.5 B = 128 reaches the target too, while batch 1 breaks down.",
    )
    params = (
        Param("lr", Text("학습률 (모든 배치 크기 공통)", "Learning rate (all batch sizes)"),
              "float", 0.05, low=1e-3, high=1.0, log=True),
        Param("target", Text("목표 검증 정확도", "Target validation accuracy"), "float", 0.8,
              low=0.3, high=0.95),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=999),
    )
    unit = Text("에포크", "epoch")
    steps = 321  # 8 epochs: every batch size has had 8 epochs of data, the full batch 8 updates

    def frames(self, values: Values) -> Iterator[Frame]:
        seed = int(values["seed"])
        X, y, X_val, y_val = split_digits(N_VAL, seed, size=14, flatten=True, n_train=N_TRAIN)
        runs = {b: _Run(b, X, y, values) for b in BATCHES}
        val_at = {b: Trace(256) for b in BATCHES}  # each run's own examples seen, in epochs
        val_acc = {b: Trace(256) for b in BATCHES}
        frame_no = 0
        while True:
            for b, run in runs.items():
                if frame_no % EVAL_EVERY:
                    break
                val_at[b].append(run.seen / N_TRAIN)
                _, acc = evaluate(run.model, run.loss_fn, X_val, y_val)
                assert acc is not None  # a cross-entropy loss always has an accuracy
                val_acc[b].append(acc)
                if run.reached is None and acc >= values["target"]:
                    run.reached = (run.seen / N_TRAIN, run.updates, run.seconds)
            losses = [r.batch_loss.view()[-1:] for r in runs.values()]
            yield {
                "t": frame_no * EXAMPLES_PER_FRAME / N_TRAIN,
                "epochs": frame_no * EXAMPLES_PER_FRAME / N_TRAIN,
                "val_at": {b: t.view() for b, t in val_at.items()},
                "val_acc": {b: t.view() for b, t in val_acc.items()},
                "batch_loss": {b: r.batch_loss.view() for b, r in runs.items()},
                "batch_loss_at": {b: r.batch_loss_at.view() for b, r in runs.items()},
                "updates_per_epoch": {b: len(r.loader) for b, r in runs.items()},
                "updates": {b: r.updates for b, r in runs.items()},
                "seconds": {b: r.seconds for b, r in runs.items()},
                "reached": {b: r.reached for b, r in runs.items()},
                "diverged": any(len(v) and not math.isfinite(v[0]) for v in losses),
            }
            frame_no += 1
            for run in runs.values():
                run.advance_to(frame_no * EXAMPLES_PER_FRAME)

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        loss_ax, acc_ax, bar_ax = figure.subplots(1, 3, width_ratios=(1.2, 1.0, 0.9))
        names = {b: (tr(lang, f"전체 배치 ({b})", f"full batch ({b})") if b == N_TRAIN
                     else f"B = {b}") for b in BATCHES}
        loss_ax.set_title(tr(lang, "미니배치 손실 (업데이트마다)", "Mini-batch loss (each update)"))
        acc_ax.set_title(tr(lang, "검증 정확도", "Validation accuracy"))
        acc_ax.axhline(values["target"], color="black", ls="--", lw=1)
        acc_ax.text(0.98, values["target"] - 0.01, tr(lang, "목표", "target"), fontsize=9,
                    ha="right", va="top", transform=acc_ax.get_yaxis_transform())
        acc_ax.set_ylim(0.0, 1.0)
        curves, accs, marks = {}, {}, {}
        for b in BATCHES:
            if b == 1:  # one dot per single-example loss: a line would be a solid band
                style = {"ls": "none", "marker": ".", "ms": 2.0, "alpha": 0.35}
            else:
                style = {"lw": 1.4, "alpha": 0.95, "marker": "o" if b == N_TRAIN else None,
                         "ms": 3}
            (curves[b],) = loss_ax.plot([], [], color=COLORS[b], label=names[b], **style)
            (accs[b],) = acc_ax.plot([], [], color=COLORS[b], lw=1.6, label=names[b])
            (marks[b],) = acc_ax.plot([], [], "o", color=COLORS[b], ms=8, mfc="none", mew=2)
        legend = loss_ax.legend(loc="upper right", fontsize=8, markerscale=3)
        legend.legend_handles[0].set_alpha(1.0)
        for ax in (loss_ax, acc_ax):
            ax.set_xlabel(tr(lang, "에포크 (본 예제 수 ÷ 1000)", "epochs (examples seen ÷ 1000)"))
            ax.grid(alpha=0.3)

        bar_ax.set_title(tr(lang, "에포크당 업데이트 수 = ceil(n/B)",
                            "Updates per epoch = ceil(n/B)"))
        ypos = np.arange(len(BATCHES))[::-1]
        counts = [math.ceil(N_TRAIN / b) for b in BATCHES]
        bar_ax.barh(ypos, counts, color=[COLORS[b] for b in BATCHES], height=0.35)
        bar_ax.set_xscale("log")
        bar_ax.set_xlim(0.5, 1e4)
        bar_ax.xaxis.set_major_formatter(plain_ticks())
        bar_ax.set_yticks(ypos, [names[b] for b in BATCHES], fontsize=9)
        bar_ax.set_ylim(-0.9, len(BATCHES) - 0.6)
        notes = {}
        for y_, b, c in zip(ypos, BATCHES, counts, strict=True):
            bar_ax.text(c * 1.2, y_, str(c), va="center", fontsize=10)
            notes[b] = bar_ax.text(0.6, y_ - 0.22, "", va="top", fontsize=8)

        def note(frame: Frame, b: int) -> str:
            reached = frame["reached"][b]
            if reached is None:
                return tr(lang, f"목표 미달 (업데이트 {frame['updates'][b]}회)",
                          f"target not reached ({frame['updates'][b]} updates)")
            ep, upd, sec = reached
            # two lines: one would run past the panel's right edge
            return tr(lang, f"목표 도달: {ep:.2g} 에포크,\n업데이트 {upd}회, {sec:.2f}초",
                      f"target: {ep:.2g} epochs,\n{upd} updates, {sec:.2f} s")

        # start with room for a default-length run (8 epochs); single-example losses spread up
        # to ~5.4 as the net grows confident
        epochs = (self.steps - 1) * EXAMPLES_PER_FRAME / N_TRAIN
        fit_x = [PresetLimits(ax, "x", (0.0, epochs), jump=2.0) for ax in (loss_ax, acc_ax)]
        fit_loss = PresetLimits(loss_ax, "y", (0.0, 5.5), jump=1.3)
        changed: list[Artist] = [*curves.values(), *accs.values(), *marks.values(),
                                 *notes.values()]
        shown_reached = dict.fromkeys(BATCHES, False)

        def update(frame: Frame) -> list[Artist] | None:
            for b in BATCHES:
                curves[b].set_data(frame["batch_loss_at"][b], frame["batch_loss"][b])
                accs[b].set_data(frame["val_at"][b], frame["val_acc"][b])
                reached = frame["reached"][b]
                marks[b].set_data(([reached[0]], [values["target"]]) if reached else ([], []))
                notes[b].set_text(note(frame, b))
            for limits in fit_x:
                limits(0.0, max(1.0, frame["t"]))
            every = np.concatenate([v for v in frame["batch_loss"].values() if len(v)] or [[1.0]])
            every = every[np.isfinite(every)]
            top = float(np.percentile(every, 99.5)) if len(every) else 3.0
            fit_loss(0.0, max(2.6, top * 1.05))
            reached = {b: frame["reached"][b] is not None for b in BATCHES}
            if reached != shown_reached:  # a note grows longer: lay the figure out again
                shown_reached.update(reached)
                return None
            return changed

        return update
