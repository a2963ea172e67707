"""Recurrent layers ``RNN``, ``LSTM`` and ``GRU`` with full backpropagation through time.

All three share one time loop (``RNNBase``): per layer and direction, the input half of every
gate is one matrix product over the whole sequence, gi_t = x_t W_ih^T + b_ih, and each step
computes gh_t = h_{t-1} W_hh^T + b_hh and hands both to the cell:

    RNN:  h_t = tanh(gi_t + gh_t)                     (or relu)
    LSTM: i, f, g, o = split(gi_t + gh_t)             (this order in the rows of weight_ih_l0)
          i, f, o = sigmoid(.), g = tanh(.)
          c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
    GRU:  r, z, n = the three parts of gi_t and gh_t  (this order)
          r = sigmoid(gi_r + gh_r),  z = sigmoid(gi_z + gh_z)
          n = tanh(gi_n + r * gh_n)                   (r gates W_hn h + b_hn, bias included)
          h_t = (1 - z) * n + z * h_{t-1}

Backward runs the loop in reverse. At step t the gradient reaching h_t is the output's
dL/dy_t plus what flowed back from step t + 1; the cell turns it into dL/dgi_t, dL/dgh_t and
the gradient of the previous state along paths that skip W_hh (LSTM: f * dc; GRU: z * dh),
and dL/dh_{t-1} = dL/dgh_t W_hh + that. The weight gradients are then two products over the
whole sequence: dW_ih += dGI^T X and dW_hh += dGH^T H_prev.

A bidirectional layer runs a second set of weights (suffix ``_reverse``) over the reversed
sequence and concatenates both outputs; layer l > 0 reads layer l - 1's output, after dropout
in training (not after the last layer). Parameter names and shapes are PyTorch's, so a torch
``state_dict`` loads as it is.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from . import init
from ._types import Array, RNGLike, as_generator
from .activations import sigmoid
from .grad_mode import NOTHING_SAVED, is_grad_enabled
from .module import Module
from .parameter import Parameter

State = tuple[Array, ...]
"""The recurrent state: (h,) for RNN and GRU, (h, c) for LSTM."""


@dataclass
class _ScanCache:
    """What one layer-direction's backward needs: its input, the states before each step, and
    the cells' caches, all in the order this direction walked through time."""

    x: Array  # (T, N, input features)
    h_prev: Array  # (T, N, hidden): h_{t-1} for each step
    cells: list[tuple[Array, ...]]


def _time_order(direction: int) -> slice:
    """Index along time: as given for the forward direction, reversed for ``_reverse``."""
    return slice(None, None, -1) if direction == 1 else slice(None)


