"""``MultiheadAttention``: scaled dot-product attention over several heads, as ``torch.nn``.

With E = embed_dim, h = num_heads and d = E / h, for query (L, N, E) and key, value (S, N, E):

    Q = query W_q^T + b_q,  K = key W_k^T + b_k,  V = value W_v^T + b_v
        (W_q, W_k, W_v are the three row blocks of ``in_proj_weight``, 3E x E)
    per head:  A = softmax(Q K^T / sqrt(d) + M) V,  M = attn_mask + key_padding_mask
    output = concat(A over heads) W_o^T + b_o       (``out_proj``, a ``Linear``)

Boolean masks mean "True = may not attend" and become -inf; float masks are added as they are.

Backward, with P the softmax and G = dL/dA: dP = G V^T, dV = P^T G,
dS = P * (dP - sum_j(dP * P)) (softmax backward, row by row), dQ = dS K / sqrt(d),
dK = dS^T Q / sqrt(d); then through the three projections. Masked entries have P = 0 and so
get no gradient.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import init
from ._types import Array, RNGLike, as_generator
from .grad_mode import NOTHING_SAVED, is_grad_enabled
from .layers import Linear
from .losses import softmax
from .module import Module
from .parameter import Parameter


def _float_mask(mask: Array | None, name: str, dtype: np.dtype[Any]) -> Array | None:
    """Boolean masks become 0 / -inf (True = masked out); float masks are used as given."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype == np.bool_:
        return np.where(mask, -np.inf, 0.0).astype(dtype)
    if not np.issubdtype(mask.dtype, np.floating):
        raise TypeError(f"only bool and floating types of {name} are supported")
    return mask


