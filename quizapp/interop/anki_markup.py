"""Card Markdown to Anki field HTML and back, with math as MathJax on the Anki side.

Export (``markdown_to_anki_html``): the card's Markdown is rendered by the app's own renderer
(``content.markup.to_html``, so raw HTML in a card stays text and only http(s) links are links),
and each formula becomes MathJax, which Anki renders: ``$..$`` → ``\\(..\\)`` and ``$$..$$`` →
``\\[..\\]``, with the TeX HTML-escaped.

Import (``anki_html_to_markdown``): a small, safe conversion of a field's HTML. Kept: text, line
breaks (``<br>``, ``<div>``, ``<p>``), lists, bold, italic, code, headings (as bold lines),
http(s) links, table rows (one line each, cells separated by ``|``). Dropped: scripts, styles
and other embedded content with everything inside them, images (their alt text is kept), sound
references (``[sound:..]``) and every other tag (its text is kept). MathJax ``\\(..\\)`` /
``\\[..\\]`` and Anki's LaTeX tags (``[$]..[/$]``, ``[$$]..[/$$]``, ``[latex]..[/latex]``) become
``$..$`` / ``$$..$$``. Text is escaped so that it reads back as the same text (a ``$`` in
prose stays a dollar sign, ``*`` stays a star). Scanning is linear in the input: a hostile field
cannot make it slow.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from quizapp.content.markup import is_safe_link, to_html

# -- export ---------------------------------------------------------------------------------------


def mathjax(tex: str, display: bool) -> str:
    """A math renderer for ``to_html`` that leaves the TeX to Anki's MathJax."""
    body = html.escape(tex.strip(), quote=False)
    return f"\\[{body}\\]" if display else f"\\({body}\\)"


def markdown_to_anki_html(text: str) -> str:
    """Card Markdown as the HTML of an Anki field (math as MathJax)."""
    return to_html(text, mathjax).strip()


# -- import ---------------------------------------------------------------------------------------

#: Math delimiters recognised in Anki fields: (open, close, display).
_MATH_DELIMITERS = (
    ("\\(", "\\)", False),
    ("\\[", "\\]", True),
    ("[$$]", "[/$$]", True),
    ("[$]", "[/$]", False),
    ("[latex]", "[/latex]", True),
)
#: Private-use characters marking where a formula was taken out (stripped from input first).
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARK_RE = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_DOLLAR = re.compile(r"(?<!\\)\$")
_TAG_RE = re.compile(r"<[^<>]*>")
_SOUND_RE = re.compile(r"\[sound:[^\]\n]{0,500}\]")
#: Embedded content dropped with everything inside it.
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "iframe",
                   "object", "svg", "math", "audio", "video", "canvas", "select", "textarea"})
_BLOCKS = frozenset({"p", "blockquote", "section", "article", "header", "footer", "figure",
                     "figcaption", "center", "dl", "details", "summary", "form",
                     "fieldset", "main", "nav", "aside", "address"})
