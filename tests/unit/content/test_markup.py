"""Card Markdown becomes HTML; math goes to the renderer it is given."""

from quizapp.content.markup import math_fragments, to_html


def test_math_fragments_are_found_inline_and_display() -> None:
    text = "Adam은 $m_t$ 를 씁니다. 가격은 \\$5.\n\n$$\n\\hat m_t = \\frac{m_t}{1-\\beta_1^t}\n$$\n"
    assert math_fragments(text) == [("m_t", False), ("\\hat m_t = \\frac{m_t}{1-\\beta_1^t}", True)]


def test_markdown_renders_and_math_uses_the_renderer() -> None:
    html = to_html("**굵게** `code`\n\n- $x^2$", lambda tex, display: f"[{tex}]")
    assert "<strong>굵게</strong>" in html and "<code>code</code>" in html
    assert "<li>[x^2]</li>" in html


HOSTILE = [
    '<a href="file:///etc/passwd">click</a>',
    '<img src="file:///etc/hostname">',
    '<img src="../../secret.png">',
    '<table background="file:///etc/x.png"><tr><td>x</td></tr></table>',
    '<script>alert(1)</script>',
    '<iframe src="https://example.org"></iframe>',
    '<style>body { background: url(file:///x) }</style>',
    '<a href="javascript:alert(1)">x</a>',
    '[file](file:///etc/passwd)',
    '[js](javascript:alert(1))',
    '[data](data:text/html;base64,PHNjcmlwdD4=)',
    '[relative](../../etc/passwd)',
    '[vbs](vbscript:msgbox)',
    '<file:///etc/passwd>',
    '![pic](file:///etc/hostname)',
    '![tracker](https://example.org/pixel.png)',
    '![rel](../../x.png)',
    '<div onmouseover="alert(1)">x</div>',
]


def test_no_card_markup_can_reach_a_file_the_network_or_a_script() -> None:
    import re

    for text in HOSTILE:
        html = to_html(text)
        tags = re.findall(r"<\s*([a-zA-Z]+)([^>]*)>", html)
        for name, attributes in tags:
            assert name.lower() in {"p", "a", "i", "em", "strong", "code", "table", "tr", "td",
                                    "th", "thead", "tbody"}, (text, html)
            if name.lower() == "a":
                assert re.fullmatch(r'\s*href="https?://[^"]*"', attributes), (text, html)
            else:
                assert "src" not in attributes and "background" not in attributes, (text, html)
                assert "on" not in attributes.lower().split("=")[0], (text, html)


def test_http_links_stay_links_and_images_become_their_alt_text() -> None:
    assert to_html("[docs](https://pytorch.org)") == (
        '<p><a href="https://pytorch.org">docs</a></p>\n')
    assert to_html("![a tracker](https://example.org/p.png)") == "<p><i>[a tracker]</i></p>\n"
    assert "&lt;b&gt;raw&lt;/b&gt;" in to_html("<b>raw</b>")
