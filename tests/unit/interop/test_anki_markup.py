"""Anki field HTML ↔ card Markdown: the conversion rules, MathJax, escaping, hostile input."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content import default_content_dir, load_library
from quizapp.content.markup import to_html
from quizapp.interop.anki_markup import (
    anki_html_to_markdown,
    anki_text_to_markdown,
    html_lines,
    markdown_to_anki_html,
)


@pytest.mark.parametrize(("field", "markdown"), [
    ("<b>굵게</b> and <i>italic</i> and <strong>s</strong><em>e</em>",
     "**굵게** and *italic* and **s***e*"),
    ("a<br>b<br><br>c", "a\\\nb\n\nc"),
    ("<div>line 1</div><div>line 2</div><div><br></div><div>para</div>",
     "line 1\\\nline 2\n\npara"),
    ("<ul><li>one</li><li>two <b>b</b><ul><li>nested</li></ul></li></ul>after",
     "- one\n- two **b**\n  - nested\n\nafter"),
    ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
    ("<code>a*b</code> and <pre><code class='language-python'>x = 1\n  y</code></pre>",
     "`a*b` and\n\n```python\nx = 1\n  y\n```"),
    ("<h2>Title</h2>body", "**Title**\n\nbody"),
    ("<table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td>1</td></tr></table>",
     "| k | v |\n| --- | --- |\n| a\\|b | 1 |"),
    ("<a href='https://example.com/a b'>docs</a>", "[docs](<https://example.com/a%20b>)"),
    ("<b> spaced </b>x<b></b>", "**spaced** x"),
    ("&lt;tag&gt; &amp; AT&amp;T&nbsp;x", "<tag> & AT&T x"),
])
def test_html_becomes_markdown(field: str, markdown: str) -> None:
    assert anki_html_to_markdown(field) == markdown


@pytest.mark.parametrize(("field", "markdown"), [
    ("inline \\(v_t = \\mu v_{t-1}\\) here", "inline $v_t = \\mu v_{t-1}$ here"),
    ("before\\[\\frac{a}{b} &lt; c\\]after", "before\n\n$$\\frac{a}{b} < c$$\n\nafter"),
    ("\\(x<br>+ y\\)", "$x + y$"),
    ("[$]y^2[/$] and [$$]\\int x[/$$] and [latex]z[/latex]",
     "$y^2$ and\n\n$$\\int x$$\n\nand\n\n$$z$$"),
    ("price \\(a \\$ b\\)", "price $a \\$ b$"),
    ("<b>\\[x\\]</b>", "**$$x$$**"),
    ("unclosed \\(x", "unclosed \\\\(x"),
])
def test_mathjax_becomes_dollar_math(field: str, markdown: str) -> None:
    assert anki_html_to_markdown(field) == markdown


def test_text_that_looks_like_markdown_stays_text() -> None:
    field = "costs $5 * 3, 1_000 [x] `y` \\z"
    markdown = anki_html_to_markdown(field)
    assert to_html(markdown) == f"<p>{field}</p>\n"
    for line in ("# not a heading", "- not a list", "1. not a list", "> not a quote"):
        assert to_html(anki_html_to_markdown(line)) == f"<p>{line.replace('>', '&gt;')}</p>\n"


def test_scripts_styles_images_and_unknown_tags_are_dropped_keeping_text() -> None:
    field = ('<script>alert("x")</script><style>p { color: red }</style>'
             '<span style="color:red">kept</span> <img src="cat.png" alt="a cat">'
             '<img src="x.png"> <iframe src="https://evil.example">inside</iframe>'
             '<a href="javascript:alert(1)">js link</a> <a href="file:///etc/passwd">file</a>'
             "[sound:voice.mp3]")
    assert anki_html_to_markdown(field) == "kept a cat js link file"


def test_cloze_less_plain_text_keeps_lines_and_escapes() -> None:
    assert anki_text_to_markdown("plain <b>not bold</b> *x*\nline 2 \\(z\\)") == \
        "plain <b>not bold</b> \\*x\\*\\\nline 2 $z$"


def test_html_lines_are_plain_text() -> None:
    assert html_lines("a_b.txt: 질문<br>ref: <i>Book</i> &amp; more") == \
        ["a_b.txt: 질문", "ref: Book & more"]


def test_export_renders_markdown_with_mathjax() -> None:
    html = markdown_to_anki_html("모멘텀 $v_t = \\mu v_{t-1}$ 와\n\n$$a < b$$\n\n"
                                 "**b** <script>x</script>")
    assert "\\(v_t = \\mu v_{t-1}\\)" in html and "\\[a &lt; b\\]" in html
    assert "<strong>b</strong>" in html and "&lt;script&gt;" in html and "$" not in html


def test_every_shipped_section_survives_export_and_import() -> None:
    """Markdown → Anki HTML → Markdown renders to the same HTML for every shipped card."""
    library = load_library(default_content_dir())
    sections = [text.get(lang) for card in library.cards for text in (card.question, card.answer)
                for lang in ("ko", "en")]
    assert len(sections) > 1000
    for markdown in sections:
        back = anki_html_to_markdown(markdown_to_anki_html(markdown))
        assert to_html(back).split() == to_html(markdown).split(), markdown[:80]


@pytest.mark.parametrize("field", [
    "\\(" * 60_000,
    "{{c1::" * 40_000,
    "<b>" * 50_000,
    "<ul><li>" * 20_000,
    "[$]" * 60_000 + "[/$$]",
    "<table><tr><td>" * 20_000,
])
def test_hostile_fields_convert_in_linear_time(field: str) -> None:
    started = time.perf_counter()
    anki_html_to_markdown(field)
    assert time.perf_counter() - started < 5


_PIECES = [
    *"ab $*_\\[](){}<>/&;#\n\t",
    "<b>", "</b>", "<i>", "</i>", "<br>", "<div>", "</div>", "<ul>", "<li>", "</ul>", "<ol>",
    "<pre>", "</pre>", "<code>", "</code>", "<table>", "<tr>", "<td>", "</td>", "</table>",
    "<script>", "</script>", "\\(", "\\)", "\\[", "\\]", "&amp;", "{{c1::", "}}", "\ue000"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_any_field_converts_to_markdown_that_renders(field: str) -> None:
    markdown = anki_html_to_markdown(field)
    assert "\ue000" not in markdown and "\ue001" not in markdown
    to_html(markdown)