_LINES = frozenset({"div", "dt", "dd", "caption"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em", "cite", "dfn", "var"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
# Break levels, strongest wins: a hard line break inside a paragraph, a new line that starts a
# list item, a blank line between paragraphs.
_HARD, _NEWLINE, _PARAGRAPH = 1, 2, 3
#: Deeper nesting is flattened (lists) or ignored (inline tags), keeping the work linear.
MAX_LIST_DEPTH = 8
MAX_INLINE_DEPTH = 20
_ESCAPED = re.compile(r"([\\`*_\[\]$])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^([#>+=|-]|\d+(?=[.)]))")
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0\u200b]+")


def anki_html_to_markdown(field: str) -> str:
    """The Markdown for an Anki field's HTML (see the module docstring for the rules)."""
    return _convert(field, as_html=True)


def anki_text_to_markdown(text: str) -> str:
    """Markdown for plain text from a text export: escaped, line breaks kept, math converted."""
    return _convert(text, as_html=False)


def _convert(source: str, as_html: bool) -> str:
    source = source.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    source = _SOUND_RE.sub("", source)
    source, formulas = _take_out_math(source, as_html)
    if not as_html:
        source = html.escape(source, quote=False).replace("\n", "<br>")
    converter = _HtmlToMarkdown(formulas)
    converter.feed(source)
    converter.close()
    return converter.markdown()


def _take_out_math(source: str, as_html: bool) -> tuple[str, list[tuple[str, bool]]]:
    """Replace each formula by a numbered mark; return the text and the ``(tex, display)``."""
    formulas: list[tuple[str, bool]] = []
    for opener, closer, display in _MATH_DELIMITERS:
        pieces: list[str] = []
        position = 0
        while (start := source.find(opener, position)) >= 0:
            end = source.find(closer, start + len(opener))
            if end < 0:
                break
            tex = source[start + len(opener):end]
            if as_html:
                tex = html.unescape(_TAG_RE.sub(" ", tex))
            tex = " ".join(_DOLLAR.sub(r"\\$", tex).split())
            pieces.append(source[position:start])
            if tex:
                pieces.append(f"{_MARK_OPEN}{len(formulas)}{_MARK_CLOSE}")
                formulas.append((tex, display))
            position = end + len(closer)
        pieces.append(source[position:])
        source = "".join(pieces)
    return source, formulas


def escape_markdown(text: str, line_start: bool = False) -> str:
    """``text`` with the characters Markdown (and ``$`` math) would interpret escaped."""
    text = _ENTITY_LIKE.sub("\\\\&", _ESCAPED.sub(r"\\\1", text))
    if line_start:
        text = _LINE_START.sub(lambda m: "\\" + m.group(1) if not m.group(1).isdigit()
                               else m.group(1) + "\\", text)
    return text


class _HtmlToMarkdown(HTMLParser):
    """Walks the HTML once, writing Markdown; breaks are written lazily before the next text, so
    that runs of ``<div>``/``<br>`` collapse and nothing trails at the end."""

    def __init__(self, formulas: list[tuple[str, bool]]) -> None:
        super().__init__(convert_charrefs=True)
        self.formulas = formulas
        self.out: list[str] = []
        self.pending = 0
        self.line_start = True
        self.skip: list[str] = []
        # open lists: [next number (0 for bullets), marker column, item text column]
        self.lists: list[list[int]] = []
        self.indent = ""
        self.inline: list[tuple[str, int, str]] = []  # (tag, index in out, marker or href)
        self.pre_depth = 0
        self.pre_text: list[str] = []
        self.pre_language = ""
        self.table: list[list[str]] | None = None  # rows of cells while inside a <table>
        self.table_start = 0
        self.cell_start: int | None = None
        self.bold = 0
        self.italic = 0

    @property
    def code_depth(self) -> int:
        """How many open inline code elements we are in (their text is written as is)."""
        return sum(tag in _CODE for tag, _, _ in self.inline)

    # -- output helpers --------------------------------------------------------------------------

    def _break(self, level: int) -> None:
        if self.code_depth:  # code spans stay on one line
            level = 0
            if self.out and not self.out[-1].endswith(" "):
                self.out.append(" ")
        if self.out and level:
            self.pending = max(self.pending, level)

    def _flush_break(self) -> None:
        if not self.pending:
            return
        if self.out:
            self.out[-1] = self.out[-1].rstrip(" ")
        if self.pending == _HARD and not self.line_start:
            self.out.append("\\\n")
        elif self.pending == _PARAGRAPH:
            self.out.append("\n\n")
        else:
            self.out.append("\n")
        self.out.append(self.indent)
        self.pending = 0
        self.line_start = True

    def _write(self, text: str, raw: bool = False) -> None:
        if not text:
            return
        self._flush_break()
        if self.line_start:
            text = text.lstrip(" ")
            if not text:
                return
        self.out.append(text if raw else escape_markdown(text, self.line_start))
        self.line_start = False

    # -- HTMLParser callbacks --------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.append(tag)
            return
        if tag in _SKIP:
            self.skip.append(tag)
            return
        values = {name: value or "" for name, value in attrs}
        if self.pre_depth:
            if tag == "br":
                self.pre_text.append("\n")
            elif tag == "code" and not self.pre_language:
                language = values.get("class", "").partition("language-")[2].split(" ")[0]
                self.pre_language = re.sub(r"[^\w+#.-]", "", language)[:30]
            self.pre_depth += tag == "pre"
            return
        if self.table is not None and tag in ("tr", "td", "th", "table"):
            self._table_start_tag(tag)
            return
        if tag == "br":
            if self.pending in (_HARD, _NEWLINE):
                self.pending = _PARAGRAPH
            else:
                self._break(_HARD)
        elif tag in _LINES or (tag == "li" and not self.lists):
            self._break(_HARD)
        elif tag in _BLOCKS or tag in _HEADINGS or tag == "hr":
            self._break(_PARAGRAPH)
            if tag in _HEADINGS:
                self._open_inline(tag, "**")
        elif tag in ("ul", "ol"):
            self._break(_PARAGRAPH if not self.lists else _NEWLINE)
            column = len(self.indent) if len(self.lists) < MAX_LIST_DEPTH else \
                self.lists[-1][1]  # too deep: items continue the list they are in
            self.lists.append([1 if tag == "ol" else 0, column, column])
        elif tag == "li":
            self._start_item()
        elif tag == "pre":
            self._break(_PARAGRAPH)
            self.pre_depth = 1
            self.pre_text = []
            self.pre_language = ""
        elif tag == "table":
            self._break(_PARAGRAPH)
            self._flush_break()
            self.table = []
            self.table_start = len(self.out)
        elif tag == "tr":
            self._break(_HARD)
        elif tag in ("td", "th"):
            if not self.line_start and not self.pending:
                self._write(" | ", raw=True)
        elif tag in _BOLD:
            self._open_inline(tag, "**")
        elif tag in _ITALIC:
            self._open_inline(tag, "*")
        elif tag in _CODE:
            self._open_inline(tag, "`")
        elif tag == "a":
            self._open_inline(tag, values.get("href", "").strip())
        elif tag == "img" and values.get("alt", "").strip():
            self.handle_data(f" {values['alt']} ")  # the alt text, as a word of its own

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if self.pre_depth:
            if tag == "pre":
                self.pre_depth -= 1
                if not self.pre_depth:
                    self._write_pre()
            return
        if self.table is not None and tag in ("td", "th", "table"):
            self._table_end_tag(tag)
            return
        if tag in _LINES or (tag == "li" and not self.lists):
            self._break(_HARD)
        elif tag in _BLOCKS or tag in _HEADINGS:
            if tag in _HEADINGS:
                self._close_inline(tag)
            self._break(_PARAGRAPH)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.indent = " " * self.lists[-1][2] if self.lists else ""
            self._break(_PARAGRAPH if not self.lists else _NEWLINE)
        elif tag in _BOLD or tag in _ITALIC or tag == "a" or tag in _CODE:
            self._close_inline(tag)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre_depth:
            self.pre_text.append(_MARK_RE.sub(self._formula_source, data))
            return
        position = 0
        for match in _MARK_RE.finditer(data):
            self._text(data[position:match.start()])
            self._formula(int(match.group(1)))
            position = match.end()
        self._text(data[position:])

    # -- pieces ----------------------------------------------------------------------------------

    def _text(self, data: str) -> None:
        text = _SPACES.sub(" ", data)
        if not text:
            return
        if text == " ":
            if not self.line_start and not self.pending and self.out and \
                    not self.out[-1].endswith(" "):
                self.out.append(" ")
            return
        if text.startswith(" ") and not self.pending and self.out and \
                self.out[-1].endswith(" "):
            text = text[1:]  # HTML shows one space where two pieces of text meet
        self._write(text, raw=bool(self.code_depth))

    def _formula(self, index: int) -> None:
        if index >= len(self.formulas):
            return
        tex, display = self.formulas[index]
        if self.code_depth:
            self._write(f"\\[{tex}\\]" if display else f"\\({tex}\\)", raw=True)
        elif display and not self.inline:
            self._break(_PARAGRAPH)
            self._write(f"$${tex}$$", raw=True)
            self._break(_PARAGRAPH)
        else:
            self._write(f"$${tex}$$" if display else f"${tex}$", raw=True)

    def _formula_source(self, match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(self.formulas):
            return ""
        tex, display = self.formulas[index]
        return f"\\[{tex}\\]" if display else f"\\({tex}\\)"

    def _start_item(self) -> None:
        """Start a list item: its marker at the list's indent, its text indented under it."""
        if not self.lists:
            self.lists.append([0, len(self.indent), len(self.indent) + 2])
        entry = self.lists[-1]
        marker = f"{entry[0]}. " if entry[0] else "- "
        if entry[0]:
            entry[0] += 1
        self._break(_NEWLINE)
        self.indent = " " * entry[1]
        self._flush_break()
        self.out.append(" " * entry[1] + marker if not self.out else marker)
        entry[2] = entry[1] + len(marker)
        self.indent = " " * entry[2]
        self.line_start = True

    def _open_inline(self, tag: str, marker: str) -> bool:
        """Remember where an inline element starts (False when nested too deep: ignored)."""
        if len(self.inline) >= MAX_INLINE_DEPTH:
            return False
        if (tag in _BOLD and self.bold) or (tag in _ITALIC and self.italic):
            marker = ""  # already bold (italic): a second marker would not nest
        self.bold += tag in _BOLD or tag in _HEADINGS
        self.italic += tag in _ITALIC
        self._flush_break()  # the break before the element goes outside its markers
        self.inline.append((tag, len(self.out), marker))
        return True

    def _close_inline(self, tag: str) -> None:
        for position in range(len(self.inline) - 1, -1, -1):
            if self.inline[position][0] == tag:
                break
        else:
            return
        for opened, start, marker in reversed(self.inline[position:]):
            self.bold -= opened in _BOLD or opened in _HEADINGS
            self.italic -= opened in _ITALIC
            self._wrap(opened, start, marker)
        del self.inline[position:]

    def _wrap(self, tag: str, start: int, marker: str) -> None:
        """Put the Markdown for an inline element around what was written since ``start``."""
        if not marker:
            return
        content = "".join(self.out[start:])
        core = content.strip(" ")
        if not core or "\n" in core:
            return
        lead = content[: len(content) - len(content.lstrip(" "))]
        trail = content[len(content.rstrip(" ")):]
        if tag == "a":
            if not is_safe_link(marker):
                return
            url = marker.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
            wrapped = f"[{core}](<{url}>)"
        elif tag in _CODE:
            fence = "`" * (max((len(r) for r in re.findall(r"`+", core)), default=0) + 1)
            pad = " " if core.startswith("`") or core.endswith("`") else ""
            wrapped = f"{fence}{pad}{core}{pad}{fence}"
        else:
            wrapped = f"{marker}{core}{marker}"
        self.out[start:] = [lead, wrapped, trail] if lead or trail else [wrapped]

    def _write_pre(self) -> None:
        code = "".join(self.pre_text).strip("\n")
        if not code.strip():
            return
        fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", code)), default=0) + 1)
        self._break(_PARAGRAPH)
        self._write_block(f"{fence}{self.pre_language}\n{code}\n{fence}")

    # -- tables: collected cell by cell, written as one Markdown table at </table> ---------------

    def _table_start_tag(self, tag: str) -> None:
        assert self.table is not None
        if tag == "tr":
            self._end_cell()
            self.table.append([])
        elif tag in ("td", "th"):
            self._end_cell()
            if not self.table:
                self.table.append([])
            self.cell_start = len(self.out)
            self.pending = 0
            self.line_start = True
        # a <table> inside a table: its cells become cells of the outer one

    def _table_end_tag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._end_cell()
            return
        assert self.table is not None
        self._end_cell()
        rows = [row for row in self.table if row]
        del self.out[self.table_start:]
        self.table = None
        self.pending = 0
        self.line_start = not self.out or self.out[-1].endswith("\n") or \
            self.out[-1] == self.indent
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + " --- |" * width)
        self._break(_PARAGRAPH)
        self._write_block("\n".join(lines))

    def _end_cell(self) -> None:
        if self.cell_start is None or self.table is None:
            return
        while self.inline and self.inline[-1][1] >= self.cell_start:  # close what the cell opened
            self._close_inline(self.inline[-1][0])
        cell = "".join(self.out[self.cell_start:])
        del self.out[self.cell_start:]
        cell = re.sub(r"\s*\\?\n\s*", " ", cell).strip().replace("|", "\\|")
        self.table[-1].append(cell)
        self.cell_start = None
        self.pending = 0

    def _write_block(self, text: str) -> None:
        """Write a multi-line block (fenced code, a table) as its own paragraph."""
        self._flush_break()
        self.out.append(text.replace("\n", "\n" + self.indent) if self.indent else text)
        self.line_start = False
        self._break(_PARAGRAPH)

    def markdown(self) -> str:
        """The Markdown written, trailing spaces and extra blank lines removed."""
        for tag, start, marker in reversed(self.inline):  # unclosed inline elements
            self._wrap(tag, start, marker)
        self.inline.clear()
        text = "".join(self.out)
        lines = [line.rstrip() for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
        return text.strip()


_LINE_TAGS = re.compile(r"<\s*(br|/?div|/?p|/?li)\b[^<>]*>", re.I)


def html_lines(field: str, as_html: bool = True) -> list[str]:
    """The non-empty lines of a field as plain text (tags dropped, entities decoded): for values
    that are not Markdown, such as a card's sources."""
    if as_html:
        field = html.unescape(_TAG_RE.sub("", _LINE_TAGS.sub("\n", field)))
    return [" ".join(line.split()) for line in field.splitlines() if line.strip()]
