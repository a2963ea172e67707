"""The training loop: its metrics, and real learning on the shipped digits."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.trainer import (
    SGD,
    Adam,
    BCEWithLogitsLoss,
    Conv2d,
    CosineAnnealingLR,
    CrossEntropyLoss,
    DataLoader,
    EarlyStopping,
    EpochMetrics,
    Flatten,
    Linear,
    MaxPool2d,
    MSELoss,
    RandomTranslate,
    ReLU,
    Sequential,
    StepMetrics,
    Tanh,
    clip_grad_norm_,
    evaluate,
    fit,
    load_mnist_5k,
    make_moons,
    train_test_split,
)


def moons_setup(seed: int = 0) -> tuple[Sequential, DataLoader, tuple[np.ndarray, np.ndarray]]:
    X, y = make_moons(400, noise=0.1, rng=seed)
    X = X.astype(np.float32)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, rng=seed)
    gen = np.random.default_rng(seed)
    model = Sequential(Linear(2, 16, rng=gen), Tanh(), Linear(16, 2, rng=gen))
    return model, DataLoader(Xtr, ytr, batch_size=32, shuffle=True, rng=gen), (Xva, yva)


def test_fit_yields_step_and_epoch_metrics() -> None:
    model, loader, val = moons_setup()
    opt = Adam(model.parameters(), lr=0.05)
    sched = CosineAnnealingLR(opt, T_max=30)
    events = list(
        fit(model, CrossEntropyLoss(), opt, loader, epochs=30, val_data=val, scheduler=sched)
    )
    steps = [e for e in events if isinstance(e, StepMetrics)]
    epochs = [e for e in events if isinstance(e, EpochMetrics)]
    assert len(steps) == 30 * len(loader) and len(epochs) == 30
    assert steps[0].step == 1 and steps[-1].epoch == 30
    first = steps[0]
    assert set(first.grad_norms) == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert first.grad_norm == pytest.approx(np.sqrt(sum(v**2 for v in first.grad_norms.values())))
    assert epochs[0].lr == 0.05 and epochs[-1].lr < 0.01  # cosine annealed
    assert epochs[-1].val_accuracy is not None and epochs[-1].val_accuracy > 0.95
    assert epochs[-1].train_loss < epochs[0].train_loss


def test_fit_stops_early_and_restores_the_best_weights() -> None:
    model, loader, val = moons_setup(1)
    stopper = EarlyStopping(patience=1)
    opt = SGD(model.parameters(), lr=5.0)  # far too large: validation loss soon gets worse
    events = [
        e
        for e in fit(
            model, CrossEntropyLoss(), opt, loader, epochs=50, val_data=val, early_stopping=stopper
        )
        if isinstance(e, EpochMetrics)
    ]
    assert events[-1].stopped_early and len(events) < 50
    assert evaluate(model, CrossEntropyLoss(), *val)[0] == pytest.approx(stopper.best)


def test_regression_and_binary_losses_report_accuracy_only_when_it_exists() -> None:
    X = np.random.default_rng(0).standard_normal((64, 3)).astype(np.float32)
    y = (X.sum(axis=1, keepdims=True) > 0).astype(np.float32)
    for loss_fn, has_acc in ((MSELoss(), False), (BCEWithLogitsLoss(), True)):
        model = Linear(3, 1, rng=0)
        last = list(
            fit(
                model,
                loss_fn,
                Adam(model.parameters(), lr=0.05),
                DataLoader(X, y, batch_size=16),
                epochs=3,
                per_parameter_norms=False,
            )
        )[-1]
        assert isinstance(last, EpochMetrics)
        assert (last.train_accuracy is not None) == has_acc


def test_clip_grad_norm_scales_to_max_norm() -> None:
    layer = Linear(2, 1, rng=0)
    layer.weight.grad[:] = [[3.0, 0.0]]
    layer.bias.grad[:] = [4.0]  # type: ignore[union-attr]
    total = clip_grad_norm_(layer.parameters(), max_norm=1.0)
    assert total == pytest.approx(5.0)
    np.testing.assert_allclose(layer.weight.grad, [[0.6, 0.0]], rtol=1e-5)


@pytest.mark.slow
def test_mlp_reaches_95_percent_on_the_shipped_digits() -> None:
    # 4,000 training / 1,000 test images (stratified); 784-256-10 MLP, Adam with cosine decay,
    # small random translations as augmentation. Typically about 96.5% test accuracy.
    X, y = load_mnist_5k()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, stratify=True, rng=0)
    gen = np.random.default_rng(0)
    model = Sequential(Flatten(), Linear(784, 256, rng=gen), ReLU(), Linear(256, 10, rng=gen))
    opt = Adam(model.parameters(), lr=2e-3)
    epochs = 20
    loader = DataLoader(
        Xtr, ytr, batch_size=64, shuffle=True, transform=RandomTranslate(1, rng=gen), rng=gen
    )
    for _ in fit(
        model,
        CrossEntropyLoss(),
        opt,
        loader,
        epochs,
        scheduler=CosineAnnealingLR(opt, T_max=epochs),
        per_parameter_norms=False,
    ):
        pass
    _, accuracy = evaluate(model, CrossEntropyLoss(), Xte, yte)
    assert accuracy is not None and accuracy >= 0.95


def test_small_cnn_loss_falls_on_digits() -> None:
    X, y = load_mnist_5k()
    Xtr, ytr = X[::10], y[::10]  # 500 images, 50 per class
    gen = np.random.default_rng(0)
    model = Sequential(
        Conv2d(1, 4, 3, padding=1, rng=gen),
        ReLU(),
        MaxPool2d(2),  # 4 x 14 x 14
        Conv2d(4, 8, 3, padding=1, rng=gen),
        ReLU(),
        MaxPool2d(2),  # 8 x 7 x 7
        Flatten(),
        Linear(8 * 7 * 7, 10, rng=gen),
    )
    opt = Adam(model.parameters(), lr=3e-3)
    loader = DataLoader(Xtr, ytr, batch_size=50, shuffle=True, rng=gen)
    epochs = [
        e
        for e in fit(model, CrossEntropyLoss(), opt, loader, epochs=4, per_parameter_norms=False)
        if isinstance(e, EpochMetrics)
    ]
    assert epochs[0].train_loss > 1.5  # starts near ln 10 = 2.3
    assert epochs[-1].train_loss < 0.6 * epochs[0].train_loss
    assert epochs[-1].train_accuracy is not None and epochs[-1].train_accuracy > 0.7
