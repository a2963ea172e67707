"""Write the PyTorch reference fixtures for the trainer's sequence layers (``*.npz`` here).

Generated with PyTorch 2.13.0 (CPU) and NumPy 2.4, from the repository root:

    python3 -m venv /work/wt/torchvenv
    /work/wt/torchvenv/bin/pip install torch==2.13.0 numpy
    /work/wt/torchvenv/bin/python tests/reference/make_torch_sequence_fixtures.py

Only this script imports torch; the tests (tests/unit/trainer/test_trainer_torch_reference.py)
read the files with NumPy alone. Each case builds one layer in torch with a fixed seed, in
float64 unless named ``*_float32``, runs forward on fixed inputs, then backward of
L = sum_k <output_k, upstream_k> (fixed random upstream gradients), and stores:

    config               JSON: layer class, constructor kwargs, forward kwargs, torch version
    state.<key>          the layer's state_dict
    in.<name>            forward inputs (input, h0, c0, query, key, value, masks)
    out.<name>           outputs (output, h_n, c_n, attn_output, attn_weights)
    upstream.<name>      dL/d out.<name>
    grad.<name>          dL/d in.<name>, and grad.state.<key> for every parameter

Self-attention cases pass one tensor as query, key and value and store it as ``in.query``.
Rerunning the script gives the same values (fixed seeds, deterministic CPU kernels).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

OUT_DIR = Path(__file__).resolve().parent

Arrays = dict[str, np.ndarray]


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


def _randomise(module: nn.Module, names: tuple[str, ...], scale: float = 0.5) -> None:
    """Replace default constants (ones, zeros) by random values so that they are tested."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name in names:
                p.copy_(scale * torch.randn_like(p))


def _finish(
    module: nn.Module,
    inputs: dict[str, torch.Tensor],
    outputs: dict[str, torch.Tensor | None],
    config: dict[str, Any],
    *,
    loss_outputs: tuple[str, ...] | None = None,
) -> Arrays:
    """Backward of sum <out, upstream> over ``loss_outputs`` (default: all); collect arrays."""
    arrays: Arrays = {}
    gen = torch.Generator().manual_seed(1234)
    loss = torch.zeros((), dtype=torch.float64)
    for name, out in outputs.items():
        if out is None:
            continue
        arrays[f"out.{name}"] = _np(out)
        if loss_outputs is None or name in loss_outputs:
            upstream = torch.randn(out.shape, generator=gen, dtype=torch.float64).to(out.dtype)
            loss = loss + (out * upstream).sum()
            arrays[f"upstream.{name}"] = _np(upstream)
    loss.backward()
    for name, t in inputs.items():
        arrays[f"in.{name}"] = _np(t)
        if t.grad is not None:
            arrays[f"grad.{name}"] = _np(t.grad)
    for key, value in module.state_dict().items():
        arrays[f"state.{key}"] = _np(value)
    for key, p in module.named_parameters():
        assert p.grad is not None, key
        arrays[f"grad.state.{key}"] = _np(p.grad)
    config["torch"] = torch.__version__
    arrays["config"] = np.array(json.dumps(config, sort_keys=True))
    return arrays


