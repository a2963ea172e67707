"""Shows a card's question (and answer once revealed) in Korean, English, or both side by side.

Markdown goes through ``quizapp.content.markup``; math is shown from the image cache when it is
there, else as TeX source first and as images a moment later, so the card appears at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QWidget

from quizapp.content import Card, Text
from quizapp.content.markup import plain_math, to_html
from quizapp.ui.math_images import MathImages
from quizapp.ui.strings import tr

STYLE = """
body { font-size: 15px; color: #1f2328; }
h1, h2, h3, h4 { margin-top: 10px; margin-bottom: 4px; }
.question { font-size: 20px; font-weight: 600; }
.label { color: #57606a; font-size: 12px; font-weight: 600; }
code { background-color: #eef1f4; font-family: 'DejaVu Sans Mono', monospace; }
pre { background-color: #f6f8fa; padding: 6px; font-family: 'DejaVu Sans Mono', monospace; }
td, th { padding: 3px 8px; border: 1px solid #d0d7de; }
"""


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
        self._math_pending = False

    @staticmethod
    def _make_pane() -> QTextBrowser:
        pane = QTextBrowser()
        pane.setOpenExternalLinks(True)
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

    def _render(self, render_math: bool = False) -> None:
        self._math_pending = False
        for lang, pane in self.panes.items():
            visible = self.mode in (lang, "both")
            pane.setVisible(visible)
            if visible and self.card is not None:
                pane.setHtml(self._card_html(lang, render_math))
            elif self.card is None:
                pane.clear()
        if self._math_pending:
            QTimer.singleShot(0, lambda: self._render(render_math=True))

    def _card_html(self, lang: str, render_math: bool) -> str:
        assert self.card is not None
        mode = "en" if lang == "en" else "ko"

        def math(tex: str, display: bool) -> str:
            if render_math:
                return self.math.render_html(tex, display)
            cached = self.math.cached_html(tex, display)
            if cached is None:
                self._math_pending = True
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