class RNNBase(Module):
    """The time loop shared by ``RNN``, ``LSTM`` and ``GRU``; subclasses define one cell.

    Parameters, for layer ``k`` and suffix ``""`` or ``"_reverse"``: ``weight_ih_l{k}``
    (G, input_size or num_directions * hidden_size), ``weight_hh_l{k}`` (G, hidden_size),
    ``bias_ih_l{k}`` and ``bias_hh_l{k}`` (G,), where G = gates * hidden_size. All are
    initialised U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch's reset_parameters.

    Shapes (L = sequence length, N = batch, D = 2 if bidirectional else 1):
    input (L, N, input_size), or (N, L, input_size) with ``batch_first=True``, or (L, input_size)
    unbatched; output (L, N, D * hidden_size) in the same layout; states
    (D * num_layers, N, hidden_size), never batch first, indexed by ``layer * D + direction``.
    """

    _gates: int = 1  # rows of W_ih per hidden unit: 1 (RNN), 4 (LSTM), 3 (GRU)
    _num_states: int = 1  # 1: (h,); 2: (h, c)

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        rng: RNGLike = None,
    ) -> None:
        super().__init__()
        if isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of "
                "an element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                f"num_layers={num_layers}",
                stacklevel=2,
            )
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.num_directions = 2 if bidirectional else 1
        gate_size = self._gates * hidden_size
        # names per (layer, direction), in PyTorch's registration (and state_dict) order
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * self.num_directions
            for direction in range(self.num_directions):
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                shapes: dict[str, tuple[int, ...]] = {
                    "weight_ih" + suffix: (gate_size, layer_input),
                    "weight_hh" + suffix: (gate_size, hidden_size),
                }
                if bias:
                    shapes["bias_ih" + suffix] = (gate_size,)
                    shapes["bias_hh" + suffix] = (gate_size,)
                for name, shape in shapes.items():
                    setattr(self, name, Parameter(np.empty(shape, dtype=np.float32)))
                self._all_weights.append(list(shapes))
        self.rng = as_generator(rng)  # init, then the dropout masks
        self.reset_parameters()
        self._cache: tuple[Any, ...] | None = None

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        stdv = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -stdv, stdv, rng=self.rng)

    def _weights(
        self, index: int
    ) -> tuple[Parameter, Parameter, Parameter | None, Parameter | None]:
        """(weight_ih, weight_hh, bias_ih, bias_hh) of layer-direction ``index``."""
        names = self._all_weights[index]
        w_ih, w_hh = getattr(self, names[0]), getattr(self, names[1])
        if not self.bias:
            return w_ih, w_hh, None, None
        return w_ih, w_hh, getattr(self, names[2]), getattr(self, names[3])

    # -- one cell: implemented by RNN, LSTM, GRU ---------------------------------------------
    def _cell(self, gi: Array, gh: Array, state: State) -> tuple[State, tuple[Array, ...]]:
        """One step, given gi = x_t W_ih^T + b_ih and gh = h_{t-1} W_hh^T + b_hh.

        Returns (new state, cache for ``_cell_backward``).
        """
        raise NotImplementedError

    def _cell_backward(
        self, d_state: State, cache: tuple[Array, ...]
    ) -> tuple[Array, Array, State]:
        """(dL/dgi, dL/dgh, dL/d previous state along the paths that do not go through W_hh)."""
        raise NotImplementedError

    # -- the time loop -----------------------------------------------------------------------
    def _scan(self, x: Array, state: State, index: int) -> tuple[Array, State, _ScanCache]:
        """Run layer-direction ``index`` over x (T, N, F) in the given time order."""
        w_ih, w_hh, b_ih, b_hh = self._weights(index)
        gi_all = x @ w_ih.data.T
        if b_ih is not None:
            gi_all += b_ih.data
        outputs: list[Array] = []
        h_prev: list[Array] = []
        cells: list[tuple[Array, ...]] = []
        for gi in gi_all:
            gh = state[0] @ w_hh.data.T
            if b_hh is not None:
                gh += b_hh.data
            h_prev.append(state[0])
            state, cache = self._cell(gi, gh, state)
            outputs.append(state[0])
            cells.append(cache)
        return np.stack(outputs), state, _ScanCache(x, np.stack(h_prev), cells)

    def _scan_backward(
        self, d_out: Array, d_state: State, cache: _ScanCache, index: int
    ) -> tuple[Array, State]:
        """Backward of ``_scan``: accumulate weight grads; return (dL/dx, dL/d initial state)."""
        w_ih, w_hh, b_ih, b_hh = self._weights(index)
        steps = len(cache.cells)
        dtype = np.result_type(d_out, w_ih.data)
        dgi_all = np.empty((steps, *d_out.shape[1:-1], w_ih.shape[0]), dtype=dtype)
        dgh_all = np.empty_like(dgi_all)
        for t in reversed(range(steps)):
            d_state = (d_state[0] + d_out[t], *d_state[1:])
            dgi, dgh, carry = self._cell_backward(d_state, cache.cells[t])
            dgi_all[t], dgh_all[t] = dgi, dgh
            d_state = (carry[0] + dgh @ w_hh.data, *carry[1:])
        gates = w_ih.shape[0]
        w_ih.grad += dgi_all.reshape(-1, gates).T @ cache.x.reshape(-1, cache.x.shape[-1])
        w_hh.grad += dgh_all.reshape(-1, gates).T @ cache.h_prev.reshape(-1, self.hidden_size)
        if b_ih is not None and b_hh is not None:
            b_ih.grad += dgi_all.sum(axis=(0, 1))
            b_hh.grad += dgh_all.sum(axis=(0, 1))
        return dgi_all @ w_ih.data, d_state

    # -- the whole stack ---------------------------------------------------------------------
    def _dropout_mask(self, like: Array) -> Array:
        """Inverted dropout between layers: 0 with probability p, else 1/(1-p)."""
        if self.dropout == 1.0:
            return np.zeros_like(like)
        keep = self.rng.random(like.shape) >= self.dropout
        return (keep * (1.0 / (1.0 - self.dropout))).astype(like.dtype)

    def _expected_state_shape(self, batch: int | None) -> tuple[int, ...]:
        rows = self.num_layers * self.num_directions
        return (rows, self.hidden_size) if batch is None else (rows, batch, self.hidden_size)

    def _run(self, input: Array, hx: State | None) -> tuple[Array, State]:
        """Forward over all layers and directions; ``hx`` and the result are tuples of states."""
        if input.ndim not in (2, 3):
            raise ValueError(f"RNN: Expected input to be 2D or 3D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                f"got {input.shape[-1]}"
            )
        batched = input.ndim == 3
        if not batched:
            x = input[:, None, :]
        else:
            x = input.transpose(1, 0, 2) if self.batch_first else input
        batch = x.shape[1]
        dtype = np.result_type(x, self._weights(0)[0].data)
        expected = self._expected_state_shape(batch if batched else None)
        if hx is None:
            states0 = tuple(
                np.zeros((expected[0], batch, self.hidden_size), dtype=dtype)
                for _ in range(self._num_states)
            )
        else:
            for h in hx:
                if h.shape != expected:
                    raise RuntimeError(f"Expected hidden size {expected}, got {list(h.shape)}")
            states0 = tuple(h if batched else h[:, None, :] for h in hx)
        finals: list[State] = []
        scans: list[_ScanCache] = []
        masks: list[Array | None] = []
        layer_in = x
        for layer in range(self.num_layers):
            outs = []
            for direction in range(self.num_directions):
                index = layer * self.num_directions + direction
                start = tuple(s[index] for s in states0)
                time = _time_order(direction)
                out, final, scan = self._scan(layer_in[time], start, index)
                outs.append(out[time])
                finals.append(final)
                scans.append(scan)
            layer_out = outs[0] if len(outs) == 1 else np.concatenate(outs, axis=-1)
            mask = None
            if self.training and self.dropout > 0 and layer < self.num_layers - 1:
                mask = self._dropout_mask(layer_out)
                layer_out = layer_out * mask
            masks.append(mask)
            layer_in = layer_out
        self._cache = (scans, masks, batched) if is_grad_enabled() else None
        h_n = tuple(np.stack([f[k] for f in finals]) for k in range(self._num_states))
        output = layer_in
        if not batched:
            return output[:, 0], tuple(h[:, 0] for h in h_n)
        return (output.transpose(1, 0, 2) if self.batch_first else output), h_n

    def _run_backward(
        self, grad_output: Array, grad_state: tuple[Array | None, ...]
    ) -> tuple[Array, State]:
        """BPTT over the whole sequence and stack: (dL/d input, dL/d initial states)."""
        if self._cache is None:
            raise RuntimeError(NOTHING_SAVED)
        scans, masks, batched = self._cache
        if not batched:
            d_out = grad_output[:, None, :]
        else:
            d_out = grad_output.transpose(1, 0, 2) if self.batch_first else grad_output
        rows = self.num_layers * self.num_directions
        d_final = tuple(
            np.zeros((rows, *d_out.shape[1:-1], self.hidden_size), dtype=d_out.dtype)
            if g is None
            else (g if batched else g[:, None, :])
            for g in grad_state
        )
        d_start: list[State] = [()] * rows
        h = self.hidden_size
        for layer in reversed(range(self.num_layers)):
            d_in: Array | None = None
            for direction in range(self.num_directions):
                index = layer * self.num_directions + direction
                d_dir = d_out[..., direction * h : (direction + 1) * h]
                final = tuple(d[index] for d in d_final)
                time = _time_order(direction)
                dx, d_start[index] = self._scan_backward(d_dir[time], final, scans[index], index)
                d_in = dx[time] if d_in is None else d_in + dx[time]
            assert d_in is not None
            if layer > 0:
                mask = masks[layer - 1]
                d_out = d_in if mask is None else d_in * mask
            else:
                d_out = d_in
        d_h0 = tuple(np.stack([s[k] for s in d_start]) for k in range(self._num_states))
        if not batched:
            return d_out[:, 0], tuple(d[:, 0] for d in d_h0)
        grad_input = d_out.transpose(1, 0, 2) if self.batch_first else d_out
        return grad_input, d_h0

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class _SingleStateRNN(RNNBase):
    """``forward(input, hx=None) -> (output, h_n)`` and its backward, for RNN and GRU."""

    # PyTorch's forward takes (input, hx) and returns a pair, unlike Module's single array.
    def forward(  # type: ignore[override]
        self, input: Array, hx: Array | None = None
    ) -> tuple[Array, Array]:
        """Return (output, h_n); ``hx`` (D * num_layers, N, hidden_size) defaults to zeros."""
        output, (h_n,) = self._run(input, None if hx is None else (hx,))
        return output, h_n

    def __call__(  # type: ignore[override]
        self, input: Array, hx: Array | None = None
    ) -> tuple[Array, Array]:
        return self.forward(input, hx)

    def backward(  # type: ignore[override]
        self, grad_output: Array, grad_h_n: Array | None = None
    ) -> tuple[Array, Array]:
        """Given dL/d output (and dL/d h_n, default zero): return (dL/d input, dL/d hx)."""
        grad_input, (grad_hx,) = self._run_backward(grad_output, (grad_h_n,))
        return grad_input, grad_hx


