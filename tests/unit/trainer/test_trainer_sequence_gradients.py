"""Backward of the sequence layers against central differences, in float64 (rel. error < 1e-6).

Every input, initial state and parameter is checked, through masks, padding_idx, several
layers, both directions and batch_first. The recurrent layers and attention return several
outputs, so the scalar checked is L = sum_k <output_k, G_k> with fixed random G_k, and the
G_k are passed to ``backward`` as the upstream gradients.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from quizapp.trainer import (
    GRU,
    LSTM,
    RNN,
    Embedding,
    LayerNorm,
    Module,
    MultiheadAttention,
    gradcheck,
    numerical_gradient,
    rel_error,
)

TOL = 1e-6


def check_vjp(
    module: Module,
    forward: Callable[[], Sequence[np.ndarray | None]],
    backward: Callable[[list[np.ndarray | None]], Sequence[np.ndarray]],
    inputs: Sequence[np.ndarray],
    seed: int = 0,
) -> dict[str, float]:
    """Relative errors of ``backward`` (one gradient per array in ``inputs``) and of every
    parameter gradient, against numerical gradients of sum_k <forward()[k], G_k>."""
    gen = np.random.default_rng(seed)
    upstream = [None if y is None else gen.standard_normal(y.shape) for y in forward()]

    def objective() -> float:
        return sum(
            float(np.vdot(y, g)) for y, g in zip(forward(), upstream, strict=True) if g is not None
        )

    module.zero_grad()
    forward()
    analytic = backward(upstream)
    errors = {
        f"input{i}": rel_error(grad, numerical_gradient(objective, x))
        for i, (x, grad) in enumerate(zip(inputs, analytic, strict=True))
    }
    for name, p in module.named_parameters():
        errors[name] = rel_error(p.grad, numerical_gradient(objective, p.data))
    return errors


def assert_small(errors: dict[str, float], what: str) -> None:
    bad = {name: f"{err:.1e}" for name, err in errors.items() if not err < TOL}
    assert not bad, f"{what}: relative errors {bad}"


# -- Embedding and LayerNorm ---------------------------------------------------------------------
@pytest.mark.parametrize("padding_idx", [None, 1, -1])
def test_embedding_backward_with_repeated_indices_and_padding(padding_idx: int | None) -> None:
    emb = Embedding(5, 3, padding_idx=padding_idx, rng=0).double()
    indices = np.array([[0, 1, 4, 1], [3, 0, 0, 4]])  # 0, 1 and 4 are looked up twice
    upstream = np.random.default_rng(0).standard_normal((2, 4, 3))
    emb(indices)
    assert emb.backward(upstream) is None  # integer indices get no gradient
    expected = numerical_gradient(lambda: float(np.vdot(emb(indices), upstream)), emb.weight.data)
    if padding_idx is not None:
        # The padding row is used by forward, but PyTorch gives it no gradient, on purpose.
        assert expected[padding_idx].any()
        expected[padding_idx] = 0.0
    assert rel_error(emb.weight.grad, expected) < TOL


@pytest.mark.parametrize(
    "layer",
    [
        LayerNorm((3, 4)),
        LayerNorm(4),
        LayerNorm(4, elementwise_affine=False),
        LayerNorm(4, bias=False),
    ],
    ids=repr,
)
def test_layernorm_backward(layer: LayerNorm) -> None:
    layer.double()
    gen = np.random.default_rng(1)
    for p in layer.parameters():  # away from the ones/zeros init, so each term matters
        p.data[...] = gen.standard_normal(p.shape)
    errors = gradcheck(layer, gen.standard_normal((2, 3, 4)))
    assert_small(errors, repr(layer))


# -- RNN, LSTM, GRU ------------------------------------------------------------------------------
RECURRENT_CONFIGS = [
    {},
    {"num_layers": 2, "bidirectional": True, "batch_first": True},
    {"num_layers": 3, "bias": False},
    {"bidirectional": True, "unbatched": True},
]


def recurrent_case(
    cls: type[RNN | LSTM | GRU], config: dict[str, bool | int], extra: dict[str, str]
) -> None:
    kwargs = {k: v for k, v in config.items() if k != "unbatched"}
    module = cls(3, 4, **kwargs, **extra, rng=0).double()
    gen = np.random.default_rng(2)
    length, batch = 4, 2
    if config.get("unbatched"):
        x, batch_dims = gen.standard_normal((length, 3)), ()
    elif config.get("batch_first"):
        x, batch_dims = gen.standard_normal((batch, length, 3)), (batch,)
    else:
        x, batch_dims = gen.standard_normal((length, batch, 3)), (batch,)
    rows = int(config.get("num_layers", 1)) * (2 if config.get("bidirectional") else 1)
    h0 = gen.standard_normal((rows, *batch_dims, 4))
    c0 = gen.standard_normal((rows, *batch_dims, 4))

    if isinstance(module, LSTM):
        lstm = module

        def forward() -> list[np.ndarray | None]:
            output, (h_n, c_n) = lstm(x, (h0, c0))
            return [output, h_n, c_n]

        def backward(g: list[np.ndarray | None]) -> list[np.ndarray]:
            dx, (dh0, dc0) = lstm.backward(g[0], (g[1], g[2]))
            return [dx, dh0, dc0]

        inputs = [x, h0, c0]
    else:
        rnn = module

        def forward() -> list[np.ndarray | None]:
            return list(rnn(x, h0))

        def backward(g: list[np.ndarray | None]) -> list[np.ndarray]:
            return list(rnn.backward(g[0], g[1]))

        inputs = [x, h0]
    assert_small(check_vjp(module, forward, backward, inputs), f"{module!r} {config}")


@pytest.mark.parametrize("config", RECURRENT_CONFIGS, ids=str)
@pytest.mark.parametrize(
    ("cls", "extra"),
    [(RNN, {}), (RNN, {"nonlinearity": "relu"}), (LSTM, {}), (GRU, {})],
    ids=["RNN-tanh", "RNN-relu", "LSTM", "GRU"],
)
def test_recurrent_backward_through_time(
    cls: type[RNN | LSTM | GRU], extra: dict[str, str], config: dict[str, bool | int]
) -> None:
    recurrent_case(cls, config, extra)


@pytest.mark.parametrize("cls", [RNN, GRU, LSTM])
def test_recurrent_backward_without_state_gradients(cls: type[RNN | LSTM | GRU]) -> None:
    # Only the output reaches the loss: backward(grad_output) alone, hx defaults to zeros.
    module = cls(2, 3, num_layers=2, rng=0).double()
    x = np.random.default_rng(3).standard_normal((5, 2, 2))
    errors = check_vjp(
        module,
        lambda: [module(x)[0]],
        lambda g: [module.backward(g[0])[0]],
        [x],
    )
    assert_small(errors, repr(module))


def test_dropout_between_recurrent_layers_backward_with_fixed_masks() -> None:
    # Reseeding before every forward fixes the dropout masks, which makes them constants.
    lstm = LSTM(2, 3, num_layers=3, dropout=0.4, bidirectional=True, rng=0).double()
    x = np.random.default_rng(4).standard_normal((4, 2, 2))

    def forward() -> list[np.ndarray | None]:
        lstm.rng = np.random.default_rng(5)
        output, (h_n, c_n) = lstm(x)
        return [output, h_n, c_n]

    def backward(g: list[np.ndarray | None]) -> list[np.ndarray]:
        return [lstm.backward(g[0], (g[1], g[2]))[0]]

    assert_small(check_vjp(lstm, forward, backward, [x]), "LSTM with dropout")


# -- MultiheadAttention --------------------------------------------------------------------------
def attention_check(
    mha: MultiheadAttention,
    query: np.ndarray,
    key: np.ndarray | None = None,
    value: np.ndarray | None = None,
    **options: object,
) -> dict[str, float]:
    """Self-attention when key is None (dL/dx = dq + dk + dv), else three separate inputs."""
    mha.double()
    gen = np.random.default_rng(6)
    for p in mha.parameters():  # nonzero biases, so their gradients are exercised too
        p.data[...] = 0.5 * gen.standard_normal(p.shape)

    def forward() -> list[np.ndarray | None]:
        if key is None:
            return list(mha(query, query, query, **options))
        assert value is not None
        return list(mha(query, key, value, **options))

    def backward(g: list[np.ndarray | None]) -> list[np.ndarray]:
        assert g[0] is not None
        dq, dk, dv = mha.backward(g[0], g[1])
        return [dq + dk + dv] if key is None else [dq, dk, dv]

    inputs = [query] if key is None else [query, key, value]
    return check_vjp(mha, forward, backward, inputs)


def test_self_attention_backward_with_padding_and_causal_masks() -> None:
    x = np.random.default_rng(7).standard_normal((5, 2, 4))  # (L, N, E)
    causal = np.triu(np.ones((5, 5), dtype=bool), k=1)
    padding = np.array([[False] * 5, [False, False, False, True, True]])
    errors = attention_check(
        MultiheadAttention(4, 2, rng=0), x, key_padding_mask=padding, attn_mask=causal
    )
    assert_small(errors, "self-attention with masks")


def test_cross_attention_backward_batch_first_float_masks_per_head_weights() -> None:
    gen = np.random.default_rng(8)
    query, key, value = (gen.standard_normal(s) for s in [(2, 4, 6), (2, 3, 6), (2, 3, 6)])
    errors = attention_check(
        MultiheadAttention(6, 3, batch_first=True, rng=0),
        query,
        key,
        value,
        attn_mask=gen.standard_normal((2 * 3, 4, 3)),  # (N * h, L, S), added to the scores
        key_padding_mask=np.array([[0.0, -1.0, 0.0], [0.0, 0.0, -2.0]]),
        average_attn_weights=False,
    )
    assert_small(errors, "cross-attention")


def test_attention_backward_unbatched_no_bias_without_weights() -> None:
    x = np.random.default_rng(9).standard_normal((4, 4))  # (L, E)
    causal = np.triu(np.ones((4, 4), dtype=bool), k=1)
    errors = attention_check(
        MultiheadAttention(4, 1, bias=False, rng=0),
        x,
        attn_mask=causal,
        is_causal=True,
        need_weights=False,
    )
    assert_small(errors, "unbatched attention")


def test_attention_dropout_backward_with_a_fixed_mask() -> None:
    mha = MultiheadAttention(4, 2, dropout=0.3, rng=0)
    x = np.random.default_rng(10).standard_normal((3, 2, 4))
    forward_with_fixed_mask = mha.forward

    def reseeded(*args: object, **kwargs: object) -> tuple[np.ndarray, np.ndarray | None]:
        mha.rng = np.random.default_rng(11)
        return forward_with_fixed_mask(*args, **kwargs)

    mha.forward = reseeded
    assert_small(attention_check(mha, x), "attention with dropout")
