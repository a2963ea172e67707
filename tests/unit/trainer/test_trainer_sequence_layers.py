"""Sequence layers: hand-computed values, PyTorch's init, names, shapes, masks and dtypes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.trainer import (
    GRU,
    LSTM,
    RNN,
    Embedding,
    LayerNorm,
    MultiheadAttention,
    sigmoid,
)


def scalar(module: RNN | LSTM | GRU, **values: list[float]) -> None:
    """Set the parameters of a 1-unit layer by name, e.g. weight_ih_l0=[0.5]."""
    for name, value in values.items():
        getattr(module, name).data[...] = np.reshape(value, getattr(module, name).shape)


# -- LayerNorm -----------------------------------------------------------------------------------
def test_layernorm_normalises_each_sample_with_the_biased_variance() -> None:
    ln = LayerNorm(4).double()
    ln.weight.data[:] = [1.0, 2.0, 1.0, 1.0]  # type: ignore[union-attr]
    ln.bias.data[:] = [0.0, 0.0, 0.0, 0.5]  # type: ignore[union-attr]
    # row 0: [1, 2, 3, 6], mean 3, deviations [-2, -1, 0, 3], biased var 14/4 = 3.5
    # row 1: [5, 5, 5, 5], var 0: x_hat = 0 / sqrt(eps) = 0, so y = bias
    y = ln(np.array([[1.0, 2.0, 3.0, 6.0], [5.0, 5.0, 5.0, 5.0]]))
    expected0 = np.array([-2.0, -2.0, 0.0, 3.0]) / math.sqrt(3.5 + 1e-5) + [0, 0, 0, 0.5]
    np.testing.assert_allclose(y[0], expected0, rtol=1e-12)
    np.testing.assert_allclose(y[1], [0.0, 0.0, 0.0, 0.5], atol=1e-12)


def test_layernorm_init_names_and_shape_check() -> None:
    ln = LayerNorm((2, 3))
    assert ln.normalized_shape == (2, 3) and ln.eps == 1e-5
    assert list(ln.state_dict()) == ["weight", "bias"]
    np.testing.assert_array_equal(ln.weight.data, np.ones((2, 3), dtype=np.float32))  # type: ignore[union-attr]
    np.testing.assert_array_equal(ln.bias.data, np.zeros((2, 3), dtype=np.float32))  # type: ignore[union-attr]
    assert list(LayerNorm(3, elementwise_affine=False).state_dict()) == []
    assert list(LayerNorm(3, bias=False).state_dict()) == ["weight"]
    with pytest.raises(RuntimeError, match="normalized_shape"):
        ln(np.zeros((4, 3, 2), dtype=np.float32))


# -- Embedding -----------------------------------------------------------------------------------
def test_embedding_looks_up_rows_and_scatters_gradients_back() -> None:
    emb = Embedding(4, 2, rng=0).double()
    emb.weight.data[:] = [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]
    indices = np.array([[3, 1], [1, 1]])
    np.testing.assert_array_equal(emb(indices), [[[6, 7], [2, 3]], [[2, 3], [2, 3]]])
    emb.backward(np.ones((2, 2, 2)))
    # row 1 was used three times, row 3 once, rows 0 and 2 never
    np.testing.assert_array_equal(emb.weight.grad, [[0, 0], [3, 3], [0, 0], [1, 1]])


def test_embedding_padding_row_is_zero_and_gets_no_gradient() -> None:
    emb = Embedding(5, 3, padding_idx=-1, rng=0)
    assert emb.padding_idx == 4  # counted from the end, as in PyTorch
    assert not emb.weight.data[4].any() and emb.weight.data[:4].all()
    emb(np.array([4, 0, 4]))
    emb.backward(np.ones((3, 3), dtype=np.float32))
    np.testing.assert_array_equal(emb.weight.grad[4], 0.0)
    np.testing.assert_array_equal(emb.weight.grad[0], 1.0)
    with pytest.raises(ValueError, match="within num_embeddings"):
        Embedding(5, 3, padding_idx=5)


def test_embedding_init_is_standard_normal_and_indices_are_checked() -> None:
    emb = Embedding(1000, 100, rng=0)
    assert emb.weight.data.dtype == np.float32 and list(emb.state_dict()) == ["weight"]
    assert abs(float(emb.weight.data.mean())) < 0.01  # sd of the mean: 1/sqrt(1e5)
    assert abs(float(emb.weight.data.std()) - 1.0) < 0.01
    with pytest.raises(IndexError):
        emb(np.array([1000]))
    with pytest.raises(TypeError):
        emb(np.array([1.0]))


# -- RNN, LSTM, GRU: the equations on one unit ---------------------------------------------------
def test_rnn_two_steps_by_hand_and_backpropagation_through_time() -> None:
    rnn = RNN(1, 1, rng=0).double()
    scalar(rnn, weight_ih_l0=[0.5], weight_hh_l0=[-1.0], bias_ih_l0=[0.1], bias_hh_l0=[0.2])
    x = np.array([1.0, 2.0]).reshape(2, 1, 1)  # (L, N, input_size)
    h0 = np.array([0.3]).reshape(1, 1, 1)
    output, h_n = rnn(x, h0)
    h1 = math.tanh(0.5 * 1 + 0.1 - 1.0 * 0.3 + 0.2)  # tanh(0.5)
    h2 = math.tanh(0.5 * 2 + 0.1 - 1.0 * h1 + 0.2)
    np.testing.assert_allclose(output.ravel(), [h1, h2], rtol=1e-12)
    np.testing.assert_allclose(h_n.ravel(), [h2], rtol=1e-12)
    # L = h2 only: dL/dpre2 = 1 - h2^2; dL/dh1 = dpre2 * w_hh; dL/dpre1 = dh1 * (1 - h1^2)
    dpre2 = 1 - h2**2
    dpre1 = dpre2 * -1.0 * (1 - h1**2)
    grad_x, grad_h0 = rnn.backward(np.array([0.0, 1.0]).reshape(2, 1, 1))
    np.testing.assert_allclose(grad_x.ravel(), [0.5 * dpre1, 0.5 * dpre2], rtol=1e-12)
    np.testing.assert_allclose(grad_h0.ravel(), [-1.0 * dpre1], rtol=1e-12)
    np.testing.assert_allclose(rnn.weight_ih_l0.grad.ravel(), [dpre1 * 1 + dpre2 * 2])
    np.testing.assert_allclose(rnn.weight_hh_l0.grad.ravel(), [dpre1 * 0.3 + dpre2 * h1])
    np.testing.assert_allclose(rnn.bias_hh_l0.grad.ravel(), [dpre1 + dpre2])


def test_rnn_relu_nonlinearity() -> None:
    rnn = RNN(1, 1, nonlinearity="relu", rng=0).double()
    scalar(rnn, weight_ih_l0=[1.0], weight_hh_l0=[0.0], bias_ih_l0=[0.0], bias_hh_l0=[0.0])
    output, _ = rnn(np.array([-2.0, 3.0]).reshape(2, 1, 1))
    np.testing.assert_array_equal(output.ravel(), [0.0, 3.0])
    with pytest.raises(ValueError, match="Unknown nonlinearity"):
        RNN(1, 1, nonlinearity="gelu")  # type: ignore[arg-type]


def test_lstm_gate_order_is_i_f_g_o() -> None:
    lstm = LSTM(1, 1, rng=0).double()
    # zero weights: each gate is its bias; distinct biases tell the four rows apart
    scalar(
        lstm,
        weight_ih_l0=[0.0] * 4,
        weight_hh_l0=[0.0] * 4,
        bias_ih_l0=[1.0, 2.0, 3.0, 4.0],
        bias_hh_l0=[0.0, 0.0, 0.0, -0.5],
    )
    h0, c0 = np.full((1, 1, 1), 0.9), np.full((1, 1, 1), 0.5)
    output, (h_n, c_n) = lstm(np.zeros((1, 1, 1)), (h0, c0))
    i, f, g, o = (
        sigmoid(np.array(1.0)),
        sigmoid(np.array(2.0)),
        math.tanh(3.0),
        1 / (1 + math.exp(-3.5)),
    )
    c1 = f * 0.5 + i * g
    np.testing.assert_allclose(c_n.ravel(), [c1], rtol=1e-12)
    np.testing.assert_allclose(h_n.ravel(), [o * math.tanh(c1)], rtol=1e-12)
    np.testing.assert_allclose(output.ravel(), h_n.ravel())


def test_gru_reset_gate_multiplies_the_hidden_bias_too() -> None:
    gru = GRU(1, 1, rng=0).double()
    scalar(
        gru,
        weight_ih_l0=[0.0, 0.0, 0.0],
        weight_hh_l0=[0.0, 0.0, 1.0],  # only W_hn = 1
        bias_ih_l0=[0.3, -0.2, 0.1],  # b_ir, b_iz, b_in
        bias_hh_l0=[0.0, 0.0, 0.7],  # b_hn
    )
    h0 = 0.4
    _, h_n = gru(np.zeros((1, 1, 1)), np.full((1, 1, 1), h0))
    r, z = 1 / (1 + math.exp(-0.3)), 1 / (1 + math.exp(0.2))
    n = math.tanh(0.1 + r * (1.0 * h0 + 0.7))  # PyTorch: r * (W_hn h + b_hn)
    np.testing.assert_allclose(h_n.ravel(), [(1 - z) * n + z * h0], rtol=1e-12)
    n_paper = math.tanh(0.1 + 1.0 * (r * h0) + 0.7)  # the original paper's form differs
    assert abs(((1 - z) * n_paper + z * h0) - float(h_n.ravel()[0])) > 1e-3


# -- RNN, LSTM, GRU: init, names, shapes, dropout ------------------------------------------------
@pytest.mark.parametrize(("cls", "gates"), [(RNN, 1), (LSTM, 4), (GRU, 3)])
def test_recurrent_names_shapes_and_init_match_pytorch(cls: type[RNN], gates: int) -> None:
    module = cls(10, 16, num_layers=2, bidirectional=True, rng=0)
    names = [
        f"{kind}_l{layer}{suffix}"
        for layer in range(2)
        for suffix in ("", "_reverse")
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]
    assert list(module.state_dict()) == names  # torch's state_dict keys, in torch's order
    params = dict(module.named_parameters())
    assert params["weight_ih_l0"].shape == (gates * 16, 10)
    assert params["weight_ih_l1_reverse"].shape == (gates * 16, 2 * 16)  # reads both directions
    assert params["weight_hh_l1"].shape == (gates * 16, 16)
    assert params["bias_hh_l0_reverse"].shape == (gates * 16,)
    bound = 1 / math.sqrt(16)  # every weight and bias ~ U(-1/sqrt(hidden), 1/sqrt(hidden))
    assert all(p.data.dtype == np.float32 for p in params.values())
    values = np.concatenate([p.data.ravel() for p in params.values()])
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.99 * bound
    assert abs(float(values.var()) - bound**2 / 3) < 0.05 * bound**2  # U(-b, b): var b^2/3
    no_bias = cls(10, 16, bias=False, rng=0)
    assert list(no_bias.state_dict()) == ["weight_ih_l0", "weight_hh_l0"]


def test_recurrent_shapes_batch_first_unbatched_and_bidirectional() -> None:
    gru = GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True, rng=0).double()
    x = np.random.default_rng(0).standard_normal((2, 5, 3))  # (N, L, H_in)
    output, h_n = gru(x)
    assert output.shape == (2, 5, 8)  # (N, L, D * H)
    assert h_n.shape == (4, 2, 4)  # (D * num_layers, N, H): never batch first
    # last layer: forward direction ends at t = L-1, the reverse direction at t = 0
    np.testing.assert_allclose(output[:, -1, :4], h_n[2])
    np.testing.assert_allclose(output[:, 0, 4:], h_n[3])
    # batch_first only transposes: the same weights on (L, N, H_in) give the transposed result
    gru.batch_first = False
    output_t, h_n_t = gru(x.transpose(1, 0, 2))
    np.testing.assert_allclose(output_t, output.transpose(1, 0, 2))
    np.testing.assert_allclose(h_n_t, h_n)
    # unbatched (L, H_in) equals a batch of one
    single, h_single = gru(x[0])
    np.testing.assert_allclose(single, output[0])
    np.testing.assert_allclose(h_single, h_n[:, 0])


def test_lstm_states_shapes_and_hidden_size_check() -> None:
    lstm = LSTM(3, 4, num_layers=2, rng=0)
    x = np.zeros((5, 2, 3), dtype=np.float32)
    output, (h_n, c_n) = lstm(x)
    assert output.shape == (5, 2, 4) and h_n.shape == c_n.shape == (2, 2, 4)
    with pytest.raises(RuntimeError, match="Expected hidden size"):
        lstm(x, (np.zeros((1, 2, 4)), np.zeros((1, 2, 4))))
    with pytest.raises(RuntimeError, match="input_size"):
        lstm(np.zeros((5, 2, 2), dtype=np.float32))


def test_recurrent_dropout_only_between_layers_and_only_in_training() -> None:
    with pytest.warns(UserWarning, match="num_layers greater than 1"):
        RNN(3, 4, dropout=0.5)
    with pytest.raises(ValueError):
        RNN(3, 4, num_layers=2, dropout=1.5)
    lstm = LSTM(3, 4, num_layers=2, dropout=0.5, rng=0)
    x = np.random.default_rng(1).standard_normal((5, 2, 3)).astype(np.float32)
    lstm.eval()
    first, _ = lstm(x)
    np.testing.assert_array_equal(lstm(x)[0], first)  # eval: no dropout, deterministic
    lstm.train()
    assert not np.allclose(lstm(x)[0], first)
    single = RNN(3, 4, num_layers=1, rng=0)
    with pytest.warns(UserWarning):
        single_dropout = RNN(3, 4, num_layers=1, dropout=0.9, rng=0)
    # no layer after the only one, so nothing is dropped
    np.testing.assert_array_equal(single(x)[0], single_dropout(x)[0])


# -- MultiheadAttention --------------------------------------------------------------------------
def test_attention_names_and_init_match_pytorch() -> None:
    mha = MultiheadAttention(8, 2, rng=0)
    assert list(mha.state_dict()) == [
        "in_proj_weight",
        "in_proj_bias",
        "out_proj.weight",
        "out_proj.bias",
    ]
    assert mha.in_proj_weight.shape == (24, 8) and mha.in_proj_weight.dtype == np.float32
    # xavier_uniform_ on (3E, E): bound sqrt(6 / (E + 3E)); out_proj keeps Linear's U(±1/sqrt(E))
    xavier = math.sqrt(6 / (8 + 24))
    assert 0.9 * xavier < np.abs(mha.in_proj_weight.data).max() <= xavier
    linear = 1 / math.sqrt(8)
    assert 0.8 * linear < np.abs(mha.out_proj.weight.data).max() <= linear
    assert not mha.in_proj_bias.data.any() and not mha.out_proj.bias.data.any()  # type: ignore[union-attr]
    assert list(MultiheadAttention(8, 2, bias=False).state_dict()) == [
        "in_proj_weight",
        "out_proj.weight",
    ]
    with pytest.raises(ValueError, match="divisible"):
        MultiheadAttention(8, 3)


def test_single_head_attention_by_hand() -> None:
    # identity projections, zero biases: output = softmax(x x^T / sqrt(E)) x
    mha = MultiheadAttention(2, 1, rng=0).double()
    mha.in_proj_weight.data[:] = np.vstack([np.eye(2)] * 3)
    mha.out_proj.weight.data[:] = np.eye(2)
    x = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])  # unbatched (L, E)
    out, weights = mha(x, x, x)
    scores = x @ x.T / math.sqrt(2)
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(weights, p, rtol=1e-12)
    np.testing.assert_allclose(out, p @ x, rtol=1e-12)


def test_attention_weights_masks_and_head_average() -> None:
    mha = MultiheadAttention(4, 2, rng=0).double()
    x = np.random.default_rng(2).standard_normal((3, 2, 4))  # (L, N, E)
    causal = np.triu(np.ones((3, 3), dtype=bool), k=1)
    padding = np.array([[False, False, True], [False, False, False]])
    out, per_head = mha(
        x, x, x, attn_mask=causal, key_padding_mask=padding, average_attn_weights=False
    )
    assert out.shape == (3, 2, 4) and per_head is not None and per_head.shape == (2, 2, 3, 3)
    np.testing.assert_allclose(per_head.sum(axis=-1), 1.0)
    assert not per_head[:, :, causal].any()  # no query looks at a later key
    assert not per_head[0, :, :, 2].any()  # nor at a padded one
    _, averaged = mha(x, x, x, attn_mask=causal, key_padding_mask=padding)
    np.testing.assert_allclose(averaged, per_head.mean(axis=1))
    # a float mask of 0 / -inf is the same as the boolean mask
    float_mask = np.where(causal, -np.inf, 0.0)
    out_float, _ = mha(x, x, x, attn_mask=float_mask, key_padding_mask=padding)
    np.testing.assert_allclose(out_float, out)


def test_attention_need_weights_is_causal_and_fully_masked_rows() -> None:
    mha = MultiheadAttention(4, 2, rng=0).double()
    mha.out_proj.bias.data[:] = 0.25  # type: ignore[union-attr]
    x = np.random.default_rng(3).standard_normal((3, 1, 4))
    causal = np.triu(np.ones((3, 3), dtype=bool), k=1)
    out, weights = mha(x, x, x, need_weights=False, attn_mask=causal)
    assert weights is None
    out_hint, _ = mha(x, x, x, need_weights=False, attn_mask=causal, is_causal=True)
    np.testing.assert_allclose(out_hint, out)
    with pytest.raises(RuntimeError, match="Need attn_mask"):
        mha(x, x, x, is_causal=True)
    # a query that may look at nothing: NaN with weights (softmax of all -inf), as torch;
    # without weights torch's scaled_dot_product_attention gives zeros, i.e. out_proj.bias
    blind = np.array([[True, True, True], [False, True, True], [False, False, False]])
    with_weights, w = mha(x, x, x, attn_mask=blind)
    assert np.isnan(with_weights[0]).all() and np.isnan(w[0, 0]).all()  # type: ignore[index]
    without, _ = mha(x, x, x, attn_mask=blind, need_weights=False)
    np.testing.assert_allclose(without[0], 0.25)
    assert np.isfinite(without).all()


def test_attention_batch_first_transposes_only() -> None:
    mha = MultiheadAttention(4, 2, rng=0).double()
    gen = np.random.default_rng(4)
    q, kv = gen.standard_normal((5, 2, 4)), gen.standard_normal((3, 2, 4))
    out, w = mha(q, kv, kv)
    mha.batch_first = True
    out_bf, w_bf = mha(q.transpose(1, 0, 2), kv.transpose(1, 0, 2), kv.transpose(1, 0, 2))
    np.testing.assert_allclose(out_bf, out.transpose(1, 0, 2))
    np.testing.assert_allclose(w_bf, w)  # weights are (N, L, S) in both layouts


# -- dtype ---------------------------------------------------------------------------------------
def test_float32_stays_float32_through_the_sequence_layers() -> None:
    gen = np.random.default_rng(5)
    x = gen.standard_normal((4, 2, 3)).astype(np.float32)
    for cls in (RNN, GRU):
        module = cls(3, 4, num_layers=2, bidirectional=True, rng=0)
        output, h_n = module(x)
        grads = module.backward(np.ones_like(output), np.ones_like(h_n))
        assert {output.dtype, h_n.dtype, *(g.dtype for g in grads)} == {np.dtype(np.float32)}
    lstm = LSTM(3, 4, rng=0)
    output, (h_n, c_n) = lstm(x)
    dx, (dh, dc) = lstm.backward(np.ones_like(output), (None, np.ones_like(c_n)))
    assert {output.dtype, h_n.dtype, c_n.dtype, dx.dtype, dh.dtype, dc.dtype} == {
        np.dtype(np.float32)
    }
    mha = MultiheadAttention(4, 2, rng=0)
    q = gen.standard_normal((3, 2, 4)).astype(np.float32)
    out, w = mha(q, q, q, key_padding_mask=np.array([[False, False, True]] * 2))
    assert out.dtype == np.float32 and w is not None and w.dtype == np.float32
    assert all(g.dtype == np.float32 for g in mha.backward(np.ones_like(out), np.ones_like(w)))
    ln = LayerNorm(3)
    assert ln(x).dtype == np.float32 and ln.backward(np.ones_like(x)).dtype == np.float32
    emb = Embedding(5, 3, rng=0)
    assert emb(np.array([1, 2])).dtype == np.float32
    assert all(p.grad.dtype == np.float32 for m in (lstm, mha, ln) for p in m.parameters())
