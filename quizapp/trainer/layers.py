"""Layers: ``Linear``, ``Flatten``, ``Dropout``, ``BatchNorm1d``, ``LayerNorm``, ``Embedding``."""

from __future__ import annotations

import math

import numpy as np

from . import init
from ._types import Array, RNGLike, as_generator
from .grad_mode import NOTHING_SAVED, is_grad_enabled
from .module import Module
from .parameter import Parameter


def reset_affine_parameters(
    weight: Parameter, bias: Parameter | None, rng: np.random.Generator
) -> None:
    """PyTorch's default init of ``Linear`` and ``Conv2d`` (their ``reset_parameters``).

    ``weight``: kaiming_uniform_(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)) since
    gain = sqrt(2 / (1 + 5)) and bound = gain * sqrt(3 / fan_in). ``bias``: U(-1/sqrt(fan_in), +).
    """
    init.kaiming_uniform_(weight, a=math.sqrt(5), rng=rng)
    if bias is not None:
        fan_in = weight.data.size // weight.data.shape[0]
        bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        init.uniform_(bias, -bound, bound, rng=rng)


class Linear(Module):
    """Fully connected layer: ``y = x @ W.T + b`` with ``W`` of shape (out_features, in_features).

    Input (*, in_features) -> output (*, out_features). Backward, with G = dL/dy flattened to
    (N, out): dW += G.T @ x, db += sum_n G, dx = G @ W. Init as PyTorch: W, b ~ U(-k, k),
    k = 1/sqrt(in_features) (``kaiming_uniform_(a=sqrt(5))``). ``rng`` seeds the init.
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, *, rng: RNGLike = None
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(np.empty((out_features, in_features), dtype=np.float32))
        self.bias = Parameter(np.empty(out_features, dtype=np.float32)) if bias else None
        reset_affine_parameters(self.weight, self.bias, as_generator(rng))
        self._x: Array | None = None

    def forward(self, x: Array) -> Array:
        self._x = x if is_grad_enabled() else None
        out = x @ self.weight.data.T
        if self.bias is not None:
            out += self.bias.data
        return out

    def backward(self, grad_out: Array) -> Array:
        x = self._x
        if x is None:
            raise RuntimeError(NOTHING_SAVED)
        g2 = grad_out.reshape(-1, self.out_features)
        x2 = x.reshape(-1, self.in_features)
        self.weight.accumulate(np.matmul, g2.T, x2)
        if self.bias is not None:
            self.bias.accumulate(np.add.reduce, g2, axis=0)
        return (g2 @ self.weight.data).reshape(x.shape)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Flatten(Module):
    """Reshape dims ``start_dim..end_dim`` into one: (N, C, H, W) -> (N, C*H*W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim
        self._shape: tuple[int, ...] = ()

    def forward(self, x: Array) -> Array:
        self._shape = x.shape
        start = self.start_dim % x.ndim
        end = self.end_dim % x.ndim
        return x.reshape(*x.shape[:start], -1, *x.shape[end + 1 :])

    def backward(self, grad_out: Array) -> Array:
        return grad_out.reshape(self._shape)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """Inverted dropout: in training ``y = x * m / (1 - p)`` with m_i ~ Bernoulli(1 - p).

    Each element is zeroed with probability ``p`` and survivors are scaled by 1/(1-p), so
    E[y] = x and evaluation mode is the identity (no rescaling at test time, as in PyTorch).
    Backward: dx = dy * m / (1 - p). ``rng`` seeds the masks.
    """

    def __init__(self, p: float = 0.5, *, rng: RNGLike = None) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.rng = as_generator(rng)
        self._mask: Array | None = None  # None: the identity (evaluation mode, or p = 0)
        self._saved = False  # whether the last forward saved its mask for backward

    def forward(self, x: Array) -> Array:
        self._saved = is_grad_enabled()
        if not self.training or self.p == 0.0:
            self._mask = None
            return x
        if self.p == 1.0:
            mask = np.zeros_like(x)
        else:
            dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.float64
            keep = self.rng.random(x.shape, dtype=dtype) >= self.p
            mask = keep.astype(x.dtype) * (1.0 / (1.0 - self.p))
        self._mask = mask if self._saved else None
        return x * mask

    def backward(self, grad_out: Array) -> Array:
        if not self._saved:
            raise RuntimeError(NOTHING_SAVED)
        return grad_out if self._mask is None else grad_out * self._mask

    def extra_repr(self) -> str:
        return f"p={self.p}"


class BatchNorm1d(Module):
    """Batch normalisation over (N, C) or (N, C, L) inputs, per channel C.

    Training: mu, var = mean and *biased* variance over the batch (and L);
    x_hat = (x - mu) / sqrt(var + eps); y = weight * x_hat + bias;
    running_mean = (1 - momentum) * running_mean + momentum * mu;
    running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)  (*unbiased*).
    Evaluation: x_hat uses running_mean and running_var.

    PyTorch convention: ``momentum=0.1`` weights the *new* batch statistic. Keras writes the same
    update with momentum=0.99 weighting the *old* value (and uses eps=1e-3). ``momentum=None``
    gives a cumulative average (factor 1/num_batches_tracked) as in PyTorch.

    Backward (training), with g = dL/dy and m = n values per channel:
    dx = (weight / (m * sqrt(var + eps))) * (m * g - sum g - x_hat * sum(g * x_hat)),
    dweight += sum(g * x_hat), dbias += sum g. In evaluation mode the statistics are constants:
    dx = g * weight / sqrt(running_var + eps).
    """

    _buffers = ("running_mean", "running_var", "num_batches_tracked")

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
    ) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.weight = Parameter(np.ones(num_features, dtype=np.float32)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=np.float32)) if affine else None
        self.running_mean: Array | None = None
        self.running_var: Array | None = None
        self.num_batches_tracked: Array | None = None
        if track_running_stats:
            self.running_mean = np.zeros(num_features, dtype=np.float32)
            self.running_var = np.ones(num_features, dtype=np.float32)
            self.num_batches_tracked = np.zeros((), dtype=np.int64)
        self._cache: tuple[Array, Array, tuple[int, ...], bool] | None = None

    def reset_running_stats(self) -> None:
        """running_mean = 0, running_var = 1, num_batches_tracked = 0."""
        if self.running_mean is not None and self.running_var is not None:
            self.running_mean.fill(0)
            self.running_var.fill(1)
        if self.num_batches_tracked is not None:
            self.num_batches_tracked[...] = 0

    def _shape(self, x: Array) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(reduction axes, broadcast shape of a per-channel vector) for this input."""
        if x.ndim == 2:
            return (0,), (1, x.shape[1])
        if x.ndim == 3:
            return (0, 2), (1, x.shape[1], 1)
        raise ValueError(f"expected 2D or 3D input (got {x.ndim}D input)")

    def forward(self, x: Array) -> Array:
        axes, bshape = self._shape(x)
        if x.shape[1] != self.num_features:
            raise ValueError(f"expected {self.num_features} channels, got {x.shape[1]}")
        use_batch_stats = self.training or self.running_mean is None
        mean: Array
        var: Array
        if use_batch_stats:
            n = x.size // x.shape[1]
            if self.training and n <= 1:
                raise ValueError("Expected more than 1 value per channel when training")
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)  # biased: divide by n
            if self.training and self.running_mean is not None:
                self._update_running_stats(mean, var, n)
        else:
            assert self.running_mean is not None and self.running_var is not None
            mean, var = self.running_mean, self.running_var
        inv_std: Array = (1.0 / np.sqrt(var + self.eps)).astype(x.dtype, copy=False)
        x_hat: Array = (x - mean.reshape(bshape).astype(x.dtype, copy=False)) * inv_std.reshape(
            bshape
        )
        self._cache = (x_hat, inv_std, axes, use_batch_stats) if is_grad_enabled() else None
        if self.weight is None or self.bias is None:
            return x_hat
        return x_hat * self.weight.data.reshape(bshape) + self.bias.data.reshape(bshape)

    def _update_running_stats(self, mean: Array, var: Array, n: int) -> None:
        assert self.running_mean is not None and self.running_var is not None
        assert self.num_batches_tracked is not None
        self.num_batches_tracked += 1
        # momentum=None: cumulative moving average, factor 1/k for the k-th batch
        factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
        unbiased = var * (n / (n - 1))
        self.running_mean *= 1.0 - factor
        self.running_mean += factor * mean
        self.running_var *= 1.0 - factor
        self.running_var += factor * unbiased

    def backward(self, grad_out: Array) -> Array:
        if self._cache is None:
            raise RuntimeError(NOTHING_SAVED)
        x_hat, inv_std, axes, batch_stats = self._cache
        bshape = [1] * x_hat.ndim
        bshape[1] = x_hat.shape[1]
        if self.weight is not None and self.bias is not None:
            self.weight.grad += (grad_out * x_hat).sum(axis=axes)
            self.bias.grad += grad_out.sum(axis=axes)
            g_hat = grad_out * self.weight.data.reshape(bshape)
        else:
            g_hat = grad_out
        scale = inv_std.reshape(bshape)
        if not batch_stats:
            return g_hat * scale
        mean_g: Array = g_hat.mean(axis=axes).reshape(bshape)
        mean_gx: Array = (g_hat * x_hat).mean(axis=axes).reshape(bshape)
        dx: Array = scale * (g_hat - mean_g - x_hat * mean_gx)
        return dx

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )


class LayerNorm(Module):
    """Layer normalisation over the last ``len(normalized_shape)`` dimensions, per sample:

    mu, var = mean and *biased* variance over those dimensions (no running statistics);
    x_hat = (x - mu) / sqrt(var + eps); y = weight * x_hat + bias, with ``weight`` (ones) and
    ``bias`` (zeros) of shape ``normalized_shape`` (``elementwise_affine=False``: none;
    ``bias=False``: weight only). Training and evaluation compute the same thing.

    Backward, with g_hat = dL/dy * weight and means over the m normalised elements:
    dx = (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)) / sqrt(var + eps),
    dweight += sum over the leading dims of dL/dy * x_hat, dbias += sum of dL/dy.
    """

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape: tuple[int, ...] = tuple(int(n) for n in shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight: Parameter | None = None
        self.bias: Parameter | None = None
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=np.float32))
            if bias:
                self.bias = Parameter(np.zeros(self.normalized_shape, dtype=np.float32))
        self._cache: tuple[Array, Array] | None = None

    def _axes(self, x: Array) -> tuple[int, ...]:
        k = len(self.normalized_shape)
        if x.ndim < k or tuple(x.shape[x.ndim - k :]) != self.normalized_shape:
            raise RuntimeError(
                f"Given normalized_shape={list(self.normalized_shape)}, expected input with "
                f"shape [*, {', '.join(map(str, self.normalized_shape))}], "
                f"but got input of size {list(x.shape)}"
            )
        return tuple(range(x.ndim - k, x.ndim))

    def forward(self, x: Array) -> Array:
        axes = self._axes(x)
        mean = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, keepdims=True)  # biased: divide by m
        inv_std: Array = 1.0 / np.sqrt(var + self.eps)
        x_hat: Array = (x - mean) * inv_std
        self._cache = (x_hat, inv_std) if is_grad_enabled() else None
        if self.weight is None:
            return x_hat
        out: Array = x_hat * self.weight.data
        if self.bias is not None:
            out += self.bias.data
        return out

    def backward(self, grad_out: Array) -> Array:
        if self._cache is None:
            raise RuntimeError(NOTHING_SAVED)
        x_hat, inv_std = self._cache
        axes = tuple(range(x_hat.ndim - len(self.normalized_shape), x_hat.ndim))
        leading = tuple(range(x_hat.ndim - len(self.normalized_shape)))
        g_hat = grad_out
        if self.weight is not None:
            self.weight.grad += (grad_out * x_hat).sum(axis=leading)
            if self.bias is not None:
                self.bias.grad += grad_out.sum(axis=leading)
            g_hat = grad_out * self.weight.data
        mean_g = g_hat.mean(axis=axes, keepdims=True)
        mean_gx = (g_hat * x_hat).mean(axis=axes, keepdims=True)
        dx: Array = inv_std * (g_hat - mean_g - x_hat * mean_gx)
        return dx

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class Embedding(Module):
    """A lookup table: ``y = weight[indices]``, ``weight`` of shape (num_embeddings, embedding_dim).

    Input: integer indices of any shape (*); output (*, embedding_dim). Equivalent to
    one_hot(indices) @ weight, so backward scatters: weight.grad[i] += sum of dL/dy over the
    positions that looked up row i (``np.add.at``, repeated indices add up). Init as PyTorch:
    weight ~ N(0, 1). ``padding_idx``: that row starts at zero and never receives a gradient,
    so it stays what it is (a negative value counts from the end, as in PyTorch). Indices are
    not differentiable: ``backward`` returns ``None`` (PyTorch gives them no gradient either).
    ``rng`` seeds the init.
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        *,
        rng: RNGLike = None,
    ) -> None:
        super().__init__()
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError("Padding_idx must be within num_embeddings")
            padding_idx %= num_embeddings
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_idx
        self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=np.float32))
        init.normal_(self.weight, rng=as_generator(rng))
        if padding_idx is not None:
            self.weight.data[padding_idx] = 0.0
        self._indices: Array | None = None

    def forward(self, x: Array) -> Array:
        indices = np.asarray(x)
        if not np.issubdtype(indices.dtype, np.integer):
            raise TypeError(f"Embedding indices must be integers, got {indices.dtype}")
        if indices.size and (indices.min() < 0 or indices.max() >= self.num_embeddings):
            raise IndexError("index out of range in self")
        self._indices = indices if is_grad_enabled() else None
        out: Array = self.weight.data[indices]
        return out

    # Indices get no gradient, so this returns None where Module.backward returns an array.
    def backward(self, grad_out: Array) -> None:  # type: ignore[override]
        if self._indices is None:
            raise RuntimeError(NOTHING_SAVED)
        rows = self._indices.reshape(-1)
        grads = grad_out.reshape(-1, self.embedding_dim)
        if self.padding_idx is not None:
            keep = rows != self.padding_idx
            rows, grads = rows[keep], grads[keep]
        np.add.at(self.weight.grad, rows, grads)

    def extra_repr(self) -> str:
        padding = f", padding_idx={self.padding_idx}" if self.padding_idx is not None else ""
        return f"{self.num_embeddings}, {self.embedding_dim}{padding}"
