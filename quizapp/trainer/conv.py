"""``Conv2d`` and ``MaxPool2d`` on (N, C, H, W) arrays, via im2col.

im2col turns every receptive field into a row, so a convolution becomes one matrix product:
``cols`` has shape (N * H_out * W_out, C * kh * kw) and ``out = cols @ W.reshape(C_out, -1).T``.
Its backward is two more products plus col2im, which adds each row's gradient back onto the
pixels it was copied from. Output size: H_out = (H + 2 * padding - kh) // stride + 1.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._types import Array, RNGLike, as_generator
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


def _windows(xp: Array, kernel: tuple[int, int], stride: tuple[int, int]) -> Array:
    """Strided view of shape (N, C, H_out, W_out, kh, kw) over a padded input (no copy)."""
    win = sliding_window_view(xp, kernel, axis=(2, 3))
    return win[:, :, :: stride[0], :: stride[1]]


def _col2im_add(dxp: Array, dwin: Array, kernel: tuple[int, int], stride: tuple[int, int]) -> None:
    """Add window gradients (N, C, H_out, W_out, kh, kw) back onto ``dxp`` (N, C, Hp, Wp)."""
    h_out, w_out = dwin.shape[2], dwin.shape[3]
    sh, sw = stride
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            dxp[:, :, i : i + sh * h_out : sh, j : j + sw * w_out : sw] += dwin[:, :, :, :, i, j]


def _unpad(dxp: Array, padding: tuple[int, int]) -> Array:
    ph, pw = padding
    return dxp[:, :, ph : dxp.shape[2] - ph, pw : dxp.shape[3] - pw]


class Conv2d(Module):
    """2-D convolution (cross-correlation, as in every framework):

    out[n, o, i, j] = bias[o] + sum_{c, p, q} weight[o, c, p, q] * x_pad[n, c, s*i + p, s*j + q]

    ``weight`` has shape (out_channels, in_channels, kh, kw); init as PyTorch,
    U(-k, k) with k = 1/sqrt(in_channels * kh * kw) for weight and bias. Zero padding.
    Backward (G = dL/dout as rows of ``cols``): dW += G.T @ cols, db += sum G,
    dcols = G @ W_mat, then col2im gives dx.
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
        win = _windows(_pad(x, self.padding), self.kernel_size, self.stride)
        n, _, h_out, w_out = win.shape[:4]
        # im2col: (N, H_out, W_out, C, kh, kw) -> rows of length C*kh*kw (one copy)
        cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * h_out * w_out, -1)
        self._cache = (cols, x.shape)
        out = cols @ self.weight.data.reshape(self.out_channels, -1).T
        if self.bias is not None:
            out += self.bias.data
        return out.reshape(n, h_out, w_out, self.out_channels).transpose(0, 3, 1, 2)

    def backward(self, grad_out: Array) -> Array:
        if self._cache is None:
            raise RuntimeError("backward called before forward")
        cols, x_shape = self._cache
        n, _, h_out, w_out = grad_out.shape
        g = grad_out.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)
        w_mat = self.weight.data.reshape(self.out_channels, -1)
        self.weight.grad += (g.T @ cols).reshape(self.weight.shape)
        if self.bias is not None:
            self.bias.grad += g.sum(axis=0)
        dcols = (g @ w_mat).reshape(n, h_out, w_out, self.in_channels, *self.kernel_size)
        ph, pw = self.padding
        dxp = np.zeros(
            (n, self.in_channels, x_shape[2] + 2 * ph, x_shape[3] + 2 * pw), dtype=dcols.dtype
        )
        _col2im_add(dxp, dcols.transpose(0, 3, 1, 2, 4, 5), self.kernel_size, self.stride)
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
        self._cache: tuple[Array, tuple[int, ...]] | None = None

    def forward(self, x: Array) -> Array:
        if x.ndim != 4:
            raise ValueError(f"expected input (N, C, H, W), got {x.shape}")
        win = _windows(_pad(x, self.padding, -np.inf), self.kernel_size, self.stride)
        flat = win.reshape(*win.shape[:4], -1)  # copies: (N, C, H_out, W_out, kh*kw)
        arg = flat.argmax(axis=-1)
        self._cache = (arg, x.shape)
        return np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]

    def backward(self, grad_out: Array) -> Array:
        if self._cache is None:
            raise RuntimeError("backward called before forward")
        arg, x_shape = self._cache
        kh, kw = self.kernel_size
        ph, pw = self.padding
        dwin = np.zeros((*grad_out.shape, kh * kw), dtype=grad_out.dtype)
        np.put_along_axis(dwin, arg[..., None], grad_out[..., None], axis=-1)
        dxp = np.zeros(
            (*x_shape[:2], x_shape[2] + 2 * ph, x_shape[3] + 2 * pw), dtype=grad_out.dtype
        )
        _col2im_add(dxp, dwin.reshape(*grad_out.shape, kh, kw), self.kernel_size, self.stride)
        return _unpad(dxp, self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
