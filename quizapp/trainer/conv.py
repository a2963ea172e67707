"""``Conv2d`` and ``MaxPool2d`` on (N, C, H, W) arrays, via im2col.

im2col turns every receptive field into a column, so a convolution becomes one matrix product:
``cols`` has shape (C * kh * kw, N * H_out * W_out) and ``out = W.reshape(C_out, -1) @ cols``.
Its backward is two more products plus col2im, which adds each column's gradient back onto the
pixels it was copied from. Output size: H_out = (H + 2 * padding - kh) // stride + 1.

``cols`` is filled one kernel offset (p, q) at a time: row block (c, p, q) is the strided slice
x_pad[:, c, p::s, q::s], copied whole (Caffe's layout). Gathering the receptive fields into
rows instead (a transpose of a 6-D window view, then a reshape) copied element by element with
scattered strides, and was most of a small CNN's step.
"""

from __future__ import annotations

import numpy as np

from ._types import Array, RNGLike, as_generator
from .grad_mode import NOTHING_SAVED, is_grad_enabled
from .layers import reset_affine_parameters
from .module import Module
from .parameter import Parameter


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def _pad(x: Array, padding: tuple[int, int], value: float = 0.0) -> Array:
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def _out_size(size: int, kernel: int, stride: int) -> int:
    return (size - kernel) // stride + 1


def _offset(xp: Array, p: int, q: int, out: tuple[int, int], stride: tuple[int, int]) -> Array:
    """The (N, C, H_out, W_out) view of ``xp`` seen at kernel offset (p, q)."""
    (h_out, w_out), (sh, sw) = out, stride
    return xp[:, :, p : p + sh * (h_out - 1) + 1 : sh, q : q + sw * (w_out - 1) + 1 : sw]


def _im2col(xp: Array, kernel: tuple[int, int], stride: tuple[int, int]) -> Array:
    """Columns (C, kh, kw, N, H_out, W_out) of a padded input: cols[c, p, q, n, i, j] =
    xp[n, c, s*i + p, s*j + q]."""
    n, c, hp, wp = xp.shape
    out = (_out_size(hp, kernel[0], stride[0]), _out_size(wp, kernel[1], stride[1]))
    cols = np.empty((c, *kernel, n, *out), dtype=xp.dtype)
    for p in range(kernel[0]):
        for q in range(kernel[1]):
            cols[:, p, q] = _offset(xp, p, q, out, stride).transpose(1, 0, 2, 3)
    return cols


def _col2im_add(dxp: Array, dcols: Array, kernel: tuple[int, int], stride: tuple[int, int]) -> None:
    """Add column gradients (C, kh, kw, N, H_out, W_out) back onto ``dxp`` (N, C, Hp, Wp)."""
    out = dcols.shape[4:6]
    for p in range(kernel[0]):
        for q in range(kernel[1]):
            _offset(dxp, p, q, out, stride)[...] += dcols[:, p, q].transpose(1, 0, 2, 3)


def _unpad(dxp: Array, padding: tuple[int, int]) -> Array:
    ph, pw = padding
    return dxp[:, :, ph : dxp.shape[2] - ph, pw : dxp.shape[3] - pw]


