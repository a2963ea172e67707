"""Schedulers against learning rates computed by hand, with PyTorch's stepping convention.

Convention: building a scheduler sets the epoch-0 rate; each ``step()`` (once per epoch, after
``opt.step()``) moves to the next epoch. ``lrs(...)`` records the rate used in epochs 0, 1, ...
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.trainer import (
    SGD,
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    LRScheduler,
    Parameter,
    SequentialLR,
    StepLR,
)


def optimizer(lr: float = 1.0) -> SGD:
    return SGD([Parameter(np.zeros(1))], lr=lr)


def lrs(scheduler: LRScheduler, epochs: int) -> list[float]:
    out = []
    for _ in range(epochs):
        out.append(scheduler.optimizer.lr)
        assert scheduler.get_last_lr() == [scheduler.optimizer.lr]
        scheduler.optimizer.step()
        scheduler.step()
    return out


def test_step_lr() -> None:
    # lr = 1 * 0.1 ** (epoch // 2)
    assert lrs(StepLR(optimizer(), step_size=2), 6) == pytest.approx([1, 1, 0.1, 0.1, 0.01, 0.01])


def test_exponential_lr() -> None:
    assert lrs(ExponentialLR(optimizer(), gamma=0.5), 4) == pytest.approx([1, 0.5, 0.25, 0.125])


def test_cosine_annealing_closed_form() -> None:
    # lr = 0.1 + (1 - 0.1) * (1 + cos(pi * e / 4)) / 2, e = 0..5
    # e=0: 1;  e=1: 0.1 + 0.45 (1 + 1/sqrt 2);  e=2: 0.55;  e=3: 0.1 + 0.45 (1 - 1/sqrt 2)
    # e=4: eta_min = 0.1;  e=5: rises again like e=3 (PyTorch keeps following the cosine)
    r = 1 / math.sqrt(2)
    expected = [1.0, 0.1 + 0.45 * (1 + r), 0.55, 0.1 + 0.45 * (1 - r), 0.1, 0.1 + 0.45 * (1 - r)]
    assert lrs(CosineAnnealingLR(optimizer(), T_max=4, eta_min=0.1), 6) == pytest.approx(expected)


def test_linear_lr_warmup() -> None:
    # factor = 0.25 + 0.75 * min(e, 3) / 3 = 0.25, 0.5, 0.75, 1, 1
    assert lrs(LinearLR(optimizer(2.0), start_factor=0.25, total_iters=3), 5) == pytest.approx(
        [0.5, 1.0, 1.5, 2.0, 2.0]
    )


def test_linear_lr_defaults() -> None:
    # start 1/3, end 1, 5 iterations: 1/3 + (2/3) * e / 5
    expected = [1 / 3 + (2 / 3) * e / 5 for e in range(6)] + [1.0]
    assert lrs(LinearLR(optimizer()), 7) == pytest.approx(expected)


def test_sequential_lr_warmup_then_cosine_restarts_the_second_scheduler_at_its_epoch_0() -> None:
    # LinearLR for epochs 0-2: 0.25, 0.5, 0.75. At the milestone (epoch 3) PyTorch calls
    # cosine.step(0): cosine's epoch 0 is base_lr = 1. Then cosine epochs 1..4 with T_max = 4:
    # 0.5 (1 + cos(pi/4)), 0.5, 0.5 (1 - cos(pi/4)), 0.
    opt = optimizer()
    warmup = LinearLR(opt, start_factor=0.25, total_iters=3)
    cosine = CosineAnnealingLR(opt, T_max=4)
    assert opt.initial_lr == 1.0  # recorded once, by the first scheduler
    sched = SequentialLR(opt, [warmup, cosine], milestones=[3])
    r = 1 / math.sqrt(2)
    expected = [0.25, 0.5, 0.75, 1.0, 0.5 * (1 + r), 0.5, 0.5 * (1 - r), 0.0]
    assert lrs(sched, 8) == pytest.approx(expected, abs=1e-12)


def test_sequential_lr_with_three_phases() -> None:
    # StepLR(step_size=1, gamma=0.5) for epochs 0-1: 1, 0.5; ExponentialLR(0.1) from epoch 2:
    # 1, 0.1; then StepLR(step 10, gamma 0.1) from epoch 4: its epoch 0 -> base 1.
    opt = optimizer()
    s1 = StepLR(opt, step_size=1, gamma=0.5)
    s2 = ExponentialLR(opt, gamma=0.1)
    s3 = StepLR(opt, step_size=10)
    sched = SequentialLR(opt, [s1, s2, s3], milestones=[2, 4])
    assert lrs(sched, 6) == pytest.approx([1, 0.5, 1, 0.1, 1, 1])


def test_sequential_lr_validates_its_arguments() -> None:
    opt = optimizer()
    s1, s2 = StepLR(opt, 1), StepLR(opt, 1)
    with pytest.raises(ValueError):
        SequentialLR(opt, [s1, s2], milestones=[])
    with pytest.raises(ValueError):
        SequentialLR(optimizer(), [s1, s2], milestones=[2])


def test_scheduler_drives_the_optimizer_lr_used_by_step() -> None:
    p = Parameter(np.zeros(1), dtype=np.float64)
    opt = SGD([p], lr=1.0)
    sched = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):  # steps of 1, 0.5 and 0.25 with gradient 1
        p.grad[:] = 1.0
        opt.step()
        sched.step()
    assert p.data[0] == pytest.approx(-1.75)
