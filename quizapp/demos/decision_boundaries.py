"""Decision boundaries of three classifiers on the same 2-D data: linear, neighbours, boxes.

The trainer's ``LogisticRegression`` takes STEPS_PER_FRAME gradient steps per frame, so its
straight boundary swings into place; ``KNeighborsClassifier(n_neighbors)`` has nothing to
train and is the same in every frame; ``DecisionTreeClassifier`` is refitted one depth level
deeper each frame until ``max_depth`` (a depth-d tree is the first d levels of any deeper one:
CART chooses each split from its node's samples alone). Each panel colours the plane by the
predicted probability of class 1 on a GRID x GRID mesh; accuracies are on the training set and
on a fresh test set of N_TEST points. Below them, logistic regression's accuracies by gradient
step (the demo's progress: t is its step count) and the tree's by depth.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._classical import DATASETS, NEGATIVE, POSITIVE, two_class_data
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Choice, Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import GREEN, PURPLE
from quizapp.trainer import DecisionTreeClassifier, KNeighborsClassifier, LogisticRegression

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

FRAMES = 60
STEPS_PER_FRAME = 5
LR = 1.0
GRID = 160
N_TEST = 500
MODELS = ("logreg", "knn", "tree")


def mesh(X: np.ndarray, pad: float = 0.4) -> tuple[np.ndarray, tuple[float, ...]]:
    """GRID x GRID points covering X with a margin, and their (x0, x1, y0, y1) extent."""
    low, high = X.min(axis=0) - pad, X.max(axis=0) + pad
    xs, ys = np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()]), (low[0], high[0], low[1], high[1])


def accuracy(model: LogisticRegression | KNeighborsClassifier | DecisionTreeClassifier,
             X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(model.predict(X) == y))


class DecisionBoundaries(Demo):
    id = "decision-boundaries"
    title = Text("결정 경계: 로지스틱 회귀 vs k-NN vs 결정 트리",
                 "Decision boundaries: logistic regression vs k-NN vs decision tree")
    notice = Text(
        "로지스틱 회귀의 경계는 경사하강법의 어느 스텝에서나 직선(w·x + b = 0)이라 반달이나 "
        "동심원을 따라가지 못합니다: 정확도는 50스텝 안에 평평해지고(훈련 0.87, 테스트 0.84) "
        "스텝을 더 밟아도 나아지지 않습니다. k=1인 k-NN은 모든 훈련 점을 그대로 외워(훈련 정확도 "
        "1.0) 잡음 점 주변까지 들쭉날쭉한 경계를 만들고, k를 키우면 이웃을 더 많이 평균해 경계가 "
        "매끄러워집니다. 결정 트리는 프레임(5스텝)마다 한 층씩 깊어지며 축에 평행한 상자들로 "
        "평면을 나눕니다. 깊어지면 잡음 점 하나하나에 상자를 씌워 훈련 정확도는 1.0에 닿지만 "
        "테스트 정확도는 뒤처집니다(과적합). 트리 최대 깊이를 줄이는 것이 사전 가지치기입니다.",
        "Logistic regression's boundary is a straight line (w·x + b = 0) at every gradient step, "
        "so it cannot follow the moons or the circles: its accuracy levels off within 50 steps "
        "(training 0.87, test 0.84) and more steps do not help. k-NN with k = 1 memorises every "
        "training point (training accuracy 1.0), drawing a jagged boundary around noisy points; "
        "a larger k averages more neighbours and smooths it. The tree grows one level per frame "
        "(5 steps) and splits the plane into axis-aligned boxes; once deep it carves boxes "
        "around single noisy points, so training accuracy reaches 1.0 while test accuracy lags "
        "behind (overfitting). A smaller maximum depth is pre-pruning.",
    )
    params = (
        Param("dataset", Text("데이터", "Data set"), "choice", "moons", choices=DATASETS),
        Param("noise", Text("잡음", "Noise"), "float", 0.3, low=0.0, high=0.5),
        Param("n_neighbors", Text("k-NN의 k", "k of k-NN"), "int", 1, low=1, high=50),
        Param("max_depth", Text("트리 최대 깊이", "Tree max depth"), "int", 10, low=1, high=15),
        Param("criterion", Text("트리 분할 기준", "Tree split criterion"), "choice", "gini",
              choices=(Choice("gini", Text("지니 불순도", "Gini impurity")),
                       Choice("entropy", Text("엔트로피", "entropy")))),
        Param("n_samples", Text("훈련 샘플 수", "Training samples"), "int", 200, low=40,
              high=400),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")  # logistic regression's gradient steps, STEPS_PER_FRAME a frame
    steps = FRAMES  # 300 steps: logistic regression has long reached its plateau

    def frames(self, values: Values) -> Iterator[Frame]:
        name, noise, seed = values["dataset"], values["noise"], values["seed"]
        X, y = two_class_data(name, values["n_samples"], noise, seed)
        X_test, y_test = two_class_data(name, N_TEST, noise, seed + 1000)
        grid, extent = mesh(X)
        k = min(values["n_neighbors"], len(X))
        knn = KNeighborsClassifier(k).fit(X, y)
        knn_image = knn.predict_proba(grid)[:, 1].reshape(GRID, GRID)
        knn_acc = (accuracy(knn, X, y), accuracy(knn, X_test, y_test))
        logreg = LogisticRegression(lr=LR)
        tree: DecisionTreeClassifier | None = None
        by_depth = Trace(16, 3)  # depth, training accuracy, test accuracy
        by_step = Trace(FRAMES, 3)  # logistic regression: step, training and test accuracy
        for frame in range(1, FRAMES + 1):
            for _ in range(STEPS_PER_FRAME):
                logreg.partial_fit(X, y)
            depth = min(frame, values["max_depth"])
            if tree is None or tree.max_depth != depth:
                tree = DecisionTreeClassifier(depth, criterion=values["criterion"]).fit(X, y)
                by_depth.append(depth, accuracy(tree, X, y), accuracy(tree, X_test, y_test))
            assert logreg.coef_ is not None
            logreg_acc = (accuracy(logreg, X, y), accuracy(logreg, X_test, y_test))
            by_step.append(logreg.n_iter_, *logreg_acc)
            yield {
                "t": logreg.n_iter_,
                "step": logreg.n_iter_,
                "data": (X, y),
                "extent": extent,
                "images": {
                    "logreg": logreg.predict_proba(grid)[:, 1].reshape(GRID, GRID),
                    "knn": knn_image,
                    "tree": tree.predict_proba(grid)[:, 1].reshape(GRID, GRID),
                },
                "accuracy": {
                    "logreg": logreg_acc,
                    "knn": knn_acc,
                    "tree": (accuracy(tree, X, y), accuracy(tree, X_test, y_test)),
                },
                "by_depth": by_depth.view(),
                "by_step": by_step.view(),
                "line": (logreg.coef_.copy(), logreg.intercept_),
                "k": k,
                "depth": depth,
                "leaves": tree.get_n_leaves(),
                "diverged": False,
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.colors import LinearSegmentedColormap
        from matplotlib.ticker import MaxNLocator

        outer = figure.add_gridspec(2, 3, height_ratios=(1.3, 1))
        axes = {name: figure.add_subplot(outer[0, i]) for i, name in enumerate(MODELS)}
        bottom = outer[1, :].subgridspec(1, 2)
        step_ax, acc_ax = figure.add_subplot(bottom[0, 0]), figure.add_subplot(bottom[0, 1])
        cmap = LinearSegmentedColormap.from_list("boundary", ["#9ecae1", "#ffffff", "#f4a3a3"])
        images, titles, points = {}, {}, []
        for name, ax in axes.items():
            images[name] = ax.imshow(np.full((GRID, GRID), 0.5), origin="lower", cmap=cmap,
                                     vmin=0.0, vmax=1.0, aspect="auto",
                                     interpolation="nearest")
            titles[name] = ax.set_title("", fontsize=9.5)
            for label, color, marker in ((0, NEGATIVE, "o"), (1, POSITIVE, "^")):
                (dots,) = ax.plot([], [], marker, color=color, mec="black", mew=0.5, ms=4.5,
                                  ls="none")
                points.append((dots, label))
            ax.tick_params(labelsize=7.5)
            ax.set_aspect("equal", adjustable="box")
        (line,) = axes["logreg"].plot([], [], color="black", lw=1.5, ls="--",
                                      label="w·x + b = 0")
        axes["logreg"].legend(loc="lower left", fontsize=7.5)
        figure.suptitle(tr(lang, "배경: 예측 확률 P(클래스 1) — 파랑 0, 흰색 0.5, 빨강 1",
                           "Background: predicted P(class 1) — blue 0, white 0.5, red 1"),
                        fontsize=9)

        step_ax.set_xlim(0, FRAMES * STEPS_PER_FRAME)  # the whole run
        step_ax.set_ylim(0.4, 1.03)
        step_ax.set_xlabel(tr(lang, "스텝 (경사하강법)", "step (gradient descent)"), fontsize=8.5)
        step_ax.set_ylabel(tr(lang, "정확도", "accuracy"), fontsize=8.5)
        step_ax.set_title(tr(lang, "로지스틱 회귀: 스텝에 따른 훈련·테스트 정확도",
                             "Logistic regression: training and test accuracy by step"),
                          fontsize=9.5)
        step_ax.grid(alpha=0.3)
        step_ax.tick_params(labelsize=7.5)
        (logreg_train,) = step_ax.plot([], [], "--", color="black", lw=1.5,
                                       label=tr(lang, "훈련", "training"))
        (logreg_test_curve,) = step_ax.plot([], [], "-", color="black", lw=2.2,
                                            label=tr(lang, "테스트", "test"))
        step_ax.legend(loc="center right", fontsize=7.5)  # between a line's plateau and 1

        acc_ax.set_xlim(0.5, values["max_depth"] + 0.5)
        acc_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        acc_ax.set_ylim(0.4, 1.03)
        acc_ax.set_xlabel(tr(lang, "트리 깊이", "tree depth"), fontsize=8.5)
        acc_ax.set_ylabel(tr(lang, "정확도", "accuracy"), fontsize=8.5)
        acc_ax.set_title(tr(lang, "트리: 깊이에 따른 훈련·테스트 정확도",
                            "Tree: training and test accuracy by depth"), fontsize=9.5)
        acc_ax.grid(alpha=0.3)
        acc_ax.tick_params(labelsize=7.5)
        (tree_train,) = acc_ax.plot([], [], "o--", color=GREEN, lw=1.5, ms=3.5,
                                    label=tr(lang, "트리 훈련", "tree, training"))
        (tree_test,) = acc_ax.plot([], [], "o-", color=GREEN, lw=2.2, ms=4,
                                   label=tr(lang, "트리 테스트", "tree, test"))
        knn_test = acc_ax.axhline(0.5, color=PURPLE, lw=1.2, ls=":",
                                  label=tr(lang, "k-NN 테스트", "k-NN, test"))
        logreg_test = acc_ax.axhline(0.5, color="black", lw=1.2, ls="-.",
                                     label=tr(lang, "로지스틱 회귀 테스트", "logistic reg., test"))
        acc_legend = acc_ax.legend(loc="lower right", fontsize=7.5)
        changed = draw_order([*images.values(), *titles.values(), *(p for p, _ in points), line,
                              logreg_train, logreg_test_curve, tree_train, tree_test, knn_test,
                              logreg_test, acc_legend])

        def update(frame: Frame) -> list[Artist]:
            x0, x1, y0, y1 = frame["extent"]
            X, y = frame["data"]
            for name, ax in axes.items():
                images[name].set_data(frame["images"][name])
                images[name].set_extent((x0, x1, y0, y1))
                ax.set_xlim(x0, x1)
                ax.set_ylim(y0, y1)
            for dots, label in points:
                dots.set_data(X[y == label, 0], X[y == label, 1])
            w, b = frame["line"]
            xs = np.array([x0, x1])
            if abs(w[1]) > 1e-12 * (abs(w[0]) + 1e-300):  # w0 x + w1 y + b = 0, solved for y
                line.set_data(xs, -(b + w[0] * xs) / w[1])
            elif abs(w[0]) > 0:
                line.set_data([-b / w[0]] * 2, [y0, y1])
            else:
                line.set_data([], [])
            accs = {name: tr(lang, f"훈련 {a:.2f} · 테스트 {t:.2f}",
                             f"train {a:.2f} · test {t:.2f}")
                    for name, (a, t) in frame["accuracy"].items()}
            titles["logreg"].set_text(tr(lang, f"로지스틱 회귀 (스텝 {frame['step']})\n",
                                         f"Logistic regression (step {frame['step']})\n")
                                      + accs["logreg"])
            titles["knn"].set_text(f"k-NN (k = {frame['k']})\n" + accs["knn"])
            titles["tree"].set_text(tr(lang, f"결정 트리 (깊이 {frame['depth']}, 잎 "
                                             f"{frame['leaves']}개)\n",
                                       f"Decision tree (depth {frame['depth']}, "
                                       f"{frame['leaves']} leaves)\n") + accs["tree"])
            by_step = frame["by_step"]
            logreg_train.set_data(by_step[:, 0], by_step[:, 1])
            logreg_test_curve.set_data(by_step[:, 0], by_step[:, 2])
            by_depth = frame["by_depth"]
            tree_train.set_data(by_depth[:, 0], by_depth[:, 1])
            tree_test.set_data(by_depth[:, 0], by_depth[:, 2])
            for level, name in ((knn_test, "knn"), (logreg_test, "logreg")):
                test_acc = frame["accuracy"][name][1]
                level.set_ydata([test_acc, test_acc])
            return changed

        return update
