"""Before Qt starts: no display, or missing xcb libraries, is a message and exit status 3 —
never Qt's abort and core dump."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.ui.display_check import DISPLAY_PROBLEM, XCB_LIBRARIES, display_problem

MAIN = Path(__file__).resolve().parents[3] / "main.py"


def loader_without(*missing: str):  # type: ignore[no-untyped-def]
    def load(name: str) -> object:
        if Path(name).name in missing or name.endswith("libQt6XcbQpa.so.6"):
            raise OSError(f"{name}: cannot open shared object file")
        return object()
    return load


def test_no_display_at_all() -> None:
    problem = display_problem({}, platform="linux")
    assert problem is not None and problem.startswith("No display found")


@pytest.mark.parametrize("env", [{"QT_QPA_PLATFORM": "offscreen"}, {"WAYLAND_DISPLAY": "w-0"},
                                 {"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}])
def test_other_platforms_are_left_to_qt(env: dict[str, str]) -> None:
    assert display_problem(env, loader=loader_without("libxcb-cursor.so.0"),
                           platform="linux") is None


def test_missing_xcb_libraries_are_named_with_their_apt_and_dnf_packages() -> None:
    problem = display_problem({"DISPLAY": ":0"}, platform="linux", loader=loader_without(
        "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    assert problem is not None
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in problem
    assert "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms" in problem


def test_nothing_missing_means_no_problem() -> None:
    assert display_problem({"DISPLAY": ":0"}, platform="linux", loader=lambda name: object(),
                           connect=lambda display: True) is None
    assert display_problem({}, platform="win32") is None
    assert set(XCB_LIBRARIES) >= {"libxcb-cursor.so.0", "libxcb-icccm.so.4",
                                  "libxcb-keysyms.so.1"}


@pytest.mark.parametrize("command", [[], ["smoke"]])
def test_the_app_without_a_display_exits_3_with_a_message(tmp_path: Path,
                                                          command: list[str]) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, str(MAIN), *command, "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == DISPLAY_PROBLEM
    assert result.stderr.startswith("error: No display found") and "Traceback" not in result.stderr
    assert not (tmp_path / "progress.sqlite3").exists()


def test_an_x_server_that_does_not_answer_is_named() -> None:
    problem = display_problem({"DISPLAY": ":97"}, platform="linux", loader=lambda name: object(),
                              connect=lambda display: False)
    assert problem is not None and problem.startswith("Cannot connect to the X display ':97'")


def test_the_real_check_finds_no_server_on_an_unused_display() -> None:
    from quizapp.ui.display_check import can_connect_to_x

    assert can_connect_to_x(":87") is False