class RNN(_SingleStateRNN):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or ReLU).

    ``RNN(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
    batch_first=False, dropout=0.0, bidirectional=False, *, rng=None)``. ``forward(input,
    hx=None)`` returns (output, h_n); ``backward(grad_output, grad_h_n=None)`` returns
    (grad_input, grad_hx). Shapes, names and init: see ``RNNBase``. Backward of the cell:
    d pre = dh * (1 - h**2) (tanh) or dh * [h > 0] (relu).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: Literal["tanh", "relu"] = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        rng: RNGLike = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        self.nonlinearity = nonlinearity
        super().__init__(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, rng=rng
        )

    def _cell(self, gi: Array, gh: Array, state: State) -> tuple[State, tuple[Array, ...]]:
        pre = gi + gh
        h = np.tanh(pre) if self.nonlinearity == "tanh" else np.maximum(pre, 0)
        return (h,), (h,)

    def _cell_backward(
        self, d_state: State, cache: tuple[Array, ...]
    ) -> tuple[Array, Array, State]:
        (h,) = cache
        dh = d_state[0]
        d_pre = dh * (1.0 - h * h) if self.nonlinearity == "tanh" else dh * (h > 0)
        return d_pre, d_pre, (np.zeros_like(dh),)

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s + (", nonlinearity='relu'" if self.nonlinearity == "relu" else "")


