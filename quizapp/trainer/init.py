"""Weight initialisation in place, with the names, defaults and formulas of ``torch.nn.init``.

Each function fills an array (or a ``Parameter``'s ``data``) in place and returns the array.
Where PyTorch takes ``generator=``, these take ``rng=`` (a seed or ``np.random.Generator``).
For a weight of shape ``(out, in, *kernel)``: ``fan_in = in * prod(kernel)`` and
``fan_out = out * prod(kernel)``.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from ._types import Array, RNGLike, as_generator
from .parameter import Parameter

Nonlinearity = Literal[
    "linear", "conv1d", "conv2d", "conv3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"
]


def calculate_gain(nonlinearity: Nonlinearity | str, param: float | None = None) -> float:
    """Recommended gain for a nonlinearity, as ``torch.nn.init.calculate_gain``.

    linear / conv / sigmoid: 1; tanh: 5/3; relu: sqrt(2);
    leaky_relu: sqrt(2 / (1 + negative_slope**2)) with negative_slope = ``param`` (default 0.01);
    selu: 3/4.
    """
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(array: Array) -> tuple[int, int]:
    if array.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for arrays with fewer than 2 dims")
    receptive_field = int(np.prod(array.shape[2:])) if array.ndim > 2 else 1
    return array.shape[1] * receptive_field, array.shape[0] * receptive_field


def _target(array: Array | Parameter) -> Array:
    return array.data if isinstance(array, Parameter) else array


def uniform_(
    array: Array | Parameter, a: float = 0.0, b: float = 1.0, *, rng: RNGLike = None
) -> Array:
    """Fill with U(a, b)."""
    out = _target(array)
    out[...] = as_generator(rng).uniform(a, b, size=out.shape)
    return out


def normal_(
    array: Array | Parameter, mean: float = 0.0, std: float = 1.0, *, rng: RNGLike = None
) -> Array:
    """Fill with N(mean, std**2)."""
    out = _target(array)
    out[...] = as_generator(rng).normal(mean, std, size=out.shape)
    return out


def constant_(array: Array | Parameter, val: float) -> Array:
    """Fill with ``val``."""
    out = _target(array)
    out.fill(val)
    return out


def zeros_(array: Array | Parameter) -> Array:
    """Fill with 0."""
    return constant_(array, 0.0)


def ones_(array: Array | Parameter) -> Array:
    """Fill with 1."""
    return constant_(array, 1.0)


def xavier_uniform_(array: Array | Parameter, gain: float = 1.0, *, rng: RNGLike = None) -> Array:
    """Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(_target(array))
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(array, -bound, bound, rng=rng)


def xavier_normal_(array: Array | Parameter, gain: float = 1.0, *, rng: RNGLike = None) -> Array:
    """Glorot normal: N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(_target(array))
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(array, 0.0, std, rng=rng)


def _kaiming_std(
    array: Array, a: float, mode: Literal["fan_in", "fan_out"], nonlinearity: Nonlinearity | str
) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(array)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    array: Array | Parameter,
    a: float = 0.0,
    mode: Literal["fan_in", "fan_out"] = "fan_in",
    nonlinearity: Nonlinearity | str = "leaky_relu",
    *,
    rng: RNGLike = None,
) -> Array:
    """He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan_mode).

    ``gain = calculate_gain(nonlinearity, a)``; with the defaults (a=0, leaky_relu) gain = sqrt(2),
    the He et al. ReLU value. ``a`` is the negative slope of the leaky ReLU that follows.
    """
    bound = math.sqrt(3.0) * _kaiming_std(_target(array), a, mode, nonlinearity)
    return uniform_(array, -bound, bound, rng=rng)


def kaiming_normal_(
    array: Array | Parameter,
    a: float = 0.0,
    mode: Literal["fan_in", "fan_out"] = "fan_in",
    nonlinearity: Nonlinearity | str = "leaky_relu",
    *,
    rng: RNGLike = None,
) -> Array:
    """He normal: N(0, std**2), std = gain / sqrt(fan_mode); gain as kaiming_uniform_."""
    std = _kaiming_std(_target(array), a, mode, nonlinearity)
    return normal_(array, 0.0, std, rng=rng)
