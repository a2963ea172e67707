"""A hostile card shown in the real view reads no file and no network, and opens only http(s)
links, in the browser, on a click; math never raises, even when the cache cannot be written."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from card_files import write_card
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from pytestqt.qtbot import QtBot

from quizapp.ui.app import application, create_window
from quizapp.ui.card_view import CardPane
from quizapp.ui.math_images import MathImages

pytestmark = pytest.mark.gui

HOSTILE_ANSWER = """<a href="file:///etc/passwd">passwd</a> and [js](javascript:alert(1))

<img src="file:///etc/hostname"> ![rel](../../secret.png) ![web](https://example.org/x.png)

<table background="file:///etc/x.png"><tr><td>t</td></tr></table> [ok](https://pytorch.org)

$\\frac{a}{b}$"""


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL handed to the system browser."""
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: urls.append(url.toString()) or True))
    return urls


def test_a_hostile_card_loads_only_math_images(qtbot: QtBot, small_content: Path,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               opened: list[str]) -> None:
    write_card(small_content / "alpha", "00.md", "evil", en=HOSTILE_ANSWER,
               ko="악성 <img src='file:///etc/hostname'>")
    requested: list[str] = []
    original = CardPane.loadResource

    def spy(self: CardPane, kind: int, url: QUrl) -> object:
        requested.append(QUrl(url).toString())
        return original(self, kind, url)

    monkeypatch.setattr(CardPane, "loadResource", spy)
    application()
    window = create_window(small_content, str(tmp_path / "d"))
    qtbot.addWidget(window)
    window.show()
    window.toggle_language()  # English
    window.open_study()
    review = window.review
    assert review.session is not None and review.session.current is not None
    assert review.session.current.id == "evil"
    review.reveal()
    qtbot.waitUntil(lambda: "<img" in review.card_view.html("en"), timeout=20000)
    review.card_view.panes["en"].grab()
    assert requested and all(url.startswith("math:") for url in requested), requested
    text = review.card_view.plain_text("en")
    assert '<a href="file:///etc/passwd">passwd</a>' in text  # shown as text, not a link
    pane = review.card_view.panes["en"]
    before = pane.toHtml()
    for url in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "../../x"):
        pane.anchorClicked.emit(QUrl(url))
    assert opened == [] and pane.toHtml() == before  # nothing opened, nothing loaded
    pane.anchorClicked.emit(QUrl("https://pytorch.org"))
    assert opened == ["https://pytorch.org"]


def test_the_pane_refuses_every_resource_but_math(tmp_path: Path) -> None:
    application()
    math = MathImages(tmp_path / "math")
    math.render("x^2", False)
    pane = CardPane(math)
    image = QTextDocument.ResourceType.ImageResource.value
    name = MathImages.name_for("x^2", False)
    assert pane.loadResource(image, QUrl(f"math:{name}")) is not None
    secret = tmp_path / "secret.png"
    secret.write_bytes((tmp_path / "math" / name).read_bytes())
    for url in (secret.as_uri(), "math:../secret.png", "https://example.org/x.png",
                f"qrc:/{name}", "math:nothing.png"):
        assert pane.loadResource(image, QUrl(url)) is None, url


def test_math_that_mathtext_cannot_draw_is_shown_as_tex(tmp_path: Path) -> None:
    math = MathImages(tmp_path / "math")
    deep = "\\sqrt{" * 60 + "x" + "}" * 60  # RecursionError inside mathtext's parser
    for tex in (deep, "\\frac{", "\\notacommand{x}"):
        assert math.render_html(tex, False).startswith("<code>")


def test_an_unwritable_cache_still_shows_the_image(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    math = MathImages(blocker / "math")
    html = math.render_html("a^2 + b^2", True)
    assert 'src="math:' in html
    assert math.image_bytes(MathImages.name_for("a^2 + b^2", True)) is not None


def test_two_instances_writing_the_same_formula_at_once(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def render() -> None:
        try:
            for _ in range(5):
                instance = MathImages(tmp_path / "math")
                instance._store(MathImages.name_for("y", False), b"\x89PNG" + b"0" * 5000)
        except BaseException as err:  # collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=render) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in (tmp_path / "math").iterdir()) == [
        MathImages.name_for("y", False)]
