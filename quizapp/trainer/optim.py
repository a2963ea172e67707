"""Optimizers with PyTorch's names, defaults and update rules (``torch.optim``).

Usage is PyTorch's: ``opt = Adam(model.parameters(), lr=1e-3)``; per batch ``opt.zero_grad()``,
forward, ``model.backward(loss_fn.backward())``, ``opt.step()``. ``opt.lr`` may be set at any
time (schedulers do). There is one parameter group; per-parameter state lives in
``opt.state[i]`` (a ``ParamState`` with the step count ``step`` and named buffers such as
``exp_avg``), allocated on the first ``step()`` with the parameter's dtype.

Weight decay is handled in one place, ``Optimizer._decayed_grad``: *coupled* L2 (``g += wd * p``,
used by SGD, Adagrad, RMSprop and Adam) or *decoupled* (``p *= 1 - lr * wd`` before the update,
AdamW).

Storage: an optimizer packs its parameters, per dtype, end to end into one flat ``data`` and
one flat ``grad`` array, and makes each parameter's ``data`` and ``grad`` views of them; its
state is flat too, and ``opt.state[i].buffers`` holds views of it. An update is then a dozen
NumPy passes over all the parameters instead of a dozen per parameter, run chunk by chunk so
that the arrays of a chunk stay in the CPU's L2 cache from one pass to the next. Layers read
``p.data`` and write ``p.grad`` in place as before; only references to the arrays a parameter
had *before* the optimizer was built go stale. A parameter given new arrays later
(``p.data = ...``, ``p.to(dtype)``) is packed again, with its new values, by the next
``step()``; a new shape or dtype is only accepted before the first step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ._types import Array
from .parameter import Parameter

CHUNK_BYTES = 256 * 1024
"""Bytes per array in one chunk of an update: a chunk's five or so arrays (parameters,
gradients, two state buffers, scratch) fit in a 2 MB L2 cache, and a chunk is still long enough
that NumPy's per-call overhead is small."""


@dataclass
class ParamState:
    """Per-parameter optimizer state: the number of steps taken and named arrays.

    The arrays are views of the optimizer's flat state, updated in place by every step.
    """

    step: int = 0
    buffers: dict[str, Array] = field(default_factory=dict)


