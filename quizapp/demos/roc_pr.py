"""ROC and precision-recall curves of one scored classifier as the positives get rarer.

Two Gaussian classes in 2-D (means ``separation`` standard deviations apart) train the trainer's
``LogisticRegression`` on a balanced set; its predicted probability scores a test pool of
N_NEG negatives and N_NEG positives. Frame by frame the positive rate of the evaluated set falls
from 50 % to ``positive_rate``: every negative is kept and a shrinking, nested subset of the
positives. The scores themselves never change (same model, same negatives), so what moves is
only what depends on the class ratio: precision, and with it the PR curve and average precision.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._classical import NEGATIVE, POSITIVE, info_text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import GREY, PURPLE
from quizapp.trainer import (
    LogisticRegression,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

N_TRAIN = 200  # per class
N_NEG = 10_000  # negatives in the evaluated set (and the size of the positive pool)
RATE_FRAMES = 40
MIN_RATE, MAX_RATE = 0.005, 0.5
BINS = np.linspace(0.0, 1.0, 41)


def gaussian_classes(n: int, label: int, separation: float, gen: np.random.Generator
                     ) -> np.ndarray:
    """n points of one class: N(±separation/2 · (1, 1)/√2, I) in 2-D."""
    sign = 1.0 if label else -1.0
    points: np.ndarray = gen.normal(0.0, 1.0, (n, 2)) + sign * separation / 2.0 / np.sqrt(2.0)
    return points


def at_threshold(y: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, float]:
    """Confusion counts and rates when predicting positive for score >= threshold."""
    predicted = score >= threshold
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    tn = float(np.sum(~predicted & (y == 0)))
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "recall": tp / (tp + fn),
            "fpr": fp / (fp + tn),
            "precision": tp / (tp + fp) if tp + fp > 0 else float("nan"),
            "f1": 2 * tp / (2 * tp + fp + fn), "accuracy": (tp + tn) / len(y)}


class RocPr(Demo):
    id = "roc-pr"
    title = Text("ROC vs PR 곡선: 양성이 드물어질 때",
                 "ROC vs precision-recall as positives get rarer")
    notice = Text(
        "균형 데이터로 학습한 같은 로지스틱 회귀의 점수로, 음성은 모두 두고 양성만 줄여 가며 "
        "평가합니다. TPR과 FPR은 각각 한 클래스 안에서 계산되어 클래스 비율이 상쇄되므로 "
        "ROC 곡선과 ROC-AUC는 거의 그대로입니다. 반면 정밀도는 임계값 위에 있는 음성과 양성의 "
        "수를 비교하므로, 음성이 압도적으로 많아지면 같은 FPR에서도 FP가 TP를 압도해 PR 곡선이 "
        "내려앉고 평균 정밀도(AP, PR-AUC)는 기준선인 양성 비율 쪽으로 떨어집니다. 임계값을 "
        "올리면 두 곡선 위의 점이 왼쪽으로 움직여 재현율은 줄고 정밀도는 오릅니다.",
        "The same logistic regression, trained on balanced data, scores a test set whose "
        "positives get rarer frame by frame (all negatives kept, positives subsampled). TPR and "
        "FPR are each computed within one class, so the class ratio cancels: the ROC curve and "
        "ROC-AUC barely move. Precision compares the negatives and positives above the "
        "threshold, so once negatives vastly outnumber positives the same FPR brings far more "
        "false than true positives: the PR curve sinks and average precision (PR-AUC) falls "
        "towards its random baseline, the positive rate. Raising the threshold moves the point "
        "left on both curves: recall falls and precision rises.",
    )
    params = (
        Param("positive_rate", Text("양성 비율 (마지막 프레임)", "Positive rate (last frame)"),
              "float", 0.02, low=MIN_RATE, high=MAX_RATE, log=True),
        Param("separation", Text("클래스 간 거리 (표준편차 단위)",
                                 "Class separation (in std)"), "float", 2.0, low=0.5,
              high=4.0),
        Param("threshold", Text("결정 임계값 (확률)", "Decision threshold (probability)"),
              "float", 0.5, low=0.01, high=0.99),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    #: a frame is one positive rate of the sweep (the x-axes show rates and scores, not progress)
    unit = Text("양성 비율 단계", "positive-rate step")
    steps = RATE_FRAMES  # the whole sweep, from 50 % positives down to positive_rate

    def frames(self, values: Values) -> Iterator[Frame]:
        gen = np.random.default_rng(values["seed"])
        separation, threshold = values["separation"], values["threshold"]
        X_train = np.vstack([gaussian_classes(N_TRAIN, label, separation, gen)
                             for label in (0, 1)])
        y_train = np.repeat([0, 1], N_TRAIN)
        model = LogisticRegression(lr=0.5, max_iter=300).fit(X_train, y_train)
        neg_score = model.predict_proba(gaussian_classes(N_NEG, 0, separation, gen))[:, 1]
        pos_score = model.predict_proba(gaussian_classes(N_NEG, 1, separation, gen))[:, 1]
        neg_hist = np.histogram(neg_score, BINS)[0]
        history = Trace(RATE_FRAMES, 3)  # positive rate, ROC-AUC, AP
        rates = np.geomspace(MAX_RATE, values["positive_rate"], RATE_FRAMES)
        for count, rate in enumerate(rates, start=1):
            n_pos = max(1, round(rate / (1.0 - rate) * N_NEG))
            y = np.r_[np.zeros(N_NEG, dtype=np.int64), np.ones(n_pos, dtype=np.int64)]
            score = np.r_[neg_score, pos_score[:n_pos]]
            fpr, tpr, _ = roc_curve(y, score)
            precision, recall, _ = precision_recall_curve(y, score)
            auc, ap = roc_auc_score(y, score), average_precision_score(y, score)
            actual_rate = n_pos / len(y)
            history.append(actual_rate, auc, ap)
            yield {
                "t": count,
                "rate": actual_rate,
                "n_pos": n_pos,
                "roc": (fpr, tpr),
                "pr": (recall, precision),
                "auc": auc,
                "ap": ap,
                "history": history.view(),
                "hist": (neg_hist, np.histogram(pos_score[:n_pos], BINS)[0]),
                "at": at_threshold(y, score, threshold),
                "diverged": False,
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.ticker import NullFormatter

        outer = figure.add_gridspec(2, 1, height_ratios=(1.2, 1))
        top = outer[0].subgridspec(1, 3)
        bottom = outer[1].subgridspec(1, 3, width_ratios=(0.8, 0.85, 1.9))
        hist_ax, roc_ax, pr_ax = (figure.add_subplot(top[0, i]) for i in range(3))
        conf_ax, text_ax, rate_ax = (figure.add_subplot(bottom[0, i]) for i in range(3))
        threshold = values["threshold"]
        pos_label, neg_label = tr(lang, "양성", "positive"), tr(lang, "음성", "negative")

        hist_ax.set_title(tr(lang, "점수 분포 (개수, 로그)", "Scores (counts, log scale)"),
                          fontsize=10)
        hist_ax.set_xlabel(tr(lang, "예측 확률 P(양성)", "predicted P(positive)"), fontsize=9)
        hist_ax.set_yscale("log")
        hist_ax.set_xlim(0, 1)
        hist_ax.set_ylim(0.7, 2.0 * N_NEG)
        # zero bins sit on the baseline (0.5, below the axis), so they draw nothing
        neg_bars = hist_ax.stairs(np.full(len(BINS) - 1, 0.5), BINS, baseline=0.5, fill=True,
                                  color=NEGATIVE, alpha=0.45, label=neg_label)
        pos_bars = hist_ax.stairs(np.full(len(BINS) - 1, 0.5), BINS, baseline=0.5, fill=True,
                                  color=POSITIVE, alpha=0.55, label=pos_label)
        hist_ax.axvline(threshold, color="black", lw=1.2, ls="--")
        hist_ax.legend(loc="upper right", fontsize=8)
        hist_ax.tick_params(labelsize=8)

        roc_ax.plot([0, 1], [0, 1], color=GREY, lw=0.8, ls=":")
        (roc_line,) = roc_ax.plot([], [], color=PURPLE, lw=2.0)
        (roc_dot,) = roc_ax.plot([], [], "o", color="black", ms=7)
        roc_title = roc_ax.set_title("", fontsize=10)
        roc_ax.set_xlabel(tr(lang, "FPR (위양성률)", "FPR (false positive rate)"), fontsize=9)
        roc_ax.set_ylabel(tr(lang, "TPR (재현율)", "TPR (recall)"), fontsize=9)
        (pr_line,) = pr_ax.plot([], [], color=PURPLE, lw=2.0, drawstyle="steps-post")
        baseline = pr_ax.axhline(0.5, color=GREY, lw=1.0, ls=":",
                                 label=tr(lang, "무작위 기준선 = 양성 비율",
                                          "random baseline = positive rate"))
        (pr_dot,) = pr_ax.plot([], [], "o", color="black", ms=7)
        pr_title = pr_ax.set_title("", fontsize=10)
        pr_ax.set_xlabel(tr(lang, "재현율 (recall)", "recall"), fontsize=9)
        pr_ax.set_ylabel(tr(lang, "정밀도 (precision)", "precision"), fontsize=9)
        pr_legend = pr_ax.legend(loc="lower left", fontsize=7.5)
        for ax in (roc_ax, pr_ax):
            ax.set_xlim(-0.02, 1.02)
            ax.set_ylim(-0.02, 1.02)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=8)

        matrix = conf_ax.imshow(np.zeros((2, 2)), cmap="Blues", vmin=0.0, vmax=1.4)
        cells = [[conf_ax.text(j, i, "", ha="center", va="center", fontsize=9) for j in range(2)]
                 for i in range(2)]
        conf_ax.set_xticks([0, 1], [tr(lang, "예측 음성", "pred. neg."),
                                    tr(lang, "예측 양성", "pred. pos.")], fontsize=8)
        conf_ax.set_yticks([0, 1], [tr(lang, "실제 음성", "true neg."),
                                    tr(lang, "실제 양성", "true pos.")], fontsize=8)
        conf_ax.set_title(tr(lang, f"임계값 {threshold:g}에서의 혼동 행렬",
                             f"Confusion matrix at threshold {threshold:g}"), fontsize=10)
        text_ax.axis("off")
        metrics = info_text(text_ax, 0.0, 0.5, va="center", fontsize=8.5)

        rate_ax.set_xscale("log")
        last_rate = min(values["positive_rate"], 0.2)
        rate_ax.set_xlim(MAX_RATE * 1.15, last_rate * 0.85)  # rarer positives to the right
        rate_ax.set_ylim(0, 1.03)
        rates = np.geomspace(last_rate * 0.85, MAX_RATE * 1.15, 50)
        rate_ax.plot(rates, rates, color=GREY, lw=1.0, ls=":",
                     label=tr(lang, "AP 기준선 = 양성 비율", "AP baseline = positive rate"))
        (auc_line,) = rate_ax.plot([], [], "o-", color=NEGATIVE, lw=2.0, ms=3,
                                   label="ROC-AUC")
        (ap_line,) = rate_ax.plot([], [], "o-", color=POSITIVE, lw=2.0, ms=3,
                                  label=tr(lang, "AP (PR-AUC)", "AP (PR-AUC)"))
        rate_ax.set_xlabel(tr(lang, "양성 비율 (로그, 오른쪽일수록 드묾)",
                              "positive rate (log; rarer to the right)"), fontsize=9)
        rate_ax.set_title(tr(lang, "같은 모델, 같은 음성: 양성 비율만 바뀜",
                             "Same model, same negatives: only the positive rate changes"),
                          fontsize=10)
        rate_ax.grid(alpha=0.3, which="both")
        rate_ax.tick_params(labelsize=8)
        ticks = [r for r in (0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005) if r >= last_rate * 0.85]
        rate_ax.set_xticks(ticks, [f"{r:.1%}" if r < 0.01 else f"{r:.0%}" for r in ticks])
        rate_ax.xaxis.set_minor_formatter(NullFormatter())
        rate_legend = rate_ax.legend(loc="lower left", fontsize=8)

        changed = draw_order([neg_bars, pos_bars, roc_line, roc_dot, roc_title, pr_line,
                              baseline, pr_dot, pr_title, pr_legend, matrix,
                              *(c for row in cells for c in row), metrics, auc_line, ap_line,
                              rate_legend])

        def update(frame: Frame) -> list[Artist]:
            neg_hist, pos_hist = frame["hist"]
            neg_bars.set_data(np.maximum(neg_hist, 0.5))
            pos_bars.set_data(np.maximum(pos_hist, 0.5))
            roc_line.set_data(*frame["roc"])
            pr_line.set_data(*frame["pr"])
            at = frame["at"]
            roc_dot.set_data([at["fpr"]], [at["recall"]])
            pr_dot.set_data([at["recall"]], [at["precision"]])  # NaN (hidden) without positives
            roc_title.set_text(f"ROC — AUC = {frame['auc']:.3f}")
            pr_title.set_text(f"PR — AP = {frame['ap']:.3f}")
            baseline.set_ydata([frame["rate"], frame["rate"]])
            counts = np.array([[at["tn"], at["fp"]], [at["fn"], at["tp"]]])
            # shade each cell by its share of its row (TN/N, FP/N; FN/P, TP/P)
            shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
            matrix.set_data(shares)
            for i in range(2):
                for j in range(2):
                    cells[i][j].set_text(f"{['TN', 'FP', 'FN', 'TP'][2 * i + j]}\n"
                                         f"{counts[i, j]:.0f}")
                    cells[i][j].set_color("white" if shares[i, j] > 0.7 else "black")
            precision = at["precision"]
            shown = f"{precision:.3f}" if np.isfinite(precision) else "—"
            metrics.set_text(
                tr(lang, f"양성 비율 {frame['rate']:.1%}\n({frame['n_pos']}개 / 음성 {N_NEG})\n\n",
                   f"positive rate {frame['rate']:.1%}\n({frame['n_pos']} vs {N_NEG} neg.)\n\n")
                + tr(lang, "정밀도", "precision") + f" = TP/(TP+FP) = {shown}\n"
                + tr(lang, "재현율", "recall") + f" = TP/(TP+FN) = {at['recall']:.3f}\n"
                + f"FPR = FP/(FP+TN) = {at['fpr']:.3f}\n"
                + f"F1 = 2TP/(2TP+FP+FN) = {at['f1']:.3f}\n"
                + tr(lang, "정확도", "accuracy") + f" = {at['accuracy']:.3f} "
                + tr(lang, f"(전부 음성: {1 - frame['rate']:.3f})",
                     f"(all negative: {1 - frame['rate']:.3f})"))
            history = frame["history"]
            auc_line.set_data(history[:, 0], history[:, 1])
            ap_line.set_data(history[:, 0], history[:, 2])
            return changed

        return update
