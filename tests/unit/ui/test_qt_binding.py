"""The Qt binding itself: a release that corrupts reference counts would abort the app after a
few thousand calls (PySide6 6.12.0 under Python 3.11 did: every void call dropped a reference
to None). Checked directly, since no screen test runs long enough to hit it."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel

from quizapp.ui.app import application

pytestmark = pytest.mark.gui


def test_qt_calls_keep_the_reference_count_of_none() -> None:
    application()
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setVisible(False)
    # Immortal None (Python 3.12+) reports a constant; a mortal one must not drift by 4,000.
    assert abs(sys.getrefcount(None) - before) < 100