class _Pack:
    """The optimizer's parameters of one dtype, packed end to end.

    ``data`` and ``grad`` are flat arrays whose slices are the parameters' ``data`` and
    ``grad``; ``buffers`` holds the flat optimizer state for them, created on first use.
    """

    def __init__(self, params: list[Parameter], states: list[ParamState]) -> None:
        self.params = params
        self.states = states
        self.dtype = params[0].dtype
        self.slices: list[slice] = []
        end = 0
        for p in params:
            self.slices.append(slice(end, end + p.size))
            end += p.size
        self.data: Array = np.empty(end, self.dtype)
        self.grad: Array = np.empty(end, self.dtype)
        self.views = [self._install(i) for i in range(len(params))]
        self.step = 0
        self.buffers: dict[str, Array] = {}
        self.created: dict[str, int] = {}  # the step at which each state buffer was made
        self.chunk = max(1, CHUNK_BYTES // self.dtype.itemsize)
        self._scratch: dict[str, Array] = {}

    def _install(self, i: int) -> tuple[Array, Array]:
        """Copy parameter ``i``'s values into its slices and make them its arrays."""
        p, where = self.params[i], self.slices[i]
        data = self.data[where].reshape(p.shape)
        grad = self.grad[where].reshape(p.shape)
        data[...] = p.data
        grad[...] = p.grad
        p.data = data
        p.grad = grad
        return data, grad

    def sync(self) -> bool:
        """Make sure every parameter still uses the pack's arrays, before a step.

        Re-packs a parameter given new arrays of the same shape and dtype since (its values
        are kept); returns False if one changed shape or dtype. Reading ``p.grad`` also
        carries out a ``zero_grad()`` that no backward pass has overwritten.
        """
        for i, p in enumerate(self.params):
            data, grad = self.views[i]
            if p.data is not data or p.grad is not grad:
                if p.shape != data.shape or p.dtype != self.dtype or p.grad.shape != grad.shape:
                    return False
                self.views[i] = self._install(i)
        return True

    def buffer(self, name: str, fill: float) -> Array:
        """The flat state buffer ``name``, created filled with ``fill`` on first use."""
        buf = self.buffers.get(name)
        if buf is None:
            buf = self.buffers[name] = np.full(self.data.size, fill, dtype=self.dtype)
            self.created[name] = self.step
            for state, p, where in zip(self.states, self.params, self.slices, strict=True):
                state.buffers[name] = buf[where].reshape(p.shape)
        return buf

    def scratch(self, name: str) -> Array:
        """A chunk-sized work array, allocated once and reused by every chunk and step."""
        buf = self._scratch.get(name)
        if buf is None:
            buf = self._scratch[name] = np.empty(min(self.chunk, self.data.size), self.dtype)
        return buf

    def chunks(self) -> Iterable[_Chunk]:
        """The pack cut into consecutive chunks of at most ``self.chunk`` elements."""
        for lo in range(0, self.data.size, self.chunk):
            yield _Chunk(self, lo, min(lo + self.chunk, self.data.size))


class _Chunk:
    """Elements ``lo:hi`` of a pack: the parameters ``p``, gradients ``g`` and state an update
    rule works on."""

    __slots__ = ("_pack", "_where", "g", "p")

    def __init__(self, pack: _Pack, lo: int, hi: int) -> None:
        self._pack = pack
        self._where = slice(lo, hi)
        self.p = pack.data[lo:hi]
        self.g = pack.grad[lo:hi]

    @property
    def step(self) -> int:
        """t, the number of steps including the current one (1 on the first step)."""
        return self._pack.step

    def buffer(self, name: str, fill: float = 0.0) -> Array:
        """This chunk of the state buffer ``name`` (created filled with ``fill``)."""
        return self._pack.buffer(name, fill)[self._where]

    def is_new(self, name: str) -> bool:
        """Whether the state buffer ``name`` was created during the current step."""
        return self._pack.created[name] == self._pack.step

    def scratch(self, name: str) -> Array:
        """A work array of the chunk's length, shared by all chunks."""
        return self._pack.scratch(name)[: self.p.size]


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


class Optimizer:
    """Base class: holds the parameters, ``lr``, weight decay and per-parameter state.

    Subclasses implement ``_update(p, g, state)``, called on one chunk of the flat parameters
    ``p`` at a time, where ``g`` already includes coupled weight decay and ``state.step`` is t
    (1 on the first step).
    """

    decoupled_weight_decay: ClassVar[bool] = False

    def __init__(self, params: Iterable[Parameter], lr: float, weight_decay: float = 0.0) -> None:
        self.params: list[Parameter] = list(params)
        _check(bool(self.params), "optimizer got an empty parameter list")
        _check(
            len({id(p) for p in self.params}) == len(self.params),
            "optimizer got a parameter more than once",
        )
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.initial_lr: float | None = None  # recorded by the first LR scheduler, as PyTorch
        self.state: list[ParamState] = [ParamState() for _ in self.params]
        self._packs = self._pack()

    def _pack(self) -> list[_Pack]:
        """One pack per dtype, parameters in their order."""
        groups: dict[np.dtype[Any], list[int]] = {}
        for i, p in enumerate(self.params):
            groups.setdefault(p.dtype, []).append(i)
        return [
            _Pack([self.params[i] for i in idx], [self.state[i] for i in idx])
            for idx in groups.values()
        ]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero (PyTorch sets them to None by default)."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Apply one update to every parameter."""
        if not all(pack.sync() for pack in self._packs):
            if any(pack.step for pack in self._packs):
                raise RuntimeError(
                    "a parameter changed shape or dtype after the optimizer's first step; "
                    "cast the model before building the optimizer"
                )
            self._packs = self._pack()
        for pack in self._packs:
            pack.step += 1
            for state in pack.states:
                state.step = pack.step
            for chunk in pack.chunks():
                self._update(chunk.p, self._decayed_grad(chunk), chunk)

    def _decayed_grad(self, chunk: _Chunk) -> Array:
        """The gradient used by the update rule, after weight decay.

        Coupled (L2): g = grad + weight_decay * p. Decoupled (AdamW): p <- p * (1 - lr * wd) here,
        and g = grad.
        """
        if self.weight_decay == 0.0:
            return chunk.g
        if self.decoupled_weight_decay:
            chunk.p *= 1.0 - self.lr * self.weight_decay
            return chunk.g
        g = chunk.scratch("decayed_grad")
        np.multiply(chunk.p, self.weight_decay, out=g)
        g += chunk.g
        return g

    def _update(self, p: Array, g: Array, state: _Chunk) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        hidden = ("params", "state", "_packs")
        args = ", ".join(f"{k}={v}" for k, v in vars(self).items() if k not in hidden)
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent with PyTorch's momentum form.

    g = grad + weight_decay * p
    b_1 = g;  b_t = momentum * b_{t-1} + (1 - dampening) * g        (if momentum != 0)
    d = g + momentum * b_t if nesterov else b_t                     (d = g without momentum)
    p <- p - lr * d

    PyTorch (and this class) accumulates the raw gradient, so the step is ~lr/(1-momentum) times
    the gradient in steady state. The textbook form v = beta v + (1 - beta) g is the same with
    dampening = momentum and a learning rate rescaled by 1/(1-beta) - except that PyTorch
    initialises b_1 = g, not (1 - dampening) g.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(
            not nesterov or (momentum > 0 and dampening == 0),
            "Nesterov momentum requires a momentum and zero dampening",
        )
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov

    def _update(self, p: Array, g: Array, state: _Chunk) -> None:
        tmp = state.scratch("scratch")
        d = g
        if self.momentum != 0.0:
            buf = state.buffer("momentum_buffer")
            if state.is_new("momentum_buffer"):
                buf[...] = g  # b_1 = g, without dampening
            else:
                buf *= self.momentum
                if self.dampening == 0.0:
                    buf += g
                else:
                    np.multiply(g, 1.0 - self.dampening, out=tmp)
                    buf += tmp
            if self.nesterov:
                np.multiply(buf, self.momentum, out=tmp)
                tmp += g
                d = tmp
            else:
                d = buf
        np.multiply(d, self.lr, out=tmp)
        p -= tmp


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011) as PyTorch.

    g = grad + weight_decay * p
    clr = lr / (1 + (t - 1) * lr_decay)
    s_t = s_{t-1} + g**2,  s_0 = initial_accumulator_value
    p <- p - clr * g / (sqrt(s_t) + eps)
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.01,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(lr_decay >= 0.0, f"Invalid lr_decay value: {lr_decay}")
        _check(initial_accumulator_value >= 0.0, "Invalid initial_accumulator_value value")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        self.lr_decay = lr_decay
        self.initial_accumulator_value = initial_accumulator_value
        self.eps = eps

    def _update(self, p: Array, g: Array, state: _Chunk) -> None:
        clr = self.lr / (1.0 + (state.step - 1) * self.lr_decay)
        s = state.buffer("sum", fill=self.initial_accumulator_value)
        s += g * g
        p -= clr * g / (np.sqrt(s) + self.eps)


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e) as PyTorch.

    g = grad + weight_decay * p
    v_t = alpha * v_{t-1} + (1 - alpha) * g**2
    centered:  gbar_t = alpha * gbar_{t-1} + (1 - alpha) * g;  denom = sqrt(v_t - gbar_t**2) + eps
    otherwise: denom = sqrt(v_t) + eps
    momentum > 0: b_t = momentum * b_{t-1} + g / denom;  p <- p - lr * b_t
    otherwise:    p <- p - lr * g / denom

    Note eps is added *outside* the square root (TensorFlow 1's RMSPropOptimizer put it inside),
    and PyTorch's default alpha is 0.99 (Keras' rho is 0.9).
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(alpha >= 0.0, f"Invalid alpha value: {alpha}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.centered = centered

    def _update(self, p: Array, g: Array, state: _Chunk) -> None:
        v = state.buffer("square_avg")
        v *= self.alpha
        v += (1.0 - self.alpha) * g * g
        if self.centered:
            gbar = state.buffer("grad_avg")
            gbar *= self.alpha
            gbar += (1.0 - self.alpha) * g
            denom = np.sqrt(v - gbar * gbar) + self.eps
        else:
            denom = np.sqrt(v) + self.eps
        if self.momentum > 0.0:
            buf = state.buffer("momentum_buffer")
            buf *= self.momentum
            buf += g / denom
            p -= self.lr * buf
        else:
            p -= self.lr * g / denom


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) as PyTorch, with *coupled* L2 weight decay.

    g = grad + weight_decay * p
    m_t = beta1 * m_{t-1} + (1 - beta1) * g
    v_t = beta2 * v_{t-1} + (1 - beta2) * g**2
    p <- p - lr / (1 - beta1**t) * m_t / (sqrt(v_t) / sqrt(1 - beta2**t) + eps)

    eps is added after bias-correcting sqrt(v_t), exactly as PyTorch. ``bias_correction=False``
    (not a PyTorch option; for the demo of why it exists) drops both (1 - beta**t) factors:
    p <- p - lr * m_t / (sqrt(v_t) + eps). Since m_0 = v_0 = 0 both averages start biased
    towards 0, v more so: for a constant gradient g the first step is then
    lr * 0.1 g / sqrt(0.001 g**2) = 3.16 lr instead of lr.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        *,
        bias_correction: bool = True,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = eps
        self.bias_correction = bias_correction

    def _update(self, p: Array, g: Array, state: _Chunk) -> None:
        beta1, beta2 = self.betas
        m = state.buffer("exp_avg")
        v = state.buffer("exp_avg_sq")
        tmp = state.scratch("scratch")  # no allocation per step
        # m = beta1 * m + (1 - beta1) * g, in place
        m *= beta1
        np.multiply(g, 1.0 - beta1, out=tmp)
        m += tmp
        # v = beta2 * v + (1 - beta2) * g**2, in place (np.square is twice as fast as g * g)
        v *= beta2
        np.square(g, out=tmp)
        tmp *= 1.0 - beta2
        v += tmp
        if self.bias_correction:
            step_size = self.lr / (1.0 - beta1**state.step)
            bc2_sqrt = math.sqrt(1.0 - beta2**state.step)
        else:
            step_size, bc2_sqrt = self.lr, 1.0
        # step_size * m / (sqrt(v) / bc2_sqrt + eps)
        #   = (step_size * bc2_sqrt) * m / (sqrt(v) + eps * bc2_sqrt): one pass fewer
        np.sqrt(v, out=tmp)
        tmp += self.eps * bc2_sqrt
        np.divide(m, tmp, out=tmp)
        tmp *= step_size * bc2_sqrt
        p -= tmp


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019): Adam with *decoupled* weight decay, as PyTorch.

    p <- p * (1 - lr * weight_decay), then the Adam update with g = grad (no L2 term in g),
    so the decay is not rescaled by 1/sqrt(v). Default weight_decay is 0.01 (PyTorch's).
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        *,
        bias_correction: bool = True,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, bias_correction=bias_correction)
