"""Shows a card's question (and answer once revealed) in Korean, English, or both side by side.

Markdown goes through ``quizapp.content.markup``; math is shown from the image cache when it is
there, else as TeX source first and as images a moment later, so the card appears at once.
Missing images are rendered a few at a time (``MATH_SLICE_S`` of work per event-loop turn), so
even a card full of formulas never blocks the window for long.

``CardPane`` is the only place card HTML is displayed, and it is locked down: it loads no
resource but our own math images (no file, no network), never navigates, and hands a clicked
link to the system browser only when it is http(s).
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QWidget

from quizapp.content import Card, Text
from quizapp.content.markup import is_safe_link, plain_math, to_html
from quizapp.ui.math_images import MATH_SCHEME, MathImages
from quizapp.ui.strings import tr

#: Seconds of math rendering per event-loop turn (one formula may take up to ~150 ms).
MATH_SLICE_S = 0.05
WARM_UP_POLL_MS = 40

STYLE = """
body { font-size: 15px; color: #1f2328; }
h1, h2, h3, h4 { margin-top: 10px; margin-bottom: 4px; }
.question { font-size: 20px; font-weight: 600; }
.label { color: #57606a; font-size: 12px; font-weight: 600; }
code { background-color: #eef1f4; font-family: 'DejaVu Sans Mono', monospace; }
pre { background-color: #f6f8fa; padding: 6px; font-family: 'DejaVu Sans Mono', monospace; }
td, th { padding: 3px 8px; border: 1px solid #d0d7de; }
"""


class CardPane(QTextBrowser):
    """A text pane for untrusted card HTML: only ``math:`` images load, and only http(s) links
    open (in the system browser, on a click)."""

    def __init__(self, math: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.math = math
        self.setOpenLinks(False)  # a click never makes the pane load what the link names
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.follow_link)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # Qt override
        url = QUrl(url)
        if kind == QTextDocument.ResourceType.ImageResource.value and url.scheme() == MATH_SCHEME:
            data = self.math.image_bytes(url.path())
            if data is not None:
                return QImage.fromData(data)
        return None  # nothing else, ever: no local file, no network

    def follow_link(self, url: QUrl) -> bool:
        """Open ``url`` in the browser if it is http(s); True when it was opened."""
        if is_safe_link(url.toString()):
            return QDesktopServices.openUrl(url)
        return False


class CardView(QWidget):
    """One text pane per visible language; ``show_card`` fills them."""

    def __init__(self, math: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.math = math
        self.panes = {lang: self._make_pane() for lang in ("ko", "en")}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for pane in self.panes.values():
            layout.addWidget(pane)
        self.mode = "ko"
        self.card: Card | None = None
        self.revealed = False
        self.follow_ups: list[Text] = []
        self._pending: dict[tuple[str, bool], None] = {}  # formulas to render, in order

    def _make_pane(self) -> CardPane:
        pane = CardPane(self.math)
        pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the screen's shortcuts
        pane.document().setDefaultStyleSheet(STYLE)
        pane.document().setDocumentMargin(14)
        return pane

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._render()

    def show_card(self, card: Card | None, revealed: bool = False,
                  follow_ups: list[Text] | None = None) -> None:
        self.card, self.revealed, self.follow_ups = card, revealed, follow_ups or []
        self._render()

    def html(self, lang: str) -> str:
        return self.panes[lang].toHtml()

    def plain_text(self, lang: str) -> str:
        return self.panes[lang].toPlainText()

    def _render(self) -> None:
        self._pending = {}
        for lang, pane in self.panes.items():
            visible = self.mode in (lang, "both")
            pane.setVisible(visible)
            if visible and self.card is not None:
                pane.setHtml(self._card_html(lang))
            elif self.card is None:
                pane.clear()
        if self._pending:
            QTimer.singleShot(0, self._render_pending_math)

    def _render_pending_math(self) -> None:
        """Render missing formulas for up to ``MATH_SLICE_S``, then show what is ready (the
        next slice is scheduled by ``_render`` while any remain)."""
        if not self._pending:
            return
        if not self.math.warm_up():  # matplotlib is being set up off the GUI thread
            QTimer.singleShot(WARM_UP_POLL_MS, self._render_pending_math)
            return
        deadline = time.perf_counter() + MATH_SLICE_S
        for tex, display in list(self._pending):
            self.math.render(tex, display)
            if time.perf_counter() >= deadline:
                break
        self._render()

    def _card_html(self, lang: str) -> str:
        assert self.card is not None
        mode = "en" if lang == "en" else "ko"

        def math(tex: str, display: bool) -> str:
            cached = self.math.cached_html(tex, display)
            if cached is None:
                self._pending[(tex, display)] = None
                return plain_math(tex, display)
            return cached

        parts = [
            f"<p class='label'>{tr('question', mode)}</p>",
            f"<div class='question'>{to_html(self.card.question.get(lang), math)}</div>",
        ]
        if self.revealed:
            parts += ["<hr>", f"<p class='label'>{tr('answer', mode)}</p>",
                      to_html(self.card.answer.get(lang), math)]
            if self.follow_ups:
                items = "".join(f"<li>{to_html(q.get(lang), math)}</li>" for q in self.follow_ups)
                parts += [f"<p class='label'>{tr('follow_ups', mode)}</p><ul>{items}</ul>"]
        return "".join(parts)
