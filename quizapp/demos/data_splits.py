"""Train / validation / test: the score used to *select* a model is optimistically biased.

Digits 4 vs 9 from the shipped MNIST subset are split into a training set, a selection set
(the validation set) and a test set that is never looked at while choosing. Each step adds one
candidate: random ReLU features of random width (10 to max_width) fed to the trainer's
``Ridge`` with a random alpha, trained on the training set (targets -1 / +1, prediction =
sign). The chosen model is the one with the best selection-set accuracy; its accuracy on the
untouched test set is lower on average, because picking the maximum of many noisy scores also
picks up luck.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._regularization import MUTED, WITH, WITHOUT
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import FitLimits, grow_limit
from quizapp.trainer import Ridge, load_mnist_5k

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

PIXELS = 784
MIN_WIDTH = 10


@cache
def fours_and_nines() -> tuple[np.ndarray, np.ndarray]:
    """The 1,000 images of 4 and 9 (float64 pixels) with targets -1 (four) and +1 (nine)."""
    X, y = load_mnist_5k(flatten=True, dtype=np.float64)
    keep = (y == 4) | (y == 9)
    X, t = X[keep], np.where(y[keep] == 9, 1.0, -1.0)
    X.flags.writeable = False
    t.flags.writeable = False
    return X, t


class DataSplits(Demo):
    id = "data-splits"
    title = Text("훈련/검증/테스트: 테스트 세트를 건드리면 안 되는 이유",
                 "Train / validation / test: why the test set stays untouched")
    notice = Text(
        "후보 모델(무작위 특성 + Ridge, 폭·알파 무작위)을 하나씩 더하며 검증(선택) 세트 점수가 "
        "가장 높은 모델을 고릅니다. 후보 하나하나는 평균적으로 두 세트에서 점수가 같지만"
        "(점들이 y = x 주위에 퍼짐), 고른 모델의 검증 점수는 실력에 운이 더해진 최댓값입니다: "
        "여기서는 후보가 늘면서 고른 모델의 검증 정확도가 0.90에서 0.96까지 오르는 동안(후보 "
        "10, 21, 28번째에서) 테스트 정확도는 0.875~0.895에 머물러, 마지막에는 0.085만큼 "
        "부풀어 있고 테스트 점수가 더 높은 후보도 10개나 됩니다. 테스트 세트로 모델을 고르거나 "
        "튜닝하면 그 세트도 같은 이유로 부풀므로, 최종 평가에만 한 번 써야 합니다. 선택 세트 "
        "크기를 키우면 격차가 줄어듭니다.",
        "Candidate models (random features + Ridge, random width and alpha) are added one by "
        "one, and the one with the best validation (selection) score is chosen. A single "
        "candidate scores about the same on both sets (the cloud lies around y = x), but the "
        "chosen one's validation score is a maximum of skill plus luck: here, as candidates "
        "are added, its validation accuracy climbs from 0.90 to 0.96 (at candidates 10, 21 "
        "and 28) while its test accuracy stays between 0.875 and 0.895, so in the end it "
        "overstates by 0.085, and 10 other candidates do better on the test set. Choosing or "
        "tuning on the test set would inflate that score the same way, so use it once, for "
        "the final estimate. A larger selection set shrinks the gap.",
    )
    params = (
        Param("n_select", Text("검증(선택) 세트 크기", "Validation (selection) set size"), "int",
              50, low=20, high=400),
        Param("n_train", Text("훈련 세트 크기", "Training set size"), "int", 100,
              low=30, high=400),
        Param("max_width", Text("최대 특성 수", "Max random features"), "int", 200,
              low=MIN_WIDTH, high=400),
        Param("seed", Text("시드", "Seed"), "int", 2, low=0, high=99),
    )
    unit = Text("시도한 후보", "candidates tried")
    steps = 60  # candidates: the choice changes at 10, 21 and 28, then holds

    def frames(self, values: Values) -> Iterator[Frame]:
        X, t = fours_and_nines()
        rng = np.random.default_rng(values["seed"])
        order = rng.permutation(len(X))
        n_train, n_select = values["n_train"], values["n_select"]
        train, select, test = np.split(order, [n_train, n_train + n_select])
        scores = Trace(256, 2)  # (selection accuracy, test accuracy) per candidate
        chosen = Trace(256, 3)  # after each candidate: (index, its selection acc, its test acc)
        while True:
            width = int(rng.integers(MIN_WIDTH, values["max_width"] + 1))
            alpha = float(10.0 ** rng.uniform(-2.0, 2.0))
            proj = rng.normal(0.0, 1.0 / np.sqrt(PIXELS), size=(PIXELS, width))
            shift = rng.normal(0.0, 1.0, size=width)
            features = np.maximum(X @ proj + shift, 0.0)
            model = Ridge(alpha).fit(features[train], t[train])
            correct = np.sign(model.predict(features)) == t
            scores.append(float(correct[select].mean()), float(correct[test].mean()))
            history = scores.view()
            best = int(np.argmax(history[:, 0]))  # first of the ties, as argmax does
            chosen.append(best, *history[best])
            yield {
                "t": len(history),
                "count": len(history),
                "scores": history,
                "chosen": chosen.view(),
                "best": best,
                "sizes": (len(train), len(select), len(test)),
                "diverged": False,
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.patches import Polygon

        scatter_ax, curve_ax = figure.subplots(1, 2)
        scatter_ax.set_title(tr(lang, "후보마다: 검증 점수 vs 테스트 점수",
                                "Each candidate: validation vs test accuracy"))
        scatter_ax.set_xlabel(tr(lang, "검증(선택) 세트 정확도", "validation (selection) accuracy"))
        scatter_ax.set_ylabel(tr(lang, "테스트 세트 정확도 (선택에 안 씀)",
                                 "test accuracy (never used to choose)"))
        scatter_ax.grid(alpha=0.3)
        scatter_ax.plot([0, 1], [0, 1], color="black", lw=0.8, ls=":",
                        label=tr(lang, "y = x (편향 없음)", "y = x (no bias)"))
        (cloud,) = scatter_ax.plot([], [], "o", color=MUTED, ms=4, alpha=0.5,
                                   label=tr(lang, "후보 모델", "candidates"))
        (star,) = scatter_ax.plot([], [], "*", color=WITHOUT, ms=16, mec="black",
                                  label=tr(lang, "선택된 모델 (검증 최고)",
                                           "chosen (best on validation)"))
        (drop,) = scatter_ax.plot([], [], color=WITHOUT, lw=1.5)
        scatter_ax.legend(loc="upper left", fontsize=8)

        curve_ax.set_title(tr(lang, "선택된 모델의 점수 vs 시도한 후보 수",
                              "Chosen model's score vs candidates tried"))
        curve_ax.set_xlabel(tr(lang, "시도한 후보 수", "candidates tried"))
        curve_ax.set_ylabel(tr(lang, "정확도", "accuracy"))
        curve_ax.grid(alpha=0.3)
        (sel_line,) = curve_ax.plot([], [], color=WITHOUT, lw=2.0,
                                    label=tr(lang, "검증 점수 (선택에 사용)",
                                             "validation score (used to choose)"))
        (test_line,) = curve_ax.plot([], [], color=WITH, lw=2.0,
                                     label=tr(lang, "테스트 점수 (새 데이터)",
                                              "test score (fresh data)"))
        curve_legend = curve_ax.legend(loc="lower right", fontsize=8)
        info = curve_ax.text(0.02, 0.03, "", transform=curve_ax.transAxes, ha="left",
                             va="bottom",
                             fontsize=9,
                             bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "#ccc"})
        gap_patch = Polygon(np.zeros((2, 2)), closed=True, facecolor=WITHOUT, alpha=0.12, lw=0)
        curve_ax.add_patch(gap_patch)

        scatter_x, scatter_y = FitLimits(scatter_ax, "x", 0.15), FitLimits(scatter_ax, "y", 0.15)
        curve_ax.set_xlim(0, self.steps)  # the whole run; grows in jumps past it
        curve_y = FitLimits(curve_ax, "y", 0.15)
        # the legend overlaps the info box and is drawn over it, so it is redrawn after it
        changed = [cloud, star, drop, gap_patch, sel_line, test_line, info, curve_legend]

        def update(frame: Frame) -> list[Artist]:
            scores, chosen = frame["scores"], frame["chosen"]
            cloud.set_data(scores[:, 0], scores[:, 1])
            best = scores[frame["best"]]
            star.set_data([best[0]], [best[1]])
            drop.set_data([best[0], best[0]], [best[0], best[1]])
            low = float(min(scores.min(), 0.9)) - 0.03
            scatter_x.show(low, 1.005)
            scatter_y.show(low, 1.005)
            n = np.arange(1, len(chosen) + 1)
            sel_line.set_data(n, chosen[:, 1])
            test_line.set_data(n, chosen[:, 2])
            gap_patch.set_xy(np.concatenate([np.column_stack([n, chosen[:, 1]]),
                                             np.column_stack([n, chosen[:, 2]])[::-1]]))
            grow_limit(curve_ax, len(n))
            curve_y.show(float(chosen[:, 1:].min()) - 0.08, 1.005)
            n_train, n_select, n_test = frame["sizes"]
            info.set_text(
                tr(lang, f"훈련 {n_train} · 검증 {n_select} · 테스트 {n_test}\n",
                   f"train {n_train} · validation {n_select} · test {n_test}\n")
                + tr(lang, "선택된 모델: 검증 ", "chosen model: validation ")
                + f"{best[0]:.3f}, " + tr(lang, "테스트 ", "test ") + f"{best[1]:.3f}\n"
                + tr(lang, "낙관 편향 = ", "optimism = ") + f"{best[0] - best[1]:+.3f}")
            return changed

        return update
