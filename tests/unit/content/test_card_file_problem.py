"""card_file_problem: the loader's own verdict on a card file's text, for writers of card files."""

from __future__ import annotations

from quizapp.content import card_file_problem

VALID = ('+++\nid = "x1"\n+++\n\n::: question.ko\n질문\n\n::: answer.ko\n답\n\n'
         "::: question.en\nQuestion\n\n::: answer.en\nAnswer\n")


def test_a_valid_card_has_no_problem() -> None:
    assert card_file_problem(VALID) is None


def test_problems_come_with_their_line() -> None:
    assert card_file_problem(VALID.replace("답", "")) == "line 8: section 'answer.ko' is empty"
    assert card_file_problem(VALID.replace('"x1"', '"X 1"')) == \
        "line 2: invalid id 'X 1': use lowercase letters, digits, '-' and '_'"
    long_answer = VALID.replace("Answer", "x" * 4001)
    assert card_file_problem(long_answer) == \
        "line 15: section 'answer.en' is too long (4,001 characters; the limit is 4,000)"


def test_a_file_beyond_the_size_limit_is_a_problem() -> None:
    huge = VALID.replace("질문", "가" * 30_000)  # 90 KB of UTF-8
    assert card_file_problem(huge) == \
        "line 1: file is too large (90,103 bytes; the limit is 65,536)"
