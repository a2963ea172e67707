"""Learning-rate schedulers with PyTorch's names and semantics (``torch.optim.lr_scheduler``).

Call ``sched.step()`` once per epoch, *after* ``opt.step()``. Constructing a scheduler
performs PyTorch's initial step: it records ``opt.initial_lr`` (if no scheduler did before),
sets ``last_epoch = 0`` and ``opt.lr`` to the epoch-0 value. ``get_last_lr()`` returns a list
(one entry per parameter group; there is one group here).

Each scheduler computes its learning rate in closed form from ``base_lr = opt.initial_lr`` and
``last_epoch``. PyTorch's ``step()`` uses equivalent recursive ("chainable") forms; the two agree
unless something else changes ``opt.lr`` between steps.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence

from .optim import Optimizer


class LRScheduler:
    """Base class: ``step()`` advances ``last_epoch`` and sets ``optimizer.lr``."""

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        if optimizer.initial_lr is None:
            optimizer.initial_lr = optimizer.lr
        self.base_lrs: list[float] = [optimizer.initial_lr]
        self.last_epoch = -1
        self._last_lr: list[float] = [optimizer.lr]
        self.step()

    def lr_at(self, epoch: int) -> float:
        """Closed-form learning rate after ``epoch`` scheduler steps."""
        raise NotImplementedError

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``) and set the optimizer's learning rate."""
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        self.optimizer.lr = self.lr_at(self.last_epoch)
        self._last_lr = [self.optimizer.lr]

    def get_last_lr(self) -> list[float]:
        """The learning rate set by the last ``step()``, as a one-element list."""
        return list(self._last_lr)

    @property
    def base_lr(self) -> float:
        """The initial learning rate of the (single) parameter group."""
        return self.base_lrs[0]


class StepLR(LRScheduler):
    """lr = base_lr * gamma ** (last_epoch // step_size): decay by gamma every step_size epochs."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """lr = base_lr * gamma ** last_epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = gamma
        super().__init__(optimizer)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * last_epoch / T_max)) / 2.

    PyTorch's closed form (SGDR without restarts): base_lr at epoch 0, eta_min at T_max. Past
    T_max the cosine keeps going (the rate rises again), as in PyTorch.
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer)

    def lr_at(self, epoch: int) -> float:
        cos = math.cos(math.pi * epoch / self.T_max)
        return self.eta_min + (self.base_lr - self.eta_min) * (1.0 + cos) / 2.0


class LinearLR(LRScheduler):
    """Linear warm-up: lr = base_lr * f, f going from start_factor to end_factor.

    f = start_factor + (end_factor - start_factor) * min(last_epoch, total_iters) / total_iters,
    so lr = base_lr * start_factor at epoch 0 and base_lr * end_factor from total_iters on.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
    ) -> None:
        if not 0.0 < start_factor <= 1.0:
            raise ValueError("Starting multiplicative factor expected to be in (0, 1].")
        if not 0.0 <= end_factor <= 1.0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer)

    def lr_at(self, epoch: int) -> float:
        progress = min(epoch, self.total_iters) / self.total_iters if self.total_iters else 1.0
        factor = self.start_factor + (self.end_factor - self.start_factor) * progress
        return self.base_lr * factor


class SequentialLR(LRScheduler):
    """Run ``schedulers[i]`` from epoch ``milestones[i-1]`` up to ``milestones[i]``.

    As PyTorch: at construction the learning rate is reset to ``initial_lr`` and only the first
    scheduler's initial step is replayed. At each milestone the next scheduler restarts from its
    epoch 0 (``scheduler.step(0)``), so e.g. ``SequentialLR(opt, [LinearLR(opt, 0.1,
    total_iters=5), CosineAnnealingLR(opt, T_max=95)], milestones=[5])`` warms up for 5 epochs,
    then anneals from base_lr at epoch 5.
    """

    def __init__(
        self, optimizer: Optimizer, schedulers: Sequence[LRScheduler], milestones: Sequence[int]
    ) -> None:
        if len(schedulers) < 1:
            raise ValueError("SequentialLR expects at least one scheduler")
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more "
                f"than the number of milestone points, but got {len(schedulers)} and "
                f"{len(milestones)}"
            )
        if any(s.optimizer is not optimizer for s in schedulers):
            raise ValueError("SequentialLR expects all schedulers to belong to the same optimizer")
        self.optimizer = optimizer
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        assert optimizer.initial_lr is not None
        self.base_lrs = [optimizer.initial_lr]
        self.last_epoch = 0
        optimizer.lr = optimizer.initial_lr
        for s in self._schedulers:
            s.last_epoch -= 1  # undo the initial step each scheduler took when it was built
        self._schedulers[0].step()  # replay the first scheduler's initial step only
        self._last_lr = self._schedulers[0].get_last_lr()

    def lr_at(self, epoch: int) -> float:
        idx = bisect_right(self._milestones, epoch)
        start = self._milestones[idx - 1] if idx > 0 else 0
        return self._schedulers[idx].lr_at(epoch - start)

    def step(self, epoch: int | None = None) -> None:
        if epoch is not None:
            raise ValueError("SequentialLR.step() takes no epoch")
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler.step(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()
