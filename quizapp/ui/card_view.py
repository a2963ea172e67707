"""Shows a card's question (and answer once revealed) in Korean, English, or both side by side.

Markdown goes through ``quizapp.content.markup``; math is shown from the image cache when it is
there, else as TeX source first and as images a moment later, so the card appears at once.
Missing images are rendered a few at a time (``MATH_SLICE_S`` of work per event-loop turn), so
even a card full of formulas never blocks the window for long. Formulas are drawn at the size,
colour and baseline of the text around them; the zoom (Ctrl+= / Ctrl+- / Ctrl+0) scales both.

Follow-up questions under an answer are ``card:<id>`` links: a click asks (``card_requested``)
for that card to be shown.

Other screens (the quiz, the mock interview) show pages of their own made of card text and
their own escaped HTML: ``show_page`` takes a function of a ``CardMarkup``, which renders card
Markdown for the pane with the same math machinery.

``CardPane`` is the only place card HTML is displayed, and it is locked down: it loads no
resource but our own math images (no file, no network), never navigates, and hands a clicked
link to the system browser only when it is http(s).
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QFontMetricsF, QImage, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QWidget

from quizapp.content import Card
from quizapp.content.markup import is_safe_link, plain_math, to_html, to_inline_html
from quizapp.ui.math_images import MATH_SCHEME, MathImages, MathStyle
from quizapp.ui.strings import tr
from quizapp.ui.theme import Colors, colors

#: Seconds of math rendering per event-loop turn (one formula may take up to ~150 ms).
MATH_SLICE_S = 0.05
WARM_UP_POLL_MS = 40
CARD_SCHEME = "card"
BODY_PX = 15.0
QUESTION_PX = 20.0
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)

MathFn = Callable[[str, bool], str]


@dataclass(frozen=True)
class CardMarkup:
    """Card Markdown to safe HTML for one pane: its language, and formulas drawn at the
    question's or the body's size (or as TeX source until their images are ready)."""

    lang: str
    question_math: MathFn
    body_math: MathFn

    def question(self, text: str) -> str:
        return f"<div class='question'>{to_html(text, self.question_math)}</div>"

    def block(self, text: str) -> str:
        return to_html(text, self.body_math)

    def inline(self, text: str) -> str:
        return to_inline_html(text, self.body_math)


#: A page: HTML built from card text through a ``CardMarkup`` (and escaped text of ours).
Page = Callable[[CardMarkup], str]


def card_link(card: Card, markup: CardMarkup) -> str:
    """A ``card:`` link showing ``card``'s question on one line."""
    return (f"<a href='{CARD_SCHEME}:{html.escape(card.id, quote=True)}'>"
            f"{markup.inline(card.question.get(markup.lang))}</a>")


def card_page(markup: CardMarkup, card: Card, revealed: bool, follow_ups: list[Card],
              between: str = "", mode: str | None = None) -> str:
    """The question, then (``revealed``) the answer and the follow-up links; ``between`` is
    HTML of ours shown between the question and the answer. The labels are in ``mode``'s
    language (by default the pane's)."""
    lang = markup.lang
    mode = mode or ("en" if lang == "en" else "ko")
    parts = [f"<p class='label'>{tr('question', mode)}</p>",
             markup.question(card.question.get(lang)), between]
    if revealed:
        parts += ["<hr>", f"<p class='label'>{tr('answer', mode)}</p>",
                  markup.block(card.answer.get(lang))]
        if follow_ups:
            items = "".join(f"<li>{card_link(c, markup)}</li>" for c in follow_ups)
            parts += [f"<p class='label'>{tr('follow_ups', mode)}</p><ul>{items}</ul>"]
    return "".join(parts)


class CardPane(QTextBrowser):
    """A text pane for untrusted card HTML: only ``math:`` images load, only http(s) links
    open (in the system browser, on a click), and ``card:`` links ask for another card."""

    card_requested = Signal(str)

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
        """Open ``url`` in the browser if it is http(s), or ask for a ``card:`` link's card;
        True when something happened."""
        if url.scheme() == CARD_SCHEME:
            self.card_requested.emit(url.path())
            return True
        if is_safe_link(url.toString()):
            return QDesktopServices.openUrl(url)
        return False