class LSTM(RNNBase):
    """Long short-term memory; gates in the order i, f, g, o (rows of ``weight_ih_l0``):

    i = sigmoid(W_ii x + b_ii + W_hi h + b_hi), f = sigmoid(W_if x + b_if + W_hf h + b_hf),
    g = tanh(W_ig x + b_ig + W_hg h + b_hg), o = sigmoid(W_io x + b_io + W_ho h + b_ho),
    c' = f * c + i * g, h' = o * tanh(c').

    ``forward(input, hx=None)`` with ``hx = (h_0, c_0)`` returns (output, (h_n, c_n));
    ``backward(grad_output, grad_hx=None)`` with ``grad_hx = (dL/dh_n, dL/dc_n)`` (either may be
    None) returns (grad_input, (grad_h_0, grad_c_0)). Backward of the cell, with dc including
    dh * o * (1 - tanh(c')**2): do = dh * tanh(c'), di = dc * g, df = dc * c, dg = dc * i,
    dc_prev = dc * f, then through each gate's sigmoid/tanh derivative.
    Arguments, shapes and init: see ``RNNBase`` (``proj_size`` is not supported).
    """

    _gates = 4
    _num_states = 2

    def _cell(self, gi: Array, gh: Array, state: State) -> tuple[State, tuple[Array, ...]]:
        c_prev = state[1]
        i, f, g, o = np.split(gi + gh, 4, axis=-1)
        i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
        c = f * c_prev + i * g
        tanh_c = np.tanh(c)
        return (o * tanh_c, c), (i, f, g, o, c_prev, tanh_c)

    def _cell_backward(
        self, d_state: State, cache: tuple[Array, ...]
    ) -> tuple[Array, Array, State]:
        i, f, g, o, c_prev, tanh_c = cache
        dh, dc = d_state
        dc = dc + dh * o * (1.0 - tanh_c * tanh_c)
        d_pre = np.concatenate(
            [
                dc * g * i * (1.0 - i),
                dc * c_prev * f * (1.0 - f),
                dc * i * (1.0 - g * g),
                dh * tanh_c * o * (1.0 - o),
            ],
            axis=-1,
        )
        return d_pre, d_pre, (np.zeros_like(dh), dc * f)

    # PyTorch's forward takes (input, (h_0, c_0)) and returns a nested pair.
    def forward(  # type: ignore[override]
        self, input: Array, hx: tuple[Array, Array] | None = None
    ) -> tuple[Array, tuple[Array, Array]]:
        """Return (output, (h_n, c_n)); ``hx = (h_0, c_0)`` defaults to zeros."""
        output, (h_n, c_n) = self._run(input, hx)
        return output, (h_n, c_n)

    def __call__(  # type: ignore[override]
        self, input: Array, hx: tuple[Array, Array] | None = None
    ) -> tuple[Array, tuple[Array, Array]]:
        return self.forward(input, hx)

    def backward(  # type: ignore[override]
        self,
        grad_output: Array,
        grad_hx: tuple[Array | None, Array | None] | None = None,
    ) -> tuple[Array, tuple[Array, Array]]:
        """Given dL/d output and optionally (dL/dh_n, dL/dc_n): (dL/d input, (dL/dh_0, dL/dc_0))."""
        grad_input, (d_h0, d_c0) = self._run_backward(
            grad_output, (None, None) if grad_hx is None else grad_hx
        )
        return grad_input, (d_h0, d_c0)


