"""Every window carries our icon (packaging/icon.png, found through quizapp.resources)."""

from __future__ import annotations

import pytest

from quizapp.ui.app import application, install_app_icon

pytestmark = pytest.mark.gui


def test_the_application_uses_our_icon() -> None:
    app = application()
    assert install_app_icon(app)
    icon = app.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(64, 64).width() == 64
