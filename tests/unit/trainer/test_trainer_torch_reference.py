"""The sequence layers against real PyTorch: outputs and every gradient, from stored fixtures.

tests/reference/make_torch_sequence_fixtures.py (run with torch 2.13.0, see its docstring)
built each layer in torch, ran forward and backward, and saved the state_dict, inputs,
outputs, upstream gradients and all gradients. Here each state_dict is loaded into our layer
with ``load_state_dict`` (strict: the parameter names must be torch's), and our forward and
backward must reproduce torch's numbers. This module does not import torch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
)

REFERENCE = Path(__file__).resolve().parents[2] / "reference"
FIXTURES = sorted(REFERENCE.glob("torch_*.npz"))
LAYERS: dict[str, type[Module]] = {
    "Embedding": Embedding,
    "LayerNorm": LayerNorm,
    "RNN": RNN,
    "LSTM": LSTM,
    "GRU": GRU,
    "MultiheadAttention": MultiheadAttention,
}


class Case:
    """One fixture file: its config and its arrays grouped by prefix."""

    def __init__(self, path: Path) -> None:
        with np.load(path) as data:
            arrays = {key: data[key] for key in data.files}
        self.config: dict[str, Any] = json.loads(str(arrays.pop("config")))
        self.groups: dict[str, dict[str, np.ndarray]] = {}
        for key, value in arrays.items():
            prefix, name = key.split(".", 1)
            self.groups.setdefault(prefix, {})[name] = value

    def __getitem__(self, prefix: str) -> dict[str, np.ndarray]:
        return self.groups.get(prefix, {})

    def float64(self) -> bool:
        return self["out"][next(iter(self["out"]))].dtype == np.float64


def build(case: Case) -> Module:
    kwargs = dict(case.config["kwargs"])
    if "normalized_shape" in kwargs and isinstance(kwargs["normalized_shape"], list):
        kwargs["normalized_shape"] = tuple(kwargs["normalized_shape"])
    cls = LAYERS[case.config["layer"]]
    module = cls(**kwargs) if cls is LayerNorm else cls(**kwargs, rng=0)
    if case.float64():
        module.double()
    module.load_state_dict(case["state"])  # strict: every torch key, nothing else
    return module


def run(module: Module, case: Case) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Our forward and backward on the fixture's inputs: (outputs, input gradients)."""
    inputs, upstream = case["in"], case["upstream"]
    if isinstance(module, Embedding):
        out = module(inputs["input"])
        assert module.backward(upstream["output"]) is None  # indices get no gradient
        return {"output": out}, {}
    if isinstance(module, LayerNorm):
        out = module(inputs["input"])
        return {"output": out}, {"input": module.backward(upstream["output"])}
    if isinstance(module, LSTM):
        hx = (inputs["h0"], inputs["c0"]) if "h0" in inputs else None
        output, (h_n, c_n) = module(inputs["input"], hx)
        grad_input, (grad_h0, grad_c0) = module.backward(
            upstream["output"], (upstream.get("h_n"), upstream.get("c_n"))
        )
        grads = {"input": grad_input, "h0": grad_h0, "c0": grad_c0}
        return {"output": output, "h_n": h_n, "c_n": c_n}, grads
    if isinstance(module, (RNN, GRU)):
        output, h_n = module(inputs["input"], inputs.get("h0"))
        grad_input, grad_h0 = module.backward(upstream["output"], upstream.get("h_n"))
        return {"output": output, "h_n": h_n}, {"input": grad_input, "h0": grad_h0}
    assert isinstance(module, MultiheadAttention)
    query = inputs["query"]
    key, value = (
        (query, query) if case.config["self_attention"] else (inputs["key"], inputs["value"])
    )
    out, weights = module(
        query,
        key,
        value,
        key_padding_mask=inputs.get("key_padding_mask"),
        attn_mask=inputs.get("attn_mask"),
        **case.config["call"],
    )
    dq, dk, dv = module.backward(upstream["attn_output"], upstream.get("attn_weights"))
    outputs = {"attn_output": out}
    if weights is not None:
        outputs["attn_weights"] = weights
    if case.config["self_attention"]:
        return outputs, {"query": dq + dk + dv}
    return outputs, {"query": dq, "key": dk, "value": dv}


@pytest.fixture(params=FIXTURES, ids=lambda p: p.stem.removeprefix("torch_"))
def case(request: pytest.FixtureRequest) -> Case:
    return Case(request.param)


def test_fixtures_are_present() -> None:
    assert len(FIXTURES) >= 10, f"no PyTorch fixtures found in {REFERENCE}"


def test_outputs_and_gradients_match_pytorch(case: Case) -> None:
    module = build(case)
    # torch's state_dict keys, in torch's order
    assert list(module.state_dict()) == list(case["state"])
    outputs, input_grads = run(module, case)
    rtol, atol = (1e-6, 1e-9) if case.float64() else (1e-5, 1e-6)
    assert outputs.keys() == case["out"].keys()
    for name, expected in case["out"].items():
        assert outputs[name].dtype == expected.dtype, name
        np.testing.assert_allclose(outputs[name], expected, rtol=rtol, atol=atol, err_msg=name)
    expected_grads = {k: v for k, v in case["grad"].items() if not k.startswith("state.")}
    assert input_grads.keys() >= expected_grads.keys()
    for name, expected in expected_grads.items():
        np.testing.assert_allclose(input_grads[name], expected, rtol=rtol, atol=atol, err_msg=name)
    params = dict(module.named_parameters())
    assert params.keys() == {
        k.removeprefix("state.") for k in case["grad"] if k.startswith("state.")
    }
    for name, p in params.items():
        np.testing.assert_allclose(
            p.grad, case["grad"][f"state.{name}"], rtol=rtol, atol=atol, err_msg=name
        )