class Conv2d(Module):
    """2-D convolution (cross-correlation, as in every framework):

    out[n, o, i, j] = bias[o] + sum_{c, p, q} weight[o, c, p, q] * x_pad[n, c, s*i + p, s*j + q]

    ``weight`` has shape (out_channels, in_channels, kh, kw); init as PyTorch,
    U(-k, k) with k = 1/sqrt(in_channels * kh * kw) for weight and bias. Zero padding.
    Backward (G = dL/dout as (C_out, N*H_out*W_out), like ``cols``): dW += G @ cols.T,
    db += G summed over its columns, dcols = W_mat.T @ G, then col2im gives dx.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        bias: bool = True,
        *,
        rng: RNGLike = None,
    ) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _pair(kernel_size)
        self.stride = _pair(stride)
        self.padding = _pair(padding)
        shape = (out_channels, in_channels, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=np.float32))
        self.bias = Parameter(np.empty(out_channels, dtype=np.float32)) if bias else None
        reset_affine_parameters(self.weight, self.bias, as_generator(rng))
        self._cache: tuple[Array, tuple[int, ...]] | None = None

    def forward(self, x: Array) -> Array:
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"expected input (N, {self.in_channels}, H, W), got {x.shape}")
        cols = _im2col(_pad(x, self.padding), self.kernel_size, self.stride)
        n, h_out, w_out = cols.shape[3:]
        cols = cols.reshape(-1, n * h_out * w_out)  # (C*kh*kw, N*H_out*W_out), no copy
        self._cache = (cols, x.shape) if is_grad_enabled() else None
        out = self.weight.data.reshape(self.out_channels, -1) @ cols
        if self.bias is not None:
            out += self.bias.data[:, None]
        return out.reshape(self.out_channels, n, h_out, w_out).transpose(1, 0, 2, 3)

    def backward(self, grad_out: Array) -> Array:
        if self._cache is None:
            raise RuntimeError(NOTHING_SAVED)
        cols, x_shape = self._cache
        n, _, h_out, w_out = grad_out.shape
        g = grad_out.transpose(1, 0, 2, 3).reshape(self.out_channels, -1)  # (C_out, N*H*W)
        w_mat = self.weight.data.reshape(self.out_channels, -1)
        self.weight.grad += (g @ cols.T).reshape(self.weight.shape)
        if self.bias is not None:
            self.bias.grad += g.sum(axis=1)
        dcols = (w_mat.T @ g).reshape(self.in_channels, *self.kernel_size, n, h_out, w_out)
        ph, pw = self.padding
        dxp = np.zeros(
            (n, self.in_channels, x_shape[2] + 2 * ph, x_shape[3] + 2 * pw), dtype=dcols.dtype
        )
        _col2im_add(dxp, dcols, self.kernel_size, self.stride)
        return _unpad(dxp, self.padding)

    def extra_repr(self) -> str:
        return (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}, bias={self.bias is not None}"
        )


class MaxPool2d(Module):
    """Max pooling: out[n, c, i, j] = max over the window at (s*i, s*j) of x_pad[n, c].

    ``stride`` defaults to ``kernel_size`` (non-overlapping windows), as in PyTorch; padding is
    with -inf. Backward routes each output gradient to the arg-max of its window (the first
    maximum on ties); overlapping windows add up.
    """

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
    ) -> None:
        super().__init__()
        self.kernel_size = _pair(kernel_size)
        self.stride = _pair(stride) if stride is not None else self.kernel_size
        self.padding = _pair(padding)
        if any(2 * p > k for p, k in zip(self.padding, self.kernel_size, strict=True)):
            raise ValueError("pad should be at most half of effective kernel size")
        self._cache: tuple[Array, Array] | None = None  # padded input, output

    def forward(self, x: Array) -> Array:
        if x.ndim != 4:
            raise ValueError(f"expected input (N, C, H, W), got {x.shape}")
        xp = _pad(x, self.padding, -np.inf)
        (kh, kw), stride = self.kernel_size, self.stride
        out = (_out_size(xp.shape[2], kh, stride[0]), _out_size(xp.shape[3], kw, stride[1]))
        # One pass per kernel offset (4 for 2x2) instead of a max over tiny rows; np.maximum
        # propagates NaN, as PyTorch's pooling does. Where each maximum was is found only
        # in backward (an evaluation pass never needs it).
        best = _offset(xp, 0, 0, out, stride).copy()
        for k in range(1, kh * kw):
            np.maximum(best, _offset(xp, k // kw, k % kw, out, stride), out=best)
        self._cache = (xp, best) if is_grad_enabled() else None
        return best

    def backward(self, grad_out: Array) -> Array:
        if self._cache is None:
            raise RuntimeError(NOTHING_SAVED)
        xp, best = self._cache
        (kh, kw), stride = self.kernel_size, self.stride
        dxp = np.zeros(xp.shape, dtype=grad_out.dtype)
        out = grad_out.shape[2:]
        # each window's gradient goes to its first maximum (np.argmax's rule; a window
        # holding NaN: its first NaN)
        nan_best = np.isnan(best)
        any_nan = bool(nan_best.any())
        taken = np.zeros(best.shape, dtype=bool)
        for k in range(kh * kw):
            value = _offset(xp, k // kw, k % kw, out, stride)
            hit = value == best
            if any_nan:
                hit |= np.isnan(value) & nan_best
            hit &= ~taken
            taken |= hit
            _offset(dxp, k // kw, k % kw, out, stride)[...] += np.where(hit, grad_out, 0)
        return _unpad(dxp, self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
