"""An MLP training live on the shipped digits: accuracy, confusion matrix, sample predictions.

The model, optimizer and loop are the trainer's (``Sequential``, ``Adam``/``SGD``, ``fit``);
the figure shows the few lines of code that define and train it. 4,000 training and 1,000
test images (a stratified split of ``load_mnist_5k()``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order, steps_only
from quizapp.demos.base import Choice, Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.digits import held_out_images, split_digits
from quizapp.demos.plotting import BLUE, CRIMSON, GREEN, ORANGE, grow_limit
from quizapp.trainer import (
    SGD,
    Adam,
    CrossEntropyLoss,
    DataLoader,
    Flatten,
    Linear,
    Optimizer,
    ReLU,
    Sequential,
    fit,
    no_grad,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

EVAL_EVERY = 10  # steps per frame, each frame ending with an evaluation on the test set
N_TRAIN_EVAL = 1000  # training images used for the train-accuracy curve
N_SAMPLES = 16  # test images in the prediction grid (4 × 4)


def code_snippet(values: Values) -> str:
    """The code this demo runs, with the chosen numbers filled in."""
    hidden, bs = int(values["hidden"]), int(values["batch_size"])
    opt = (f"Adam(model.parameters(), lr={values['lr']:g})" if values["optimizer"] == "adam"
           else f"SGD(model.parameters(), lr={values['lr']:g},\n          momentum=0.9)")
    return (
        f"model = Sequential(Flatten(),\n"
        f"    Linear(784, {hidden}), ReLU(),\n"
        f"    Linear({hidden}, 10))\n"
        f"opt = {opt}\n"
        f"loader = DataLoader(X, y, batch_size={bs},\n"
        f"                    shuffle=True)\n"
        f"for event in fit(model, CrossEntropyLoss(),\n"
        f"                 opt, loader, epochs=n): ..."
    )


def make_model(hidden: int, seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Flatten(), Linear(784, hidden, rng=rng), ReLU(),
                      Linear(hidden, 10, rng=rng))


def make_optimizer(name: str, model: Sequential, lr: float) -> Optimizer:
    if name == "adam":
        return Adam(model.parameters(), lr=lr)
    return SGD(model.parameters(), lr=lr, momentum=0.9)


def sample_indices(y_test: np.ndarray) -> np.ndarray:
    """Fixed test images for the grid: the first one or two of every digit."""
    firsts = [int(np.flatnonzero(y_test == d)[k]) for k in (0, 1) for d in range(10)]
    return np.array(firsts[:N_SAMPLES])


class MnistMlp(Demo):
    id = "mnist-mlp"
    title = Text("NumPy MLP로 손글씨 숫자 학습하기", "An MLP learning handwritten digits in NumPy")
    notice = Text(
        "784 → 은닉층 → 10 MLP가 미니배치마다 학습하며 테스트 정확도가 200 스텝 안에 90%를 "
        "넘고 400 스텝에 약 93%가 됩니다(우연 수준은 10%). 혼동 행렬의 각 행은 실제 숫자, 열은 "
        "예측이며 행의 합은 그 숫자의 테스트 이미지 수(100)입니다. 틀린 것의 약 3분의 1(73개 중 "
        "24개)이 모양이 비슷한 숫자끼리(3·5·8, 4와 9, 7과 9)인데, 이런 짝은 가능한 혼동 90가지 "
        "중 10가지뿐입니다. 모델 정의와 학습은 왼쪽 아래 코드 몇 줄이 전부입니다.",
        "A 784 → hidden → 10 MLP learns mini-batch by mini-batch; test accuracy passes 90 % "
        "within 200 steps and is about 93 % at 400 (chance is 10 %). Each confusion-matrix row "
        "is a true digit and each column a prediction; a row sums to that digit's number of "
        "test images (100). About a third of the mistakes (24 of 73) are between look-alike "
        "digits (3, 5 and 8; 4 and 9; 7 and 9), although those are only 10 of the 90 possible "
        "confusions. Defining and training the model takes the few lines of code shown at the "
        "lower left.",
    )
    params = (
        Param("hidden", Text("은닉 유닛 수", "Hidden units"), "int", 128, low=8, high=512),
        Param("optimizer", Text("옵티마이저", "Optimizer"), "choice", "adam",
              choices=(Choice("adam", Text("Adam", "Adam")),
                       Choice("sgd", Text("SGD + 모멘텀 0.9", "SGD + momentum 0.9")))),
        Param("lr", Text("학습률", "Learning rate"), "float", 1e-3, low=1e-5, high=1.0,
              log=True),
        Param("batch_size", Text("배치 크기", "Batch size"), "int", 64, low=1, high=512),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")
    steps = 41  # frames of EVAL_EVERY steps: 400 mini-batch steps, test accuracy ~92 %

    def frames(self, values: Values) -> Iterator[Frame]:
        X_train, y_train, X_test, y_test = split_digits(1000, 0)
        seed = int(values["seed"])
        model = make_model(int(values["hidden"]), seed)
        opt = make_optimizer(values["optimizer"], model, float(values["lr"]))
        loader = DataLoader(X_train, y_train, batch_size=int(values["batch_size"]),
                            shuffle=True, rng=seed)
        run = steps_only(fit(model, CrossEntropyLoss(), opt, loader, epochs=10**6,
                             per_parameter_norms=False))
        X_sub, y_sub = X_train[:N_TRAIN_EVAL], y_train[:N_TRAIN_EVAL]
        picks = sample_indices(y_test)
        history = Trace(64, 3)  # step, train accuracy, test accuracy
        class_counts = np.bincount(y_test, minlength=10)
        step, loss = 0, float("nan")
        while True:
            model.eval()
            with no_grad():  # keeps none of the 1,000 test images' activations
                pred_test = model(X_test).argmax(axis=1)
                pred_train = model(X_sub).argmax(axis=1)
            model.train()
            confusion = np.zeros((10, 10), dtype=np.int64)
            np.add.at(confusion, (y_test, pred_test), 1)
            history.append(step, float(np.mean(pred_train == y_sub)),
                           float(np.mean(pred_test == y_test)))
            yield {
                "t": step,
                "step": step,
                "loss": loss,
                "history": history.view(),
                "confusion": confusion,
                "class_counts": class_counts,
                "sample_pred": pred_test[picks],
                "sample_true": y_test[picks],
                "diverged": not finite(loss) and step > 0,
            }
            for _ in range(EVAL_EVERY):
                metrics = next(run)
                loss = metrics.loss
                step = metrics.step

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        grid = figure.add_gridspec(2, 3, width_ratios=(0.95, 1.3, 0.85), height_ratios=(1.5, 1))
        acc_ax = figure.add_subplot(grid[0, 0])
        code_ax = figure.add_subplot(grid[1, 0])
        conf_ax = figure.add_subplot(grid[:, 1])
        img_ax = figure.add_subplot(grid[:, 2])

        (train_line,) = acc_ax.plot([], [], color=ORANGE, linewidth=1.6,
                                    label=tr(lang, "훈련", "train"))
        (test_line,) = acc_ax.plot([], [], color=BLUE, linewidth=1.8,
                                   label=tr(lang, "테스트", "test"))
        chance = acc_ax.axhline(0.1, color="black", linestyle=":", linewidth=1)
        chance_text = acc_ax.text(0.98, 0.12, tr(lang, "우연 수준 10%", "chance 10%"),
                                  fontsize=8, ha="right",
                                  transform=acc_ax.get_yaxis_transform())
        acc_ax.set_ylim(0, 1.0)
        acc_ax.set_xlim(0, (self.steps - 1) * EVAL_EVERY)  # the whole run; grows past it
        acc_ax.set_xlabel(tr(lang, "스텝 (미니배치)", "step (mini-batch)"), fontsize=9)
        acc_ax.set_ylabel(tr(lang, "정확도", "accuracy"))
        acc_title = acc_ax.set_title("", fontsize=10)
        legend = acc_ax.legend(loc="center right", fontsize=8)
        acc_ax.grid(alpha=0.3)

        code_ax.axis("off")
        code_ax.text(0.0, 1.0, code_snippet(values), family="monospace", fontsize=8,
                     va="top", ha="left", transform=code_ax.transAxes,
                     bbox={"facecolor": "#f6f8fa", "edgecolor": "#d0d7de"})

        image = conf_ax.imshow(np.zeros((10, 10)), cmap="Blues", vmin=0, vmax=100)
        cells = [[conf_ax.text(j, i, "", ha="center", va="center", fontsize=7)
                  for j in range(10)] for i in range(10)]
        conf_ax.set_xticks(range(10))
        conf_ax.set_yticks(range(10))
        conf_ax.set_xlabel(tr(lang, "예측", "predicted"))
        conf_ax.set_ylabel(tr(lang, "실제", "true"))
        conf_ax.set_title(tr(lang, "혼동 행렬 (테스트 1000장)", "Confusion matrix (1000 test)"),
                          fontsize=10)

        tiles = held_out_images(1000, 0, sample_indices)[:, 0]
        size = 30
        montage = np.ones((4 * size, 4 * size))
        for k, tile in enumerate(tiles):
            r, c = divmod(k, 4)
            montage[r * size + 1:r * size + 29, c * size + 1:c * size + 29] = 1.0 - tile
        img_ax.imshow(montage, cmap="gray", vmin=0, vmax=1)
        img_ax.set_xticks([])
        img_ax.set_yticks([])
        img_ax.set_title(tr(lang, "테스트 예측 (빨강 = 오답)", "Test predictions (red = wrong)"),
                         fontsize=10)
        labels = []
        for k in range(N_SAMPLES):
            r, c = divmod(k, 4)
            labels.append(img_ax.text(c * size + 2, r * size + 2, "", fontsize=9,
                                      fontweight="bold", va="top", ha="left"))
        # the chance line and its label, the spines and the legend lie on top of the curves:
        # they are redrawn after them
        changing = draw_order([train_line, test_line, chance, chance_text,
                               *acc_ax.spines.values(), legend, acc_title, image,
                               *conf_ax.spines.values(),
                               *(cell for row in cells for cell in row), *labels])

        def update(frame: Frame) -> list[Artist]:
            hist = frame["history"]
            train_line.set_data(hist[:, 0], hist[:, 1])
            test_line.set_data(hist[:, 0], hist[:, 2])
            grow_limit(acc_ax, frame["step"], "x")
            acc_title.set_text(tr(
                lang, f"정확도 — 스텝 {hist[-1, 0]:.0f}, 테스트 {hist[-1, 2]:.1%}",
                f"Accuracy — step {hist[-1, 0]:.0f}, test {hist[-1, 2]:.1%}"))
            confusion = frame["confusion"]
            image.set_data(confusion)
            image.set_clim(0, max(1, int(confusion.max())))
            half = confusion.max() / 2
            for i in range(10):
                for j in range(10):
                    n = confusion[i, j]
                    cells[i][j].set_text(str(n) if n else "")
                    cells[i][j].set_color("white" if n > half else "black")
            for label, pred, true in zip(labels, frame["sample_pred"], frame["sample_true"],
                                         strict=True):
                label.set_text(str(pred))
                label.set_color(GREEN if pred == true else CRIMSON)
            return changing

        return update
