"""Explicit penalties (L1, L2, elastic net) for any model, and ``EarlyStopping``.

A penalty is added to the data loss and its gradient to the parameters' ``.grad``::

    penalty = L2Penalty(1e-4)
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    loss = loss_fn(model(x), y) + penalty(weights)
    model.backward(loss_fn.backward())
    penalty.backward(weights)          # adds d penalty / d w to each w.grad

With SGD, ``L2Penalty(lam)`` is the same as ``SGD(weight_decay=lam)``; with Adam it is Adam's
coupled weight decay, *not* AdamW's decoupled one.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._types import Array
from .module import Module
from .parameter import Parameter


class ElasticNetPenalty:
    """R(w) = lam * (l1_ratio * sum|w| + (1 - l1_ratio) / 2 * sum w**2), over all given arrays.

    Gradient: lam * (l1_ratio * sign(w) + (1 - l1_ratio) * w) (subgradient 0 at w = 0). This is
    scikit-learn's ElasticNet parametrisation (alpha = lam) without the 1/(2n) data term.
    """

    def __init__(self, lam: float, l1_ratio: float = 0.5) -> None:
        if lam < 0.0 or not 0.0 <= l1_ratio <= 1.0:
            raise ValueError("need lam >= 0 and 0 <= l1_ratio <= 1")
        self.lam = lam
        self.l1_ratio = l1_ratio

    def __call__(self, params: Iterable[Parameter]) -> float:
        """The penalty value."""
        l1 = l2 = 0.0
        for p in params:
            l1 += float(np.abs(p.data).sum())
            l2 += float(np.vdot(p.data, p.data))
        return self.lam * (self.l1_ratio * l1 + (1.0 - self.l1_ratio) * 0.5 * l2)

    def grad(self, w: Array) -> Array:
        """d R / d w for one array."""
        return self.lam * (self.l1_ratio * np.sign(w) + (1.0 - self.l1_ratio) * w)

    def backward(self, params: Iterable[Parameter]) -> None:
        """Accumulate the penalty's gradient into each parameter's ``.grad``."""
        for p in params:
            p.grad += self.grad(p.data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lam={self.lam}, l1_ratio={self.l1_ratio})"


class L1Penalty(ElasticNetPenalty):
    """R(w) = lam * sum|w|; gradient lam * sign(w). Drives weights to exactly zero (sparsity)."""

    def __init__(self, lam: float) -> None:
        super().__init__(lam, l1_ratio=1.0)


class L2Penalty(ElasticNetPenalty):
    """R(w) = lam / 2 * sum w**2; gradient lam * w (so lam plays the role of weight_decay)."""

    def __init__(self, lam: float) -> None:
        super().__init__(lam, l1_ratio=0.0)


class EarlyStopping:
    """Stop when the monitored value has not improved for ``patience`` checks.

    An improvement is ``value < best - min_delta`` (mode "min", e.g. validation loss) or
    ``value > best + min_delta`` (mode "max", e.g. accuracy). ``step(value, model)`` returns True
    when training should stop; with ``restore_best=True`` the model's best ``state_dict`` is then
    loaded back. Call ``restore(model)`` yourself if training ends for another reason.
    """

    def __init__(
        self,
        patience: int = 5,
        min_delta: float = 0.0,
        restore_best: bool = True,
        mode: str = "min",
    ) -> None:
        if mode not in ("min", "max"):
            raise ValueError("mode must be 'min' or 'max'")
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best = restore_best
        self.mode = mode
        self.best: float | None = None
        self.best_epoch = -1
        self.num_bad_epochs = 0
        self.should_stop = False
        self._epoch = -1
        self._best_state: dict[str, Array] | None = None

    def _improved(self, value: float) -> bool:
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def step(self, value: float, model: Module | None = None) -> bool:
        """Record one epoch's value; return True if training should stop now."""
        self._epoch += 1
        if self._improved(value):
            self.best = value
            self.best_epoch = self._epoch
            self.num_bad_epochs = 0
            if model is not None and self.restore_best:
                self._best_state = model.state_dict()
        else:
            self.num_bad_epochs += 1
        self.should_stop = self.num_bad_epochs >= self.patience
        if self.should_stop and model is not None and self.restore_best:
            self.restore(model)
        return self.should_stop

    __call__ = step

    def restore(self, model: Module) -> None:
        """Load the best weights seen so far into ``model`` (no-op if none were saved)."""
        if self._best_state is not None:
            model.load_state_dict(self._best_state)
