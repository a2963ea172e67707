"""Element-wise activations. Each caches its derivative during ``forward`` (not under
``no_grad()``).

All keep the input dtype: constants are Python floats, which NumPy treats as "weak" scalars,
so a float32 input stays float32.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from ._special import erf
from ._types import Array
from .grad_mode import NOTHING_SAVED, is_grad_enabled
from .module import Module


def sigmoid(x: Array) -> Array:
    """Numerically stable logistic function 1 / (1 + exp(-x)) (no overflow for large |x|)."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(x: Array) -> Array:
    """log(1 + exp(x)), computed stably as max(x, 0) + log1p(exp(-|x|))."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


class _Elementwise(Module):
    """An activation whose backward is ``grad_out * f'(x)``; subclasses cache ``f'(x)``."""

    def __init__(self) -> None:
        super().__init__()
        self._dydx: Array | None = None

    def backward(self, grad_out: Array) -> Array:
        if self._dydx is None:
            raise RuntimeError(NOTHING_SAVED)
        return grad_out * self._dydx


class ReLU(_Elementwise):
    """ReLU(x) = max(0, x); derivative 1 for x > 0, else 0 (0 at x = 0, as PyTorch)."""

    def forward(self, x: Array) -> Array:
        # a boolean mask; grad_out * mask keeps grad_out's dtype
        self._dydx = x > 0 if is_grad_enabled() else None
        return np.maximum(x, 0)


class LeakyReLU(_Elementwise):
    """LeakyReLU(x) = x if x > 0 else negative_slope * x; derivative 1 or negative_slope."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Array) -> Array:
        slope: Array = np.where(x > 0, 1.0, self.negative_slope).astype(x.dtype)
        self._dydx = slope if is_grad_enabled() else None
        return x * slope

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(_Elementwise):
    """sigma(x) = 1 / (1 + exp(-x)); derivative sigma(x) * (1 - sigma(x))."""

    def forward(self, x: Array) -> Array:
        s = sigmoid(x)
        self._dydx = s * (1.0 - s) if is_grad_enabled() else None
        return s


class Tanh(_Elementwise):
    """tanh(x); derivative 1 - tanh(x)**2."""

    def forward(self, x: Array) -> Array:
        t = np.tanh(x)
        self._dydx = 1.0 - t * t if is_grad_enabled() else None
        return t


class SiLU(_Elementwise):
    """SiLU (swish) x * sigma(x); derivative sigma(x) * (1 + x * (1 - sigma(x)))."""

    def forward(self, x: Array) -> Array:
        s = sigmoid(x)
        self._dydx = s * (1.0 + x * (1.0 - s)) if is_grad_enabled() else None
        return x * s


class Mish(_Elementwise):
    """Mish(x) = x * tanh(softplus(x)).

    Derivative: tanh(sp) + x * (1 - tanh(sp)**2) * sigma(x), since d softplus / dx = sigma(x).
    """

    def forward(self, x: Array) -> Array:
        t = np.tanh(softplus(x))
        self._dydx = t + x * (1.0 - t * t) * sigmoid(x) if is_grad_enabled() else None
        return x * t


_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


class GELU(_Elementwise):
    """GELU(x) = x * Phi(x), Phi the standard normal CDF = (1 + erf(x / sqrt(2))) / 2.

    Derivative: Phi(x) + x * phi(x), phi(x) = exp(-x**2 / 2) / sqrt(2 pi). This exact erf form
    is PyTorch's default. ``approximate="tanh"`` gives
    0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x**3), with derivative
    0.5 (1 + tanh u) + 0.5 x (1 - tanh(u)**2) sqrt(2/pi) (1 + 3 * 0.044715 x**2).
    """

    def __init__(self, approximate: Literal["none", "tanh"] = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Array) -> Array:
        if self.approximate == "tanh":
            u = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
            t = np.tanh(u)
            if is_grad_enabled():
                du = _SQRT_2_OVER_PI * (1.0 + 3.0 * 0.044715 * x * x)
                self._dydx = 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du
            else:
                self._dydx = None
            return 0.5 * x * (1.0 + t)
        cdf = 0.5 * (1.0 + erf(x * _SQRT_HALF))
        self._dydx = (cdf + x * _INV_SQRT_2PI * np.exp(-0.5 * x * x) if is_grad_enabled()
                      else None)
        return x * cdf

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"
