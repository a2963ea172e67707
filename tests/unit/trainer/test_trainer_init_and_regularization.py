"""torch.nn.init formulas, explicit penalties and EarlyStopping."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.trainer import (
    EarlyStopping,
    ElasticNetPenalty,
    L1Penalty,
    L2Penalty,
    Linear,
    Parameter,
    init,
)


def test_calculate_gain_matches_pytorch_table() -> None:
    assert init.calculate_gain("linear") == 1.0
    assert init.calculate_gain("sigmoid") == 1.0
    assert init.calculate_gain("conv2d") == 1.0
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", 0) == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError):
        init.calculate_gain("softmax")


def test_uniform_inits_hit_their_bounds() -> None:
    w = np.empty((200, 300))  # fan_out 200, fan_in 300
    # xavier_uniform_: a = gain * sqrt(6 / (fan_in + fan_out)) = sqrt(6 / 500)
    init.xavier_uniform_(w, rng=0)
    a = math.sqrt(6 / 500)
    assert a * 0.99 < np.abs(w).max() <= a
    # kaiming_uniform_ defaults (a=0, fan_in, leaky_relu): bound = sqrt(2) * sqrt(3 / 300)
    init.kaiming_uniform_(w, rng=0)
    bound = math.sqrt(2) * math.sqrt(3 / 300)
    assert bound * 0.99 < np.abs(w).max() <= bound
    init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu", rng=0)
    bound = math.sqrt(2) * math.sqrt(3 / 200)
    assert bound * 0.99 < np.abs(w).max() <= bound


def test_normal_inits_have_their_standard_deviation() -> None:
    w = np.empty((400, 500))
    init.xavier_normal_(w, gain=2.0, rng=1)  # std = 2 * sqrt(2 / 900)
    assert float(w.std()) == pytest.approx(2 * math.sqrt(2 / 900), rel=0.01)
    init.kaiming_normal_(w, rng=1)  # std = sqrt(2) / sqrt(500)
    assert float(w.std()) == pytest.approx(math.sqrt(2 / 500), rel=0.01)
    conv = np.empty((16, 8, 3, 3))  # fan_in = 8 * 9 = 72
    init.kaiming_normal_(conv, nonlinearity="relu", rng=2)
    assert float(conv.std()) == pytest.approx(math.sqrt(2 / 72), rel=0.03)


def test_inits_work_in_place_on_parameters_and_are_seeded() -> None:
    p = Parameter(np.zeros((3, 4), dtype=np.float32))
    out = init.xavier_uniform_(p, rng=3)
    assert out is p.data and p.data.dtype == np.float32 and p.data.any()
    q = Parameter(np.zeros((3, 4), dtype=np.float32))
    init.xavier_uniform_(q, rng=3)
    np.testing.assert_array_equal(p.data, q.data)
    with pytest.raises(ValueError):
        init.kaiming_uniform_(np.zeros(3))  # fan-in needs at least 2 dims


def test_penalties_by_hand() -> None:
    p = Parameter(np.array([1.0, -2.0, 0.0]), dtype=np.float64)
    # L1: 0.1 * (1 + 2 + 0) = 0.3; gradient 0.1 * sign(w) = [0.1, -0.1, 0]
    l1 = L1Penalty(0.1)
    assert l1([p]) == pytest.approx(0.3)
    l1.backward([p])
    np.testing.assert_allclose(p.grad, [0.1, -0.1, 0.0])
    p.zero_grad()
    # L2: 0.1 / 2 * (1 + 4) = 0.25; gradient 0.1 * w = weight_decay's term
    l2 = L2Penalty(0.1)
    assert l2([p]) == pytest.approx(0.25)
    l2.backward([p])
    np.testing.assert_allclose(p.grad, [0.1, -0.2, 0.0])
    # elastic net 0.5 / 0.5: 0.1 * (0.5 * 3 + 0.25 * 5) = 0.275; gradient 0.1 (0.5 sign + 0.5 w)
    en = ElasticNetPenalty(0.1, l1_ratio=0.5)
    assert en([p]) == pytest.approx(0.275)
    np.testing.assert_allclose(en.grad(p.data), [0.1, -0.15, 0.0])


def test_early_stopping_waits_patience_epochs_and_restores_the_best_weights() -> None:
    model = Linear(2, 1, rng=0)
    stopper = EarlyStopping(patience=2, min_delta=0.01)
    history = [1.0, 0.5, 0.495, 0.6]  # 0.495 is not better than 0.5 - 0.01
    best_weights = None
    decisions = []
    for epoch, loss in enumerate(history):
        model.weight.data[:] = epoch  # pretend training changed the weights
        if epoch == 1:
            best_weights = model.weight.data.copy()
        decisions.append(stopper.step(loss, model))
    assert decisions == [False, False, False, True]
    assert stopper.best == 0.5 and stopper.best_epoch == 1
    np.testing.assert_array_equal(model.weight.data, best_weights)  # type: ignore[arg-type]


def test_early_stopping_max_mode_without_restore() -> None:
    stopper = EarlyStopping(patience=1, restore_best=False, mode="max")
    assert not stopper.step(0.8)
    assert not stopper.step(0.9)
    assert stopper.step(0.85)