class GRU(_SingleStateRNN):
    """Gated recurrent unit; gates in the order r, z, n (rows of ``weight_ih_l0``):

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z = sigmoid(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h.

    Note that r multiplies W_hn h + b_hn *including its bias* (PyTorch's and cuDNN's form; the
    original paper applies r to h before the product), which is why GRU needs gi and gh apart.
    Backward of the cell: dn = dh * (1 - z), dz = dh * (h - n), dh_prev (direct) = dh * z,
    dn_pre = dn * (1 - n**2), dr = dn_pre * (W_hn h + b_hn); dL/dgh_n = dn_pre * r.
    ``forward``/``backward`` as ``RNN``; arguments, shapes and init: see ``RNNBase``.
    """

    _gates = 3

    def _cell(self, gi: Array, gh: Array, state: State) -> tuple[State, tuple[Array, ...]]:
        (h_prev,) = state
        gi_r, gi_z, gi_n = np.split(gi, 3, axis=-1)
        gh_r, gh_z, gh_n = np.split(gh, 3, axis=-1)
        r = sigmoid(gi_r + gh_r)
        z = sigmoid(gi_z + gh_z)
        n = np.tanh(gi_n + r * gh_n)
        h = (1.0 - z) * n + z * h_prev
        return (h,), (r, z, n, gh_n, h_prev)

    def _cell_backward(
        self, d_state: State, cache: tuple[Array, ...]
    ) -> tuple[Array, Array, State]:
        r, z, n, gh_n, h_prev = cache
        (dh,) = d_state
        dn_pre = dh * (1.0 - z) * (1.0 - n * n)
        dr_pre = dn_pre * gh_n * r * (1.0 - r)
        dz_pre = dh * (h_prev - n) * z * (1.0 - z)
        dgi = np.concatenate([dr_pre, dz_pre, dn_pre], axis=-1)
        dgh = np.concatenate([dr_pre, dz_pre, dn_pre * r], axis=-1)
        return dgi, dgh, (dh * z,)