def _tensor(shape: tuple[int, ...], dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return torch.randn(shape, dtype=dtype).requires_grad_(True)


# -- cases ---------------------------------------------------------------------------------------
def embedding_padding() -> Arrays:
    kwargs = {"num_embeddings": 7, "embedding_dim": 3, "padding_idx": 2}
    emb = nn.Embedding(**kwargs).double()
    # repeated indices (their gradients add up) and the padding index (no gradient)
    idx = torch.tensor([[0, 2, 5, 5], [2, 6, 0, 1]])
    out = emb(idx)
    return _finish(emb, {"input": idx}, {"output": out}, {"layer": "Embedding", "kwargs": kwargs})


def _layernorm(kwargs: dict[str, Any], shape: tuple[int, ...]) -> Arrays:
    ln = nn.LayerNorm(**kwargs).double()
    _randomise(ln, ("weight", "bias"))
    x = _tensor(shape)
    return _finish(ln, {"input": x}, {"output": ln(x)}, {"layer": "LayerNorm", "kwargs": kwargs})


def layernorm_affine() -> Arrays:
    return _layernorm({"normalized_shape": [3, 4]}, (2, 3, 4))


def layernorm_no_affine() -> Arrays:
    return _layernorm({"normalized_shape": 5, "elementwise_affine": False}, (2, 3, 5))


def _recurrent(
    layer: str,
    kwargs: dict[str, Any],
    shape: tuple[int, ...],
    *,
    with_hx: bool,
    state_grads: bool = True,
    dtype: torch.dtype = torch.float64,
) -> Arrays:
    module = getattr(nn, layer)(**kwargs).to(dtype)
    x = _tensor(shape, dtype)
    directions = 2 if kwargs.get("bidirectional") else 1
    rows = kwargs.get("num_layers", 1) * directions
    batch: tuple[int, ...] = ()
    if x.dim() == 3:
        batch = (x.shape[0] if kwargs.get("batch_first") else x.shape[1],)
    state_shape = (rows, *batch, kwargs["hidden_size"])
    inputs = {"input": x}
    if with_hx:
        inputs["h0"] = _tensor(state_shape, dtype)
        if layer == "LSTM":
            inputs["c0"] = _tensor(state_shape, dtype)
    if layer == "LSTM":
        hx = (inputs["h0"], inputs["c0"]) if with_hx else None
        output, (h_n, c_n) = module(x, hx)
        outputs = {"output": output, "h_n": h_n, "c_n": c_n}
    else:
        output, h_n = module(x, inputs.get("h0"))
        outputs = {"output": output, "h_n": h_n}
    # state_grads=False: only the output reaches the loss, so backward gets grad_h_n=None
    return _finish(
        module,
        inputs,
        dict(outputs),
        {"layer": layer, "kwargs": kwargs},
        loss_outputs=None if state_grads else ("output",),
    )


def rnn_tanh_2layer() -> Arrays:
    return _recurrent(
        "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, (5, 2, 3), with_hx=True
    )


def rnn_relu_bidirectional_batch_first() -> Arrays:
    kwargs = {
        "input_size": 3,
        "hidden_size": 4,
        "nonlinearity": "relu",
        "bidirectional": True,
        "batch_first": True,
    }
    return _recurrent("RNN", kwargs, (2, 5, 3), with_hx=False)


def lstm_2layer_bidirectional() -> Arrays:
    kwargs = {"input_size": 2, "hidden_size": 3, "num_layers": 2, "bidirectional": True}
    return _recurrent("LSTM", kwargs, (3, 2, 2), with_hx=True)


def lstm_batch_first_no_bias() -> Arrays:
    kwargs = {"input_size": 3, "hidden_size": 4, "bias": False, "batch_first": True}
    return _recurrent("LSTM", kwargs, (2, 5, 3), with_hx=False, state_grads=False)


def lstm_unbatched() -> Arrays:
    return _recurrent("LSTM", {"input_size": 3, "hidden_size": 4}, (5, 3), with_hx=True)


def lstm_float32() -> Arrays:
    return _recurrent(
        "LSTM", {"input_size": 3, "hidden_size": 4}, (5, 2, 3), with_hx=True, dtype=torch.float32
    )


def gru_2layer_batch_first() -> Arrays:
    kwargs = {"input_size": 2, "hidden_size": 3, "num_layers": 2, "batch_first": True}
    return _recurrent("GRU", kwargs, (2, 4, 2), with_hx=True)


def gru_bidirectional() -> Arrays:
    kwargs = {"input_size": 2, "hidden_size": 3, "bidirectional": True}
    return _recurrent("GRU", kwargs, (4, 2, 2), with_hx=False)


def _attention(
    kwargs: dict[str, Any],
    inputs: dict[str, torch.Tensor],
    call: dict[str, Any],
    masks: dict[str, torch.Tensor],
) -> Arrays:
    mha = nn.MultiheadAttention(**kwargs).double()
    _randomise(mha, ("in_proj_bias", "out_proj.bias"))  # torch initialises both to zero
    query = inputs["query"]
    key = inputs.get("key", query)
    value = inputs.get("value", query)
    out, weights = mha(query, key, value, **masks, **call)
    config = {
        "layer": "MultiheadAttention",
        "kwargs": kwargs,
        "call": call,
        "self_attention": "key" not in inputs,
    }
    return _finish(mha, {**inputs, **masks}, {"attn_output": out, "attn_weights": weights}, config)


def mha_self_attention_masks() -> Arrays:
    length, batch = 5, 2
    causal = torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)
    padding = torch.tensor([[False] * 5, [False, False, False, True, True]])
    return _attention(
        {"embed_dim": 4, "num_heads": 2},
        {"query": _tensor((length, batch, 4))},
        {},
        {"attn_mask": causal, "key_padding_mask": padding},
    )


def mha_cross_attention_batch_first() -> Arrays:
    batch, heads, tgt, src = 2, 2, 4, 3
    return _attention(
        {"embed_dim": 4, "num_heads": heads, "batch_first": True},
        {
            "query": _tensor((batch, tgt, 4)),
            "key": _tensor((batch, src, 4)),
            "value": _tensor((batch, src, 4)),
        },
        {"average_attn_weights": False},
        {
            "attn_mask": torch.randn(batch * heads, tgt, src, dtype=torch.float64),
            "key_padding_mask": torch.tensor(
                [[0.0, 0.0, -1.5], [0.0, -0.5, 0.0]], dtype=torch.float64
            ),
        },
    )


def mha_unbatched_causal_hint_no_bias() -> Arrays:
    length = 5
    causal = torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)
    # need_weights=False: torch goes through scaled_dot_product_attention with is_causal=True
    return _attention(
        {"embed_dim": 6, "num_heads": 3, "bias": False},
        {"query": _tensor((length, 6))},
        {"need_weights": False, "is_causal": True},
        {"attn_mask": causal},
    )


CASES: list[Callable[[], Arrays]] = [
    embedding_padding,
    layernorm_affine,
    layernorm_no_affine,
    rnn_tanh_2layer,
    rnn_relu_bidirectional_batch_first,
    lstm_2layer_bidirectional,
    lstm_batch_first_no_bias,
    lstm_unbatched,
    lstm_float32,
    gru_2layer_batch_first,
    gru_bidirectional,
    mha_self_attention_masks,
    mha_cross_attention_batch_first,
    mha_unbatched_causal_hint_no_bias,
]


def main() -> None:
    torch.use_deterministic_algorithms(True)
    for case in CASES:
        torch.manual_seed(0)
        arrays = case()
        path = OUT_DIR / f"torch_{case.__name__}.npz"
        np.savez_compressed(path, **arrays)
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
