"""Card Markdown becomes HTML; math goes to the renderer it is given."""

from quizapp.content.markup import math_fragments, to_html


def test_math_fragments_are_found_inline_and_display() -> None:
    text = "Adam은 $m_t$ 를 씁니다. 가격은 \\$5.\n\n$$\n\\hat m_t = \\frac{m_t}{1-\\beta_1^t}\n$$\n"
    assert math_fragments(text) == [("m_t", False), ("\\hat m_t = \\frac{m_t}{1-\\beta_1^t}", True)]


def test_markdown_renders_and_math_uses_the_renderer() -> None:
    html = to_html("**굵게** `code`\n\n- $x^2$", lambda tex, display: f"[{tex}]")
    assert "<strong>굵게</strong>" in html and "<code>code</code>" in html
    assert "<li>[x^2]</li>" in html
