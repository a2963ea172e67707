"""Softmax and cross-entropy: logits → probabilities → loss → gradient p − q, vs sigmoid + MSE.

One example of 4 classes (the true class is 0). Two copies of the same starting logits z
(a trainer ``Parameter``) are trained with ``SGD``: one with ``CrossEntropyLoss`` (with label
smoothing) on s = z/T, the other with independent sigmoids and ``MSELoss`` (sum) against the
same target distribution q. The gradient with respect to s comes from the trainer's
``backward``; the temperature adds the chain-rule factor 1/T for z.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import BLUE, CRIMSON, ORANGE, grow_limit
from quizapp.trainer import SGD, CrossEntropyLoss, MSELoss, Parameter, Sigmoid, softmax

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

K = 4  # classes
TRUE = 0  # the true class
TARGET = np.array([TRUE])


def target_distribution(eps: float) -> np.ndarray:
    """q = (1 − ε)·onehot(y) + ε/K, PyTorch's label smoothing."""
    q = np.full(K, eps / K)
    q[TRUE] += 1.0 - eps
    return q


class SoftmaxCrossEntropy(Demo):
    id = "softmax-cross-entropy"
    title = Text("소프트맥스와 교차 엔트로피 (vs 시그모이드 + MSE)",
                 "Softmax and cross-entropy (vs sigmoid + MSE)")
    notice = Text(
        "소프트맥스 교차 엔트로피의 로짓 기울기는 정확히 p − q입니다(q는 원-핫, 라벨 스무딩 ε이면 "
        "(1−ε)·원-핫 + ε/K). 그래서 확신에 찬 오답일수록 정답 로짓의 기울기가 −1에 가까워 빠르게 "
        "고쳐집니다: 기본값에서 정답 확률은 0.0001 미만, 기울기는 약 −1로 시작해 14 스텝 안에 "
        "0.9를 넘습니다. 시그모이드 + MSE는 기울기에 σ′ = σ(1−σ)가 곱해져, 0 근처로 포화된 "
        "출력의 기울기가 −0.005뿐이고 100 스텝 뒤에도 정답 확률이 0.005에 머뭅니다. 온도 T로 "
        "나누면 T>1은 분포를 평평하게, T<1은 뾰족하게 만들고 z에 대한 기울기는 (p − q)/T입니다.",
        "The logit gradient of softmax cross-entropy is exactly p − q (q the one-hot target, or "
        "(1−ε)·one-hot + ε/K with label smoothing ε). So the more confidently wrong the "
        "model, the closer the true logit's gradient is to −1, and the mistake is fixed fast: "
        "with the defaults the true class starts below 0.0001 with a gradient of about −1 and "
        "passes 0.9 within 14 steps. With sigmoid + MSE the gradient carries a factor "
        "σ′ = σ(1−σ): the output saturated near 0 gets a gradient of only −0.005, and after "
        "100 steps the true class is still at 0.005. Dividing by a temperature T > 1 flattens "
        "the distribution, T < 1 sharpens it; the gradient with respect to z is (p − q)/T.",
    )
    params = (
        Param("z_true", Text("정답(클래스 0) 로짓 시작값", "Start logit of the true class 0"),
              "float", -6.0, low=-10.0, high=10.0),
        Param("z_wrong", Text("오답(클래스 1) 로짓 시작값", "Start logit of wrong class 1"),
              "float", 4.0, low=-10.0, high=10.0),
        Param("temperature", Text("온도 T", "Temperature T"), "float", 1.0, low=0.2, high=5.0,
              log=True),
        Param("label_smoothing", Text("라벨 스무딩 ε", "Label smoothing ε"), "float", 0.0,
              low=0.0, high=0.5),
        Param("lr", Text("학습률 (SGD)", "Learning rate (SGD)"), "float", 1.0, low=0.01,
              high=10.0, log=True),
    )
    unit = Text("스텝", "step")
    steps = 101  # steps 0 .. 100: cross-entropy has long fixed the mistake, MSE still stuck

    def frames(self, values: Values) -> Iterator[Frame]:
        temp = float(values["temperature"])
        eps = float(values["label_smoothing"])
        q = target_distribution(eps)
        start = np.zeros((1, K))
        start[0, TRUE], start[0, 1] = values["z_true"], values["z_wrong"]
        z_ce = Parameter(start, dtype=np.float64)
        z_mse = Parameter(start, dtype=np.float64)
        opt_ce = SGD([z_ce], lr=values["lr"])
        opt_mse = SGD([z_mse], lr=values["lr"])
        ce = CrossEntropyLoss(label_smoothing=eps)
        mse = MSELoss(reduction="sum")
        sigmoid = Sigmoid()
        p_true = {"ce": Trace(256), "mse": Trace(256)}
        step = 0
        while True:
            # forward and backward with the current logits (the frame shows them) ...
            s_ce = z_ce.data / temp
            loss_ce = ce(s_ce, TARGET)
            grad_s_ce = ce.backward().copy()  # = p − q
            p = softmax(s_ce)[0]
            s_mse = z_mse.data / temp
            a = sigmoid(s_mse)
            loss_mse = mse(a, q[None, :])
            grad_s_mse = sigmoid.backward(mse.backward())  # = 2 (σ − q) σ (1 − σ)
            p_true["ce"].append(p[TRUE])
            p_true["mse"].append(a[0, TRUE])
            yield {
                "t": step,
                "step": step,
                "logits": z_ce.data[0].copy(),
                "p": p,
                "q": q,
                "loss_ce": loss_ce,
                "grad_s_ce": grad_s_ce[0],
                "grad_z_ce": grad_s_ce[0] / temp,
                "sigma": a[0],
                "loss_mse": loss_mse,
                "grad_s_mse": grad_s_mse[0],
                "grad_z_mse": grad_s_mse[0] / temp,
                "p_true": {k: tr.view() for k, tr in p_true.items()},
                "diverged": not finite(z_ce.data, z_mse.data, loss_ce, loss_mse),
            }
            # ... then one SGD step on each copy (chain rule through s = z / T)
            step += 1
            for z, grad_s, opt in ((z_ce, grad_s_ce, opt_ce), (z_mse, grad_s_mse, opt_mse)):
                opt.zero_grad()
                z.grad += grad_s / temp
                opt.step()

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib import rcParams

        eps = float(values["label_smoothing"])
        q = target_distribution(eps)
        bar_ax, curve_ax, sat_ax = figure.subplots(1, 3, width_ratios=(1.2, 1, 1))

        # -- probabilities, target and gradient per class --------------------------------
        classes = np.arange(K)
        p_bars = bar_ax.bar(classes - 0.2, np.zeros(K), width=0.38, color=BLUE,
                            label=tr(lang, "p = softmax(z/T)", "p = softmax(z/T)"))
        g_bars = bar_ax.bar(classes + 0.2, np.zeros(K), width=0.38, color=CRIMSON,
                            label=tr(lang, "기울기 p − q", "gradient p − q"))
        targets = bar_ax.scatter(classes - 0.2, q, marker="_", s=500, color="black",
                                 linewidths=2, zorder=3, label=tr(lang, "목표 q", "target q"))
        baseline = bar_ax.axhline(0, color="black", linewidth=0.6)
        bar_ax.set_ylim(-1.1, 1.25)
        bar_ax.set_xticks(classes, [tr(lang, "0 (정답)", "0 (true)"), "1", "2", "3"])
        bar_ax.set_xlabel(tr(lang, "클래스", "class"))
        bar_title = bar_ax.set_title("", fontsize=10)
        bar_ax.legend(loc="upper right", fontsize=8)
        # the y grid, drawn as lines of its own: it lies on top of the bars, so it is redrawn
        # after them every frame (redrawing the whole y axis with its labels costs far more)
        bar_ax.set_yticks(np.arange(-1.0, 1.01, 0.5))
        grid = [bar_ax.axhline(y, color=rcParams["grid.color"], alpha=0.3, zorder=1.5,
                               linewidth=rcParams["grid.linewidth"],
                               linestyle=rcParams["grid.linestyle"])
                for y in bar_ax.get_yticks()]
        bar_labels = [bar_ax.text(c - 0.2, 0, "", ha="center", va="bottom", fontsize=7.5)
                      for c in classes]

        # -- probability of the true class over training ---------------------------------
        (ce_curve,) = curve_ax.plot([], [], color=BLUE, linewidth=1.8,
                                    label=tr(lang, "소프트맥스 + CE", "softmax + CE"))
        (mse_curve,) = curve_ax.plot([], [], color=ORANGE, linewidth=1.8,
                                     label=tr(lang, "시그모이드 + MSE", "sigmoid + MSE"))
        curve_ax.set_ylim(-0.02, 1.02)
        curve_ax.set_xlim(0, self.steps - 1)  # the whole run; grows in jumps past it
        curve_ax.set_xlabel(tr(lang, "스텝 (SGD)", "step (SGD)"))
        curve_ax.set_title(tr(lang, "정답 클래스의 예측 확률", "Predicted prob. of the true class"),
                           fontsize=10)
        curve_ax.legend(loc="center right", fontsize=8)
        curve_ax.grid(alpha=0.3)

        # -- saturation: |gradient of the true logit| against its predicted probability --
        xs = np.linspace(1e-4, 1 - 1e-4, 400)
        temp = float(values["temperature"])
        qt = q[TRUE]
        sat_ax.plot(xs, np.abs(xs - qt) / temp, color=BLUE, linewidth=1.6,
                    label="CE: |p − q|" + (f" / {temp:g}" if temp != 1 else ""))
        sat_ax.plot(xs, 2 * np.abs(xs - qt) * xs * (1 - xs) / temp, color=ORANGE, linewidth=1.6,
                    label="MSE: 2|σ − q|·σ(1−σ)" + (f" / {temp:g}" if temp != 1 else ""))
        (ce_dot,) = sat_ax.plot([], [], "o", color=BLUE, markersize=9, markeredgecolor="black")
        (mse_dot,) = sat_ax.plot([], [], "o", color=ORANGE, markersize=9,
                                 markeredgecolor="black")
        sat_ax.set_yscale("log")
        sat_ax.set_ylim(1e-4, 2.0 / min(temp, 1.0))
        sat_ax.set_xlim(0, 1)
        sat_ax.set_xlabel(tr(lang, "정답 클래스의 예측 확률", "predicted prob. of the true class"))
        sat_ax.set_ylabel(tr(lang, "정답 로짓의 |∂L/∂z|",
                             r"$|\partial L/\partial z_{\mathrm{true}}|$"))
        sat_ax.set_title(tr(lang, "포화: 틀렸는데 기울기가 작다",
                            "Saturation: wrong yet tiny gradient"), fontsize=10)
        sat_ax.legend(loc="lower center", fontsize=7.5)
        sat_ax.grid(alpha=0.3, which="both")

        setting = f"T = {temp:g}, ε = {eps:g}"
        # what lies on top of a changing artist is redrawn after it: the grid, zero line and
        # target markers over the bars, spines over curves and dots at the edges, legends
        changing = draw_order([
            *p_bars, *g_bars, *grid, *bar_ax.spines.values(), baseline, targets, *bar_labels,
            bar_title, bar_ax.get_legend(), ce_curve, mse_curve, *curve_ax.spines.values(),
            curve_ax.get_legend(), ce_dot, mse_dot, *sat_ax.spines.values(),
            sat_ax.get_legend()])

        def update(frame: Frame) -> list[Artist]:
            p, grad = frame["p"], frame["grad_s_ce"]
            for i in range(K):
                p_bars[i].set_height(p[i])
                g_bars[i].set_height(grad[i])
                bar_labels[i].set_position((i - 0.2, max(p[i], q[i]) + 0.02))
                bar_labels[i].set_text(f"{p[i]:.2f}")
            bar_title.set_text(tr(
                lang, f"CE 손실 {frame['loss_ce']:.3f}  (스텝 {frame['step']}, {setting})",
                f"CE loss {frame['loss_ce']:.3f}  (step {frame['step']}, {setting})"))
            n = len(frame["p_true"]["ce"])
            ce_curve.set_data(np.arange(n), frame["p_true"]["ce"])
            mse_curve.set_data(np.arange(n), frame["p_true"]["mse"])
            grow_limit(curve_ax, n - 1, "x")  # the last x is the length - 1
            ce_dot.set_data([p[TRUE]], [max(abs(frame["grad_z_ce"][TRUE]), 1e-4)])
            mse_dot.set_data([frame["sigma"][TRUE]],
                             [max(abs(frame["grad_z_mse"][TRUE]), 1e-4)])
            return changing

        return update