class MultiheadAttention(Module):
    """Multi-head attention: softmax(Q K^T / sqrt(d) + mask) V per head, then ``out_proj``.

    ``MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False,
    *, rng=None)``. Parameters, named as PyTorch's state_dict: ``in_proj_weight`` (3E, E),
    xavier_uniform_; ``in_proj_bias`` (3E,), zeros; ``out_proj.weight`` (E, E), a ``Linear``'s
    default init U(±1/sqrt(E)) (PyTorch does not re-initialise it); ``out_proj.bias`` zeros.

    ``forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)`` returns (attn_output, attn_weights):
    attn_output (L, N, E), or (N, L, E) with ``batch_first``, or (L, E) unbatched;
    attn_weights (N, L, S) averaged over heads, (N, h, L, S) with
    ``average_attn_weights=False``, or None with ``need_weights=False``. Masks:
    ``key_padding_mask`` (N, S), ``attn_mask`` (L, S) or (N * h, L, S). ``is_causal`` is only a
    hint, as in PyTorch: it requires ``attn_mask``, and is used in its place (a lower
    triangular mask) only when there is no key_padding_mask and need_weights is False.
    ``dropout`` drops attention weights in training (masks drawn from ``rng``); the returned
    weights are those after dropout, as PyTorch's.

    ``backward(grad_attn_output, grad_attn_weights=None)`` returns (grad_query, grad_key,
    grad_value). For self-attention (query is key is value) dL/dx is their sum.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        batch_first: bool = False,
        *,
        rng: RNGLike = None,
    ) -> None:
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} "
                f"and num_heads={num_heads} instead"
            )
        if embed_dim % num_heads != 0:
            raise ValueError("embed_dim must be divisible by num_heads")
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        gen = as_generator(rng)
        self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype=np.float32))
        self.in_proj_bias = Parameter(np.zeros(3 * embed_dim, dtype=np.float32)) if bias else None
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, rng=gen)
        init.xavier_uniform_(self.in_proj_weight, rng=gen)
        if self.out_proj.bias is not None:
            init.zeros_(self.out_proj.bias)
        self.rng = gen  # then the dropout masks
        self._cache: dict[str, Any] | None = None

    # -- layout ------------------------------------------------------------------------------
    def _to_time_major(self, x: Array, batched: bool) -> Array:
        if not batched:
            return x[:, None, :]
        return x.transpose(1, 0, 2) if self.batch_first else x

    def _from_time_major(self, x: Array, batched: bool) -> Array:
        if not batched:
            return x[:, 0]
        return x.transpose(1, 0, 2) if self.batch_first else x

    def _split_heads(self, x: Array) -> Array:
        """(T, N, E) -> (N, h, T, d)."""
        t, n, _ = x.shape
        return x.reshape(t, n, self.num_heads, self.head_dim).transpose(1, 2, 0, 3)

    def _merge_heads(self, x: Array) -> Array:
        """(N, h, T, d) -> (T, N, E)."""
        n, _, t, _ = x.shape
        return x.transpose(2, 0, 1, 3).reshape(t, n, self.embed_dim)

    def _blocks(self, p: Parameter | None) -> list[Array | None]:
        """The q, k, v blocks of ``in_proj_weight`` or ``in_proj_bias`` (views)."""
        if p is None:
            return [None, None, None]
        e = self.embed_dim
        return [p.data[:e], p.data[e : 2 * e], p.data[2 * e :]]

    # -- forward -----------------------------------------------------------------------------
    def _mask(
        self,
        key_padding_mask: Array | None,
        attn_mask: Array | None,
        need_weights: bool,
        is_causal: bool,
        shape: tuple[int, int, int, int],
        dtype: np.dtype[Any],
    ) -> Array | None:
        """The additive mask M, broadcastable to the scores (N, h, L, S), or None."""
        n, h, tgt, src = shape
        kpm = _float_mask(key_padding_mask, "key_padding_mask", dtype)
        if is_causal and attn_mask is None:
            raise RuntimeError(
                "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
                "module method `generate_square_subsequent_mask` to create this mask."
            )
        mask: Array | None
        if is_causal and kpm is None and not need_weights:
            # PyTorch then ignores attn_mask and lets scaled_dot_product_attention build
            # the causal mask itself (the hint is trusted).
            mask = np.where(np.tri(tgt, src, dtype=bool), 0.0, -np.inf).astype(dtype)
        else:
            mask = _float_mask(attn_mask, "attn_mask", dtype)
            if mask is not None:
                if mask.ndim == 2 and mask.shape != (tgt, src):
                    raise RuntimeError(
                        f"The shape of the 2D attn_mask is {mask.shape}, but should be "
                        f"{(tgt, src)}."
                    )
                if mask.ndim == 3:
                    if mask.shape != (n * h, tgt, src):
                        raise RuntimeError(
                            f"The shape of the 3D attn_mask is {mask.shape}, but should be "
                            f"{(n * h, tgt, src)}."
                        )
                    mask = mask.reshape(n, h, tgt, src)
                elif mask.ndim != 2:
                    raise RuntimeError(f"attn_mask's dimension {mask.ndim} is not supported")
        if kpm is not None:
            if kpm.shape != (n, src):
                raise RuntimeError(
                    f"expected key_padding_mask of shape {(n, src)}, got {kpm.shape}"
                )
            kpm = kpm[:, None, None, :]
            mask = kpm if mask is None else mask + kpm
        return mask

    def forward(  # type: ignore[override]
        self,
        query: Array,
        key: Array,
        value: Array,
        key_padding_mask: Array | None = None,
        need_weights: bool = True,
        attn_mask: Array | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Array, Array | None]:
        """Return (attn_output, attn_weights); see the class docstring for shapes."""
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.shape != key.shape:
            raise ValueError(
                f"query, key and value must all be 2D (unbatched) or 3D, with key and value "
                f"of the same shape; got {query.shape}, {key.shape}, {value.shape}"
            )
        if query.shape[-1] != self.embed_dim:
            raise ValueError(
                f"was expecting embedding dimension of {self.embed_dim}, but got {query.shape[-1]}"
            )
        batched = query.ndim == 3
        if not batched and key_padding_mask is not None:
            key_padding_mask = np.asarray(key_padding_mask)[None]
        q_in, k_in, v_in = (self._to_time_major(x, batched) for x in (query, key, value))
        w_q, w_k, w_v = self._blocks(self.in_proj_weight)
        b_q, b_k, b_v = self._blocks(self.in_proj_bias)
        projected = []
        for x, w, b in ((q_in, w_q, b_q), (k_in, w_k, b_k), (v_in, w_v, b_v)):
            assert w is not None
            y = x @ w.T
            if b is not None:
                y += b
            projected.append(self._split_heads(y))
        scale = 1.0 / math.sqrt(self.head_dim)
        q_scaled, k, v = projected[0] * scale, projected[1], projected[2]
        scores = q_scaled @ k.transpose(0, 1, 3, 2)  # (N, h, L, S)
        mask = self._mask(
            key_padding_mask, attn_mask, need_weights, is_causal, scores.shape, scores.dtype
        )
        if mask is not None:
            scores = scores + mask
        with np.errstate(invalid="ignore"):  # a fully masked row gives NaN, as in PyTorch
            p = softmax(scores, axis=-1)
        if not need_weights:
            # scaled_dot_product_attention's safe softmax: fully masked rows attend to nothing.
            p = np.where(np.isneginf(scores).all(axis=-1, keepdims=True), 0.0, p)
        drop: Array | None = None
        p_used = p
        if self.training and self.dropout > 0:
            if self.dropout >= 1.0:
                drop = np.zeros_like(p)
            else:
                keep = self.rng.random(p.shape) >= self.dropout
                drop = (keep * (1.0 / (1.0 - self.dropout))).astype(p.dtype)
            p_used = p * drop
        heads = p_used @ v  # (N, h, L, d)
        out = self.out_proj.forward(self._merge_heads(heads))
        self._cache = None if not is_grad_enabled() else {
            "inputs": (q_in, k_in, v_in),
            "qkv": (q_scaled, k, v),
            "p": p,
            "p_used": p_used,
            "drop": drop,
            "batched": batched,
            "average": average_attn_weights,
        }
        weights: Array | None = None
        if need_weights:
            weights = p_used.mean(axis=1) if average_attn_weights else p_used
            if not batched:
                weights = weights[0]
        return self._from_time_major(out, batched), weights

    def __call__(  # type: ignore[override]
        self,
        query: Array,
        key: Array,
        value: Array,
        key_padding_mask: Array | None = None,
        need_weights: bool = True,
        attn_mask: Array | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Array, Array | None]:
        return self.forward(
            query,
            key,
            value,
            key_padding_mask,
            need_weights,
            attn_mask,
            average_attn_weights,
            is_causal,
        )

    # -- backward ----------------------------------------------------------------------------
    def backward(  # type: ignore[override]
        self, grad_attn_output: Array, grad_attn_weights: Array | None = None
    ) -> tuple[Array, Array, Array]:
        """Given dL/d attn_output (and dL/d attn_weights): (dL/dquery, dL/dkey, dL/dvalue)."""
        if self._cache is None:
            raise RuntimeError(NOTHING_SAVED)
        c = self._cache
        batched: bool = c["batched"]
        q_scaled, k, v = c["qkv"]
        p, p_used, drop = c["p"], c["p_used"], c["drop"]
        d_heads = self._split_heads(
            self.out_proj.backward(self._to_time_major(grad_attn_output, batched))
        )
        d_p_used = d_heads @ v.transpose(0, 1, 3, 2)  # (N, h, L, S)
        if grad_attn_weights is not None:
            gw = grad_attn_weights if batched else grad_attn_weights[None]
            # the mean over heads spreads its gradient evenly: 1/h to each head
            d_p_used = d_p_used + (gw[:, None] / self.num_heads if c["average"] else gw)
        d_v = p_used.transpose(0, 1, 3, 2) @ d_heads
        d_p = d_p_used if drop is None else d_p_used * drop
        d_scores = p * (d_p - (d_p * p).sum(axis=-1, keepdims=True))
        scale = 1.0 / math.sqrt(self.head_dim)
        d_q = d_scores @ k * scale
        d_k = d_scores.transpose(0, 1, 3, 2) @ q_scaled
        grads = []
        w_blocks = self._blocks(self.in_proj_weight)
        gw_blocks = np.split(self.in_proj_weight.grad, 3)
        gb_blocks: list[Array | None] = [None, None, None]
        if self.in_proj_bias is not None:
            gb_blocks = [*np.split(self.in_proj_bias.grad, 3)]
        for d_heads_x, x, w, gw_block, gb_block in zip(
            (d_q, d_k, d_v), c["inputs"], w_blocks, gw_blocks, gb_blocks, strict=True
        ):
            assert w is not None
            d_y = self._merge_heads(d_heads_x)  # (T, N, E)
            gw_block += d_y.reshape(-1, self.embed_dim).T @ x.reshape(-1, self.embed_dim)
            if gb_block is not None:
                gb_block += d_y.sum(axis=(0, 1))
            grads.append(self._from_time_major(d_y @ w, batched))
        return grads[0], grads[1], grads[2]

    def extra_repr(self) -> str:
        return (
            f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}, "
            f"batch_first={self.batch_first}"
        )
