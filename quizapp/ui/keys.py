"""Letter shortcuts that also work under a Korean (2-set, 두벌식) keyboard layout.

With a Korean layout active, the L key produces 'ㅣ' instead of 'l', so letter shortcuts would
not fire; like Anki, we map each jamo back to the Latin letter on the same key.
"""

from __future__ import annotations

_QWERTY = "qwertyuiopasdfghjklzxcvbnm"
_DUBEOLSIK = "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ"
_SHIFTED = {"ㅃ": "q", "ㅉ": "w", "ㄸ": "e", "ㄲ": "r", "ㅆ": "t", "ㅒ": "o", "ㅖ": "p"}

JAMO_TO_LATIN = {**dict(zip(_DUBEOLSIK, _QWERTY, strict=True)), **_SHIFTED}


def latin_letter(text: str) -> str:
    """The lowercase Latin letter a key event's text stands for ('' when it is not a letter)."""
    if len(text) != 1:
        return ""
    if text in JAMO_TO_LATIN:
        return JAMO_TO_LATIN[text]
    lower = text.lower()
    return lower if lower in _QWERTY else ""
