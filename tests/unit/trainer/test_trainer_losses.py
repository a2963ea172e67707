"""Losses against values derived by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.trainer import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    MSELoss,
    log_softmax,
    softmax,
)


def test_cross_entropy_with_label_smoothing_by_hand() -> None:
    # Sample 1: logits ln[1, 2, 5] -> softmax p = [1, 2, 5] / 8, target 2, eps = 0.3, C = 3.
    #   -log p = [ln 8, ln 4, ln 1.6];  CE(y) = ln 1.6
    #   smoothing term = mean_c(-log p_c) = (ln 8 + ln 4 + ln 1.6) / 3
    #   loss_1 = (1 - 0.3) * ln 1.6 + 0.3 * (ln 8 + ln 4 + ln 1.6) / 3
    #   target distribution q = 0.3/3 + 0.7 * onehot = [0.1, 0.1, 0.8]
    #   d loss_1 / d z = p - q = [0.125 - 0.1, 0.25 - 0.1, 0.625 - 0.8] = [0.025, 0.15, -0.175]
    # Sample 2: logits [0, 0, 0] -> p = 1/3 each, target 0: every -log p_c = ln 3, so
    #   loss_2 = ln 3 whatever eps;  p - q = [1/3 - 0.8, 1/3 - 0.1, 1/3 - 0.1]
    # Mean reduction halves the sum and both gradient rows.
    logits = np.array([[0.0, math.log(2), math.log(5)], [0.0, 0.0, 0.0]])
    loss_fn = CrossEntropyLoss(label_smoothing=0.3)
    loss = loss_fn(logits, np.array([2, 0]))
    loss_1 = 0.7 * math.log(1.6) + 0.3 * (math.log(8) + math.log(4) + math.log(1.6)) / 3
    assert loss == pytest.approx((loss_1 + math.log(3)) / 2, rel=1e-12)
    expected = np.array([[0.025, 0.15, -0.175], [1 / 3 - 0.8, 1 / 3 - 0.1, 1 / 3 - 0.1]]) / 2
    np.testing.assert_allclose(loss_fn.backward(), expected, atol=1e-12)


def test_cross_entropy_without_smoothing_is_minus_log_p_of_target() -> None:
    logits = np.array([[0.0, math.log(2), math.log(5)]])
    loss_fn = CrossEntropyLoss()
    assert loss_fn(logits, np.array([1])) == pytest.approx(math.log(4))  # p_1 = 2/8
    np.testing.assert_allclose(loss_fn.backward(), [[0.125, 0.25 - 1, 0.625]])


def test_cross_entropy_is_stable_for_huge_logits_and_keeps_float32() -> None:
    logits = np.array([[1000.0, 0.0], [-1000.0, 1000.0]], dtype=np.float32)
    loss_fn = CrossEntropyLoss(reduction="sum")
    # sample 1 is right with p = 1 (loss 0); sample 2 is right too
    assert loss_fn(logits, np.array([0, 1])) == pytest.approx(0.0, abs=1e-6)
    assert loss_fn(logits, np.array([1, 1])) == pytest.approx(1000.0, rel=1e-6)
    assert loss_fn.backward().dtype == np.float32


@pytest.mark.parametrize("eps", [0.0, 0.2])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_matches_the_log_softmax_formula(eps: float, reduction: str) -> None:
    gen = np.random.default_rng(0)
    logits = 4.0 * gen.standard_normal((7, 5))
    target = gen.integers(0, 5, 7).astype(np.uint8)  # small unsigned labels work too
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))  # small logits: no shift
    q = eps / 5 + (1.0 - eps) * np.eye(5)[target]
    per_item = -(q * logp).sum(axis=1)
    scale = 1.0 / 7 if reduction == "mean" else 1.0
    loss_fn = CrossEntropyLoss(label_smoothing=eps, reduction=reduction)  # type: ignore[arg-type]
    assert loss_fn(logits, target) == pytest.approx(per_item.sum() * scale, rel=1e-12)
    grad = loss_fn.backward()
    np.testing.assert_allclose(grad, (np.exp(logp) - q) * scale, rtol=1e-10, atol=1e-15)
    assert grad.flags.c_contiguous


@pytest.mark.parametrize(
    ("shape", "axis"), [((6, 4), -1), ((6, 40), 1), ((6, 4), 0), ((2, 3, 4), 1)]
)
def test_log_softmax_and_softmax_on_short_and_long_rows(shape: tuple[int, ...], axis: int) -> None:
    z = np.random.default_rng(0).standard_normal(shape)
    expected = z - np.log(np.exp(z).sum(axis=axis, keepdims=True))
    np.testing.assert_allclose(log_softmax(z, axis=axis), expected, rtol=1e-12)
    np.testing.assert_allclose(softmax(z, axis=axis), np.exp(expected), rtol=1e-12)
    big = np.array([[1000.0, 0.0], [0.0, -1000.0]], dtype=np.float32)  # the shift keeps it finite
    np.testing.assert_allclose(softmax(big), [[1.0, 0.0], [1.0, 0.0]])


def test_cross_entropy_rejects_bad_targets() -> None:
    with pytest.raises(ValueError):
        CrossEntropyLoss()(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError):
        CrossEntropyLoss()(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError):
        CrossEntropyLoss(label_smoothing=1.5)


def test_mse_by_hand() -> None:
    # diffs [1, -2] -> squares [1, 4] -> mean 2.5; gradient 2 * diff / n = [1, -2]
    loss_fn = MSELoss()
    assert loss_fn(np.array([1.0, 2.0]), np.array([0.0, 4.0])) == 2.5
    np.testing.assert_allclose(loss_fn.backward(), [1.0, -2.0])
    loss_sum = MSELoss(reduction="sum")
    assert loss_sum(np.array([1.0, 2.0]), np.array([0.0, 4.0])) == 5.0
    np.testing.assert_allclose(loss_sum.backward(), [2.0, -4.0])


def test_bce_with_logits_by_hand() -> None:
    # z = 0, y = 1: sigma = 1/2, loss = -ln(1/2) = ln 2, gradient sigma - y = -1/2
    # z = ln 3, y = 0: sigma = 3/4, loss = -ln(1 - 3/4) = ln 4, gradient 3/4
    # mean over 2 elements: (ln 2 + ln 4) / 2 = 1.5 ln 2; gradients halved
    loss_fn = BCEWithLogitsLoss()
    loss = loss_fn(np.array([0.0, math.log(3)]), np.array([1.0, 0.0]))
    assert loss == pytest.approx(1.5 * math.log(2), rel=1e-12)
    np.testing.assert_allclose(loss_fn.backward(), [-0.25, 0.375], rtol=1e-12)


def test_bce_with_logits_does_not_overflow() -> None:
    loss_fn = BCEWithLogitsLoss(reduction="sum")
    # log(1 + exp(-1000)) = 0 for the confident right answer; 1000 for the confident wrong one
    assert loss_fn(np.array([1000.0, -1000.0]), np.array([1.0, 1.0])) == pytest.approx(1000.0)
    np.testing.assert_allclose(loss_fn.backward(), [0.0, -1.0])


def test_backward_before_forward_raises() -> None:
    with pytest.raises(RuntimeError):
        MSELoss().backward()
