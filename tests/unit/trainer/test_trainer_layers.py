"""Layers and modules: hand-computed BatchNorm and Dropout values, init, dtype, state_dict."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.trainer import (
    BatchNorm1d,
    Conv2d,
    CrossEntropyLoss,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    Sequential,
)


# -- BatchNorm1d ---------------------------------------------------------------------------------
def batch() -> np.ndarray:
    # channel 0: [1, 2, 3, 6] -> mean 3, deviations [-2, -1, 0, 3], sum of squares 14,
    #            biased var 14/4 = 3.5, unbiased var 14/3
    # channel 1: [0, 0, 2, 2] -> mean 1, deviations [-1, -1, 1, 1], sum of squares 4,
    #            biased var 1, unbiased var 4/3
    return np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 2.0], [6.0, 2.0]])


def test_batchnorm_training_output_uses_the_biased_batch_variance() -> None:
    bn = BatchNorm1d(2).double()
    bn.weight.data[:] = [2.0, 1.0]  # type: ignore[union-attr]
    bn.bias.data[:] = [0.5, -1.0]  # type: ignore[union-attr]
    y = bn(batch())
    # y = weight * (x - mean) / sqrt(var_biased + eps) + bias, eps = 1e-5
    expected0 = 2.0 * np.array([-2.0, -1.0, 0.0, 3.0]) / math.sqrt(3.5 + 1e-5) + 0.5
    expected1 = 1.0 * np.array([-1.0, -1.0, 1.0, 1.0]) / math.sqrt(1.0 + 1e-5) - 1.0
    np.testing.assert_allclose(y[:, 0], expected0, rtol=1e-12)
    np.testing.assert_allclose(y[:, 1], expected1, rtol=1e-12)


def test_batchnorm_running_stats_use_pytorch_momentum_and_unbiased_variance() -> None:
    bn = BatchNorm1d(2)
    bn(batch().astype(np.float32))
    # running = (1 - 0.1) * old + 0.1 * batch statistic; old mean 0, old var 1
    # mean: 0.9 * 0 + 0.1 * [3, 1]         = [0.3, 0.1]
    # var:  0.9 * 1 + 0.1 * [14/3, 4/3]    = [0.9 + 0.46667, 0.9 + 0.13333]
    np.testing.assert_allclose(bn.running_mean, [0.3, 0.1], rtol=1e-6)  # type: ignore[arg-type]
    np.testing.assert_allclose(bn.running_var, [0.9 + 1.4 / 3, 0.9 + 0.4 / 3], rtol=1e-6)  # type: ignore[arg-type]
    assert int(bn.num_batches_tracked) == 1  # type: ignore[arg-type]


def test_batchnorm_eval_normalises_with_running_stats() -> None:
    bn = BatchNorm1d(2).double()
    bn(batch())
    bn.eval()
    x = np.array([[0.3, 1.0]])  # a batch of one is fine in eval mode
    y = bn(x)
    # channel 0: (0.3 - 0.3) / sqrt(...) = 0;  channel 1: (1 - 0.1) / sqrt(0.9 + 0.4/3 + 1e-5)
    np.testing.assert_allclose(y, [[0.0, 0.9 / math.sqrt(0.9 + 0.4 / 3 + 1e-5)]], atol=1e-12)
    # evaluation must not move the running statistics
    np.testing.assert_allclose(bn.running_mean, [0.3, 0.1])  # type: ignore[arg-type]


def test_batchnorm_momentum_none_is_a_cumulative_average() -> None:
    bn = BatchNorm1d(1, momentum=None).double()
    bn(np.array([[1.0], [2.0], [3.0], [6.0]]))  # factor 1/1: mean 3, unbiased var 14/3
    bn(np.array([[0.0], [0.0], [2.0], [2.0]]))  # factor 1/2: mean 1, unbiased var 4/3
    # (3 + 1) / 2 = 2;  (14/3 + 4/3) / 2 = 3
    np.testing.assert_allclose(bn.running_mean, [2.0])  # type: ignore[arg-type]
    np.testing.assert_allclose(bn.running_var, [3.0])  # type: ignore[arg-type]


def test_batchnorm_needs_more_than_one_value_per_channel_in_training() -> None:
    with pytest.raises(ValueError, match="more than 1 value"):
        BatchNorm1d(3)(np.ones((1, 3), dtype=np.float32))


def test_batchnorm_state_dict_keys_match_pytorch() -> None:
    assert list(BatchNorm1d(3).state_dict()) == [
        "weight",
        "bias",
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]


# -- Dropout -------------------------------------------------------------------------------------
def test_dropout_zeroes_with_probability_p_and_scales_survivors_by_one_over_one_minus_p() -> None:
    drop = Dropout(p=0.25, rng=7)
    x = np.arange(1.0, 9.0)
    y = drop(x)
    # the mask is u >= p for u ~ U[0, 1) drawn from the same seed; survivors become x / 0.75
    keep = np.random.default_rng(7).random(8) >= 0.25
    np.testing.assert_allclose(y, np.where(keep, x / 0.75, 0.0))
    g = np.ones(8)
    np.testing.assert_allclose(drop.backward(g), np.where(keep, 1 / 0.75, 0.0))


def test_dropout_preserves_the_expectation_and_is_identity_in_eval() -> None:
    drop = Dropout(p=0.5, rng=0)
    y = drop(np.ones((1000, 100), dtype=np.float32))
    assert y.dtype == np.float32
    assert set(np.unique(y)) == {0.0, 2.0}  # 1 / (1 - 0.5) = 2
    assert abs(float(y.mean()) - 1.0) < 0.01  # E[y] = x; sd of the mean is 1/sqrt(1e5)
    drop.eval()
    x = np.arange(5.0)
    assert drop(x) is x
    np.testing.assert_array_equal(drop.backward(x), x)


def test_dropout_extremes() -> None:
    x = np.ones(4)
    np.testing.assert_array_equal(Dropout(0.0)(x), x)
    np.testing.assert_array_equal(Dropout(1.0)(x), np.zeros(4))
    with pytest.raises(ValueError):
        Dropout(1.5)


# -- Linear, Sequential, Module ------------------------------------------------------------------
def test_linear_default_init_is_pytorch_uniform_one_over_sqrt_fan_in() -> None:
    layer = Linear(400, 300, rng=0)
    assert layer.weight.shape == (300, 400) and layer.bias is not None
    assert layer.weight.data.dtype == np.float32
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=sqrt(5)): sqrt(1/3) * sqrt(3 / 400)
    for p in (layer.weight.data, layer.bias.data):
        assert np.abs(p).max() <= bound
        assert np.abs(p).max() > 0.95 * bound
    # U(-b, b) has variance b^2 / 3
    assert abs(float(layer.weight.data.var()) - bound**2 / 3) < 0.02 * bound**2


def test_linear_forward_is_x_w_transpose_plus_b() -> None:
    layer = Linear(2, 3, rng=0).double()
    layer.weight.data[:] = [[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]
    layer.bias.data[:] = [0.5, 0.0, -1.0]  # type: ignore[union-attr]
    np.testing.assert_allclose(layer(np.array([[1.0, 1.0]])), [[3.5, -1.0, 2.5]])


def test_backward_accumulates_into_grad_and_zero_grad_resets() -> None:
    layer = Linear(3, 2, rng=0)
    x = np.ones((4, 3), dtype=np.float32)
    layer(x)
    layer.backward(np.ones((4, 2), dtype=np.float32))
    np.testing.assert_allclose(layer.weight.grad, np.full((2, 3), 4.0))  # sum over 4 samples
    layer(x)
    layer.backward(np.ones((4, 2), dtype=np.float32))
    np.testing.assert_allclose(layer.weight.grad, np.full((2, 3), 8.0))
    layer.zero_grad()
    assert not layer.weight.grad.any()


def test_deferred_zero_grad_is_overwritten_by_backward_or_read_as_zeros() -> None:
    layer = Linear(3, 2, rng=0)
    weight_grad = layer.weight.grad
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    g = np.ones((4, 2), dtype=np.float32)
    for _ in range(2):  # zero_grad then backward: the product is written, not added to garbage
        layer.weight.grad[:] = 99.0
        layer.zero_grad()
        layer(x)
        layer.backward(g)
        np.testing.assert_array_equal(layer.weight.grad, g.T @ x)
        np.testing.assert_array_equal(layer.bias.grad, [4.0, 4.0])  # type: ignore[union-attr]
    assert layer.weight.grad is weight_grad  # written in place
    layer.zero_grad()
    layer.weight.accumulate(np.add, np.ones((2, 3)), 1.0)  # written over the pending zeros
    layer.weight.accumulate(np.add, np.ones((2, 3)), 1.0)  # then added
    np.testing.assert_array_equal(layer.weight.grad, np.full((2, 3), 4.0))
    layer.zero_grad()
    layer.weight.grad[0, 0] += 1.0  # any other writer first sees zeros
    np.testing.assert_array_equal(layer.weight.grad, [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


def make_mlp() -> Sequential:
    gen = np.random.default_rng(0)
    return Sequential(
        Flatten(),
        Linear(12, 8, rng=gen),
        BatchNorm1d(8),
        ReLU(),
        Dropout(0.1, rng=gen),
        Linear(8, 3, rng=gen),
    )


def test_float32_stays_float32_through_forward_loss_and_backward() -> None:
    model = make_mlp()
    x = np.random.default_rng(1).random((5, 3, 4), dtype=np.float32)
    out = model(x)
    assert out.dtype == np.float32
    loss = CrossEntropyLoss(label_smoothing=0.1)
    loss(out, np.array([0, 1, 2, 0, 1]))
    grad = loss.backward()
    assert grad.dtype == np.float32
    assert model.backward(grad).dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in model.parameters())


def test_double_casts_parameters_and_buffers() -> None:
    model = make_mlp().double()
    assert all(
        p.data.dtype == np.float64 and p.grad.dtype == np.float64 for p in model.parameters()
    )
    bn = model[2]
    assert isinstance(bn, BatchNorm1d) and bn.running_var is not None
    assert bn.running_var.dtype == np.float64
    assert bn.num_batches_tracked is not None and bn.num_batches_tracked.dtype == np.int64
    assert model(np.ones((2, 12))).dtype == np.float64
    model.float()
    assert all(p.data.dtype == np.float32 for p in model.parameters())


def test_sequential_indexing_names_and_modes() -> None:
    model = make_mlp()
    assert len(model) == 6 and isinstance(model[1], Linear)
    assert isinstance(model[1:3], Sequential) and len(model[1:3]) == 2
    assert [name for name, _ in model.named_parameters()] == [
        "1.weight",
        "1.bias",
        "2.weight",
        "2.bias",
        "5.weight",
        "5.bias",
    ]
    assert sum(p.size for p in model.parameters()) == 12 * 8 + 8 + 8 + 8 + 8 * 3 + 3
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    assert "Linear(in_features=12, out_features=8, bias=True)" in repr(model)


def test_state_dict_round_trip_copies_into_existing_arrays() -> None:
    source, target = (
        make_mlp(),
        Sequential(
            Flatten(),
            Linear(12, 8, rng=5),
            BatchNorm1d(8),
            ReLU(),
            Dropout(0.1),
            Linear(8, 3, rng=6),
        ),
    )
    source(np.random.default_rng(2).random((4, 12), dtype=np.float32))  # moves running stats
    state = source.state_dict()
    assert "2.running_mean" in state and "2.num_batches_tracked" in state
    weight_array = target[1].weight.data  # type: ignore[union-attr]
    target.load_state_dict(state)
    assert target[1].weight.data is weight_array  # optimizers keep valid references
    for key, value in target.state_dict().items():
        np.testing.assert_array_equal(value, state[key])
    state["1.weight"][:] = 0  # the state dict holds copies
    assert target[1].weight.data.any()  # type: ignore[union-attr]


def test_load_state_dict_rejects_missing_keys_and_bad_shapes() -> None:
    model = Linear(3, 2, rng=0)
    with pytest.raises(KeyError):
        model.load_state_dict({"weight": np.zeros((2, 3))})
    model.load_state_dict({"weight": np.zeros((2, 3))}, strict=False)
    assert not model.weight.data.any()
    with pytest.raises(ValueError, match="size mismatch"):
        model.load_state_dict({"weight": np.zeros((3, 2)), "bias": np.zeros(2)})


def test_conv_output_shape_and_default_init() -> None:
    conv = Conv2d(3, 4, kernel_size=3, stride=2, padding=1, rng=0)
    assert conv.weight.shape == (4, 3, 3, 3)
    assert np.abs(conv.weight.data).max() <= 1 / math.sqrt(3 * 3 * 3)
    # H_out = (9 + 2*1 - 3) // 2 + 1 = 5
    assert conv(np.zeros((2, 3, 9, 9), dtype=np.float32)).shape == (2, 4, 5, 5)


def test_conv_matches_a_direct_sum() -> None:
    conv = Conv2d(2, 1, 2, rng=0).double()
    x = np.random.default_rng(3).standard_normal((1, 2, 3, 3))
    w, b = conv.weight.data, conv.bias.data  # type: ignore[union-attr]
    out = conv(x)
    for i in range(2):
        for j in range(2):
            direct = (w[0] * x[0, :, i : i + 2, j : j + 2]).sum() + b[0]
            assert out[0, 0, i, j] == pytest.approx(direct, rel=1e-12)


def _padded(x: np.ndarray, pad: tuple[int, int], value: float) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])),
                  constant_values=value)


def test_strided_padded_conv_matches_a_direct_sum() -> None:
    conv = Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0), rng=5).double()
    x = np.random.default_rng(6).standard_normal((2, 3, 7, 5))
    out = conv(x)
    xp = _padded(x, (1, 0), 0.0)
    w, b = conv.weight.data, conv.bias.data  # type: ignore[union-attr]
    assert out.shape == (2, 4, 4, 4)
    for n, o, i, j in np.ndindex(*out.shape):
        direct = (w[o] * xp[n, :, 2 * i : 2 * i + 3, j : j + 2]).sum() + b[o]
        assert out[n, o, i, j] == pytest.approx(direct, rel=1e-12)


def test_max_pool_takes_the_first_maximum_and_propagates_nan() -> None:
    # Overlapping padded windows, ties and a NaN: the output is each window's maximum (NaN if
    # the window holds one, as PyTorch), and the gradient goes to the first maximum only.
    pool = MaxPool2d(3, stride=2, padding=1)
    x = np.random.default_rng(7).integers(0, 3, size=(2, 2, 6, 7)).astype(np.float64)
    x[1, 0, 2, 3] = np.nan
    out = pool(x)
    grad = pool.backward(np.ones_like(out))
    xp = _padded(x, (1, 1), -np.inf)
    expected_grad = np.zeros_like(xp)
    for n, c, i, j in np.ndindex(*out.shape):
        window = xp[n, c, 2 * i : 2 * i + 3, 2 * j : 2 * j + 3]
        first = int(np.argmax(window))  # the first maximum; the first NaN if any
        expected = window.flat[first]
        assert out[n, c, i, j] == expected or (np.isnan(expected) and np.isnan(out[n, c, i, j]))
        expected_grad[n, c, 2 * i + first // 3, 2 * j + first % 3] += 1
    assert np.array_equal(grad, expected_grad[:, :, 1:-1, 1:-1])
