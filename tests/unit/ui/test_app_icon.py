"""Every window carries our icon (packaging/icon.png, found through quizapp.resources)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from quizapp.ui.app import install_app_icon

pytestmark = pytest.mark.gui


def test_the_application_uses_our_icon(qapp: QApplication) -> None:
    # pytest-qt's QApplication, not quizapp.ui.app.application(): creating the app's own here
    # would make NanumGothic the font of every later test in the process.
    before = qapp.windowIcon()
    try:
        assert install_app_icon(qapp)
        icon = qapp.windowIcon()
        assert not icon.isNull()
        assert icon.pixmap(64, 64).width() == 64
    finally:
        qapp.setWindowIcon(before if not before.isNull() else QIcon())
