"""Card Markdown to HTML, with ``$..$`` / ``$$..$$`` math handed to a caller-supplied renderer.

The renderer turns a TeX fragment into HTML (in the app: an ``<img>`` of matplotlib mathtext);
keeping it a parameter keeps this module free of matplotlib and Qt.

Cards are data from anyone, so the HTML is safe by construction (see docs/ARCHITECTURE.md,
"Trust rules"): raw HTML in a card is shown as text, never interpreted; a link is made only for
an absolute ``http``/``https`` URL (anything else, ``file:``, ``javascript:``, ``data:`` or a
relative path, stays plain text); and an image is shown as its alt text, so nothing in a card
makes the app read a local file or the network. The only ``<img>`` tags come from the math
renderer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin

#: ``render(tex, display) -> html``; ``display`` is True for ``$$..$$`` blocks.
MathRenderer = Callable[[str, bool], str]

MATH_TOKENS = {"math_inline", "math_inline_double", "math_block", "math_block_label"}


def plain_math(tex: str, display: bool) -> str:
    """A math renderer that shows the TeX source, used before images are ready."""
    code = f"<code>{html.escape(tex.strip())}</code>"
    return f"<p align='center'>{code}</p>" if display else code


SAFE_SCHEMES = ("http://", "https://")


def is_safe_link(url: str) -> bool:
    """True for the only links a card may carry: absolute http(s) URLs."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


def _image_as_text(self: RendererHTML, tokens: Sequence[Token], idx: int,
                   options: OptionsDict, env: EnvType) -> str:
    """Render ``![alt](src)`` as its alt text: a card never makes the app fetch an image."""
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env) or "image"
    return f"<i>[{html.escape(alt)}]</i>"


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table").use(
        dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True
    )
    parser.validateLink = is_safe_link  # type: ignore[method-assign]
    parser.add_render_rule("image", _image_as_text)
    return parser


def to_html(text: str, render_math: MathRenderer = plain_math) -> str:
    """Render card Markdown to the HTML subset Qt's rich text understands."""
    parser = _parser()
    tokens = parser.parse(text)
    _replace_math(tokens, render_math)
    return str(parser.renderer.render(tokens, parser.options, {}))


def to_inline_html(text: str, render_math: MathRenderer = plain_math) -> str:
    """Render one line of card Markdown (a question in a list of links) without block tags."""
    parser = _parser()
    tokens = parser.parseInline(" ".join(text.split()))
    _replace_math(tokens, render_math)
    return str(parser.renderer.render(tokens, parser.options, {}))


def math_fragments(text: str) -> list[tuple[str, bool]]:
    """Every math fragment of ``text`` as ``(tex, display)``, in order."""
    found: list[tuple[str, bool]] = []

    def collect(tex: str, display: bool) -> str:
        found.append((tex, display))
        return ""

    to_html(text, collect)
    return found


#: Punctuation that must not start a line after inline math (the image is a break point).
_TRAILING_PUNCTUATION = re.compile(r"^[,.;:!?)\]}%'\"…、。，．：；！？）」』]+")


def _replace_math(tokens: list[Token], render_math: MathRenderer) -> None:
    """Turn math tokens into raw HTML tokens carrying the renderer's output. Punctuation right
    after inline math is kept on the same line as it (``$x$;`` never wraps before ``;``)."""
    for index, token in enumerate(tokens):
        if token.type in MATH_TOKENS:
            display = token.type.startswith("math_block")
            token.content = render_math(token.content.strip(), display)
            token.type = "html_block" if token.type.startswith("math_block") else "html_inline"
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if not display and following is not None and following.type == "text" and (
                    glued := _TRAILING_PUNCTUATION.match(following.content)):
                following.content = following.content[glued.end():]
                token.content = (f'<span style="white-space: nowrap">{token.content}'
                                 f"{html.escape(glued.group())}</span>")
        if token.children:
            _replace_math(token.children, render_math)