class CardView(QWidget):
    """One text pane per visible language; ``show_card`` fills them."""

    card_requested = Signal(str)  # a follow-up link was clicked: the card id

    def __init__(self, math: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.math = math
        self.panes = {lang: self._make_pane() for lang in ("ko", "en")}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for pane in self.panes.values():
            layout.addWidget(pane)
        self.mode = "ko"
        self.zoom = 1.0
        self.card: Card | None = None
        self.revealed = False
        self.follow_ups: list[Card] = []
        self._page: Page | None = None
        self._pending: dict[tuple[str, bool, MathStyle], None] = {}  # formulas to render
        #: formulas of what is likely shown next (the hidden answer), drawn while idle
        self._ahead: dict[tuple[str, bool, MathStyle], None] = {}

    def _make_pane(self) -> CardPane:
        pane = CardPane(self.math)
        pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the screen's shortcuts
        pane.document().setDocumentMargin(14)
        pane.card_requested.connect(self.card_requested.emit)
        return pane

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._render()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self._render()

    def restyle(self) -> None:
        """Re-render with the current theme's colours."""
        self._render()

    def show_card(self, card: Card | None, revealed: bool = False,
                  follow_ups: list[Card] | None = None) -> None:
        self.card, self.revealed, self.follow_ups = card, revealed, follow_ups or []
        ups = self.follow_ups
        self.show_page(None if card is None else
                       lambda markup: card_page(markup, card, revealed, ups))
        if card is not None and not revealed:
            self.draw_answer_ahead(card)

    def draw_answer_ahead(self, card: Card) -> None:
        """Draw the formulas of ``card``'s answer while the user reads its question, so that
        the answer shows them at once instead of their TeX source for a moment."""
        palette = colors()
        self._ahead = {}
        for lang in self.panes:
            if self.mode in (lang, "both"):
                self._markup(lang, palette, into=self._ahead).block(card.answer.get(lang))
        if self._ahead:
            QTimer.singleShot(0, self._render_pending_math)

    def show_page(self, page: Page | None, mode: str | None = None) -> None:
        """Show a page built from card text (rendered again on a language, zoom or theme
        change, and once formula images are ready), in the panes of ``mode`` when given;
        None clears the panes."""
        self._page = page
        self.mode = mode or self.mode
        self._render()

    def html(self, lang: str) -> str:
        return self.panes[lang].toHtml()

    def plain_text(self, lang: str) -> str:
        return self.panes[lang].toPlainText()

    def _render(self) -> None:
        self._pending = {}
        palette = colors()
        for lang, pane in self.panes.items():
            visible = self.mode in (lang, "both")
            pane.setVisible(visible)
            pane.document().setDefaultStyleSheet(_style_sheet(palette, self.zoom))
            # Qt's rich text takes a paragraph's size from the document's font, not from a
            # ``body`` rule: without this the zoom reached headings and the question only.
            font = pane.document().defaultFont()
            font.setPixelSize(round(BODY_PX * self.zoom))
            pane.document().setDefaultFont(font)
            if visible and self._page is not None:
                pane.setHtml(self._page(self._markup(lang, palette)))
            elif self._page is None:
                pane.clear()
        if self._pending:
            QTimer.singleShot(0, self._render_pending_math)

    def _render_pending_math(self) -> None:
        """Render missing formulas for up to ``MATH_SLICE_S``, then show what is ready (the
        next slice is scheduled by ``_render`` while any remain)."""
        if not self._pending and not self._ahead:
            return
        if not self.math.warm_up():  # matplotlib is being set up off the GUI thread
            QTimer.singleShot(WARM_UP_POLL_MS, self._render_pending_math)
            return
        deadline = time.perf_counter() + MATH_SLICE_S
        if self._pending:
            for tex, display, style in list(self._pending):
                self.math.render(tex, display, style)
                if time.perf_counter() >= deadline:
                    break
            self._render()  # schedules the next slice while any remain
            return
        while self._ahead and time.perf_counter() < deadline:  # nothing on screen waits
            self.math.render(*self._ahead.popitem()[0])
        if self._ahead:
            QTimer.singleShot(0, self._render_pending_math)

    def _math_style(self, size_px: float, palette: Colors) -> MathStyle:
        font = QFont(self.font())
        font.setPixelSize(max(1, round(size_px)))
        metrics = QFontMetricsF(font)
        return MathStyle(size_px=round(size_px, 1), ascent_px=round(metrics.ascent(), 1),
                         descent_px=round(metrics.descent(), 1),
                         x_height_px=round(metrics.xHeight(), 1), color=palette.text)

    def _markup(self, lang: str, palette: Colors,
                into: dict[tuple[str, bool, MathStyle], None] | None = None) -> CardMarkup:
        """The markup for one pane; a formula not drawn yet shows as TeX and is noted in
        ``into`` (by default the formulas the pane waits for)."""
        question_style = self._math_style(QUESTION_PX * self.zoom, palette)
        body_style = self._math_style(BODY_PX * self.zoom, palette)
        missing = self._pending if into is None else into

        def math_in(style: MathStyle) -> MathFn:
            def math(tex: str, display: bool) -> str:
                cached = self.math.cached_html(tex, display, style)
                if cached is None:
                    missing[(tex, display, style)] = None
                    return plain_math(tex, display)
                return cached
            return math

        return CardMarkup(lang, math_in(question_style), math_in(body_style))


def _style_sheet(palette: Colors, zoom: float) -> str:
    """The card CSS for the theme's colours at ``zoom``."""
    return f"""
body {{ font-size: {BODY_PX * zoom:.1f}px; color: {palette.text}; }}
h1, h2, h3, h4 {{ margin-top: 10px; margin-bottom: 4px; }}
.question {{ font-size: {QUESTION_PX * zoom:.1f}px; font-weight: 600; }}
.label {{ color: {palette.muted}; font-size: {12 * zoom:.1f}px; font-weight: 600; }}
a {{ color: {palette.link}; }}
code {{ background-color: {palette.code_bg}; font-family: 'DejaVu Sans Mono', monospace; }}
pre {{ background-color: {palette.pre_bg}; padding: 6px;
       font-family: 'DejaVu Sans Mono', monospace; }}
td, th {{ padding: 3px 8px; border: 1px solid {palette.border}; }}
"""
