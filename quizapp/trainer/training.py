"""A training loop written as a generator, so that demos can draw each step as it happens.

    for event in fit(model, loss_fn, opt, loader, epochs=10, val_data=(X_val, y_val)):
        if isinstance(event, StepMetrics): ...   # after every optimizer step
        else: ...                                # EpochMetrics, after every epoch

The loop is the usual one: ``opt.zero_grad()``, ``loss = loss_fn(model(x), y)``,
``model.backward(loss_fn.backward())``, optional gradient clipping, ``opt.step()``; then once per
epoch an evaluation, ``scheduler.step()`` and the early-stopping check.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from ._types import Array
from .grad_mode import no_grad
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss
from .lr_scheduler import LRScheduler
from .module import Module
from .optim import Optimizer
from .parameter import Parameter
from .regularization import EarlyStopping


@dataclass(frozen=True)
class StepMetrics:
    """Metrics of one optimizer step (on the mini-batch, before the update)."""

    epoch: int
    step: int  # global step count, from 1
    loss: float
    accuracy: float | None  # None for regression losses
    grad_norm: float  # global L2 norm of all gradients (before clipping)
    grad_norms: dict[str, float]  # per parameter name
    lr: float


@dataclass(frozen=True)
class EpochMetrics:
    """Metrics after one epoch: running means over its batches, and validation results."""

    epoch: int  # from 1
    train_loss: float
    train_accuracy: float | None
    val_loss: float | None = None
    val_accuracy: float | None = None
    lr: float = 0.0  # learning rate used during this epoch
    stopped_early: bool = False


def _has_accuracy(loss_fn: Loss) -> bool:
    return isinstance(loss_fn, CrossEntropyLoss | BCEWithLogitsLoss)


def _batch_total(loss_fn: Loss, loss: float, batch_size: int) -> float:
    """The batch's loss as a sum over its samples (to average over an epoch)."""
    return loss * batch_size if loss_fn.reduction == "mean" else loss


def accuracy(loss_fn: Loss, pred: Array, target: Array) -> float | None:
    """Fraction correct: arg-max for CrossEntropyLoss, logit > 0 for BCEWithLogitsLoss."""
    if isinstance(loss_fn, CrossEntropyLoss):
        return float(np.mean(pred.argmax(axis=1) == target))
    if isinstance(loss_fn, BCEWithLogitsLoss):
        return float(np.mean((pred > 0) == (np.asarray(target) > 0.5)))
    return None


def grad_norm(params: Iterable[Parameter]) -> float:
    """Global L2 norm sqrt(sum over all parameters of sum grad**2)."""
    return math.sqrt(sum(float(np.vdot(p.grad, p.grad)) for p in params))


def clip_grad_norm_(params: Iterable[Parameter], max_norm: float, eps: float = 1e-6) -> float:
    """Scale all gradients by min(1, max_norm / (total_norm + eps)); return total_norm.

    As ``torch.nn.utils.clip_grad_norm_`` (L2 norm over all parameters together).
    """
    plist = list(params)
    total = grad_norm(plist)
    coef = max_norm / (total + eps)
    if coef < 1.0:
        for p in plist:
            p.grad *= coef
    return total


def evaluate(
    model: Module, loss_fn: Loss, X: Array, y: Array, batch_size: int = 1024
) -> tuple[float, float | None]:
    """Mean loss and accuracy over (X, y) in evaluation mode and under ``no_grad()`` (the
    layers keep no activations of X); the previous mode is restored."""
    was_training = model.training
    model.eval()
    total_loss, correct, n = 0.0, 0.0, len(X)
    try:
        with no_grad():
            for start in range(0, n, batch_size):
                xb, yb = X[start : start + batch_size], y[start : start + batch_size]
                pred = model(xb)
                total_loss += _batch_total(loss_fn, loss_fn(pred, yb), len(xb))
                acc = accuracy(loss_fn, pred, yb)
                correct += 0.0 if acc is None else acc * len(xb)
    finally:
        model.train(was_training)
    return total_loss / n, (correct / n if _has_accuracy(loss_fn) else None)


def fit(
    model: Module,
    loss_fn: Loss,
    optimizer: Optimizer,
    train_loader: Iterable[tuple[Array, Array]],
    epochs: int,
    *,
    val_data: tuple[Array, Array] | None = None,
    scheduler: LRScheduler | None = None,
    early_stopping: EarlyStopping | None = None,
    max_grad_norm: float | None = None,
    per_parameter_norms: bool = True,
) -> Iterator[StepMetrics | EpochMetrics]:
    """Train ``model``, yielding a ``StepMetrics`` per step and an ``EpochMetrics`` per epoch.

    ``early_stopping`` watches the validation loss (the training loss without ``val_data``);
    when it fires, the last ``EpochMetrics`` has ``stopped_early=True`` and the generator ends
    (with the best weights restored if the stopper says so). The model is left in train mode.
    """
    params = model.parameters()
    named = list(model.named_parameters())
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        lr = optimizer.lr
        loss_sum, acc_sum, seen = 0.0, 0.0, 0
        for xb, yb in train_loader:
            optimizer.zero_grad()
            pred = model(xb)
            loss = loss_fn(pred, yb)
            model.backward(loss_fn.backward())
            norms = (
                {name: math.sqrt(float(np.vdot(p.grad, p.grad))) for name, p in named}
                if per_parameter_norms
                else {}
            )
            total = math.sqrt(sum(v * v for v in norms.values())) if norms else grad_norm(params)
            if max_grad_norm is not None:
                clip_grad_norm_(params, max_grad_norm)
            optimizer.step()
            step += 1
            acc = accuracy(loss_fn, pred, yb)
            loss_sum += _batch_total(loss_fn, loss, len(xb))
            acc_sum += 0.0 if acc is None else acc * len(xb)
            seen += len(xb)
            yield StepMetrics(epoch, step, loss, acc, total, norms, optimizer.lr)
        train_loss = loss_sum / max(seen, 1)
        train_acc = acc_sum / max(seen, 1) if _has_accuracy(loss_fn) else None
        val_loss = val_acc = None
        if val_data is not None:
            val_loss, val_acc = evaluate(model, loss_fn, *val_data)
        if scheduler is not None:
            scheduler.step()
        stop = False
        if early_stopping is not None:
            stop = early_stopping.step(val_loss if val_loss is not None else train_loss, model)
        yield EpochMetrics(epoch, train_loss, train_acc, val_loss, val_acc, lr, stop)
        if stop:
            return
