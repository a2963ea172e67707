"""The layer rule (only quizapp.ui imports Qt; the domain never imports the GUI) holds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold() -> None:
    beside_python = Path(sys.executable).parent / "lint-imports"
    lint = str(beside_python) if beside_python.exists() else shutil.which("lint-imports")
    if lint is None:
        pytest.fail("import-linter is not installed (pip install -e .[test])")
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 broken." in result.stdout
