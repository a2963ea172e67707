"""Help → Keyboard shortcuts (both languages side by side) and Help → About."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp import __version__
from quizapp.ui.strings import tr

#: (where, keys, Korean, English)
SHORTCUTS: tuple[tuple[str, str, str, str], ...] = (
    ("home", "Enter", "선택한 덱 학습 (전체 덱: 모두)", "Study the selected deck (All decks: all)"),
    ("review", "Space / Enter", "정답 보기, 정답이 보이면 '알맞음'",
     "Show the answer; once shown, grade Good"),
    ("review", "1 2 3 4", "다시 / 어려움 / 알맞음 / 쉬움", "Again / Hard / Good / Easy"),
    ("review", "Ctrl+Z", "마지막 채점 되돌리기 (카드 작업도)",
     "Undo the last grade (or card action)"),
    ("review", "D", "이 카드의 라이브 데모", "This card's live demo"),
    ("review", "Backspace", "꼬리 질문 미리보기에서 돌아가기", "Back from a follow-up question"),
    ("review", "Esc", "덱 목록으로", "Back to the decks"),
    ("quiz", "1 2 3 4", "객관식 보기 고르기", "Choose a multiple-choice option"),
    ("quiz", "Enter / Space", "다음 문제", "Next question"),
    ("quiz", "Ctrl+Enter", "입력한 답 제출", "Submit a typed answer"),
    ("quiz", "Ctrl+O", "말했어요: 입력한 답을 맞힌 것으로",
     "I said it: count a typed answer right"),
    ("quiz", "S", "라운드가 끝나면: 틀린 카드를 오늘 복습으로 ('다시')",
     "At the end: send the missed cards to today's review (Again)"),
    ("quiz", "Esc", "나가기 (앞의 답은 저장되어 있음)", "Leave (earlier answers are saved)"),
    ("interview", "Ctrl+Enter", "입력한 답 제출; Enter: 다음 질문",
     "Submit a typed answer; Enter: next question"),
    ("interview", "Space", "소리 내어 답한 뒤 모범 답안 보기", "Aloud: show the model answer"),
    ("interview", "1 2 3 4", "소리 내어 한 답을 스스로 채점", "Aloud: grade your answer"),
    ("interview", "S", "리포트에서: 약한 카드를 오늘 복습에 추가 ('다시')",
     "In the report: add the weak cards to today's review (Again)"),
    ("interview", "Esc", "나가기 (답은 저장되어 '지난 모의 면접'에 남음)",
     "Leave (answers are saved and listed in Past interviews)"),
    ("anywhere", "Q", "퀴즈 설정", "Quiz setup"),
    ("anywhere", "I", "모의 면접 설정", "Mock interview setup"),
    ("anywhere", "L", "언어: 한국어 → English → 나란히", "Language: Korean → English → both"),
    ("anywhere", "G", "데모 갤러리", "Demo gallery"),
    ("anywhere", "T", "통계", "Statistics"),
    ("anywhere", "Ctrl+,", "설정", "Settings"),
    ("anywhere", "C", "맞춤 학습: 새 카드 더, 미리 복습, 몰아서 복습, 깃발·거머리 카드",
     "Custom study: more new cards, review ahead, cram, flagged or leech cards"),
    ("anywhere", "Ctrl+N / E", "새 카드 쓰기 / 지금 카드 편집",
     "Write a new card / edit this card"),
    ("anywhere", "B / Ctrl+F", "카드 찾아보기", "Browse cards"),
    ("anywhere", "Ctrl+Shift+I", "가져오기: Anki 패키지·텍스트, 복습 기록 CSV",
     "Import: Anki packages and text exports, review-log CSV"),
    ("anywhere", "Ctrl+Z", "되돌리기: 마지막 채점이나 카드 작업",
     "Undo the last grade or card action"),
    ("anywhere", "Ctrl+= / Ctrl+- / Ctrl+0", "카드 글자 크게 / 작게 / 원래대로",
     "Card text larger / smaller / reset"),
    ("anywhere", "F1", "단축키 보기", "This list of shortcuts"),
    ("anywhere", "Ctrl+Q", "끝내기", "Quit"),
    ("browser", "Ctrl+F", "검색창으로 (Esc: 검색 지우기, ↓: 표로)",
     "To the search box (Esc: clear it, ↓: to the table)"),
    ("browser", "Ctrl+J", "보류 / 보류 풀기", "Suspend / unsuspend"),
    ("browser", "Ctrl+Shift+J", "내일로 미루기 / 되돌리기", "Bury until tomorrow / unbury"),
    ("browser", "Ctrl+1 … Ctrl+7", "깃발 (같은 깃발을 다시 누르면 없어짐)",
     "Flag (the same flag again removes it)"),
    ("browser", "Ctrl+Shift+D", "복습 날짜 정하기 (며칠 뒤)", "Set due date (in N days)"),
    ("browser", "Ctrl+Alt+N", "학습 기록 초기화 (먼저 묻기)", "Reset progress (asks first)"),
    ("browser", "D / E", "카드의 데모 / 카드 편집", "The card's demo / edit the card"),
    ("browser", "Ctrl+Z", "되돌리기", "Undo"),
    ("browser", "Menu, Shift+F10", "모든 작업 메뉴", "Every action in a menu"),
    ("browser", "Esc", "닫기", "Close"),
    ("demo", "Space", "일시정지 / 계속", "Pause / resume"),
    ("demo", "S, →", "한 스텝", "One step"),
    ("demo", "R", "처음부터", "Reset"),
    ("demo", "Esc", "데모 창 닫기", "Close the demo window"),
)

LICENCES = (
    ("QuizApp", "MIT"),
    ("NanumGothic (Korean font, from koreanize-matplotlib)", "SIL Open Font License 1.1"),
    ("MNIST digits subset (content/data)", "CC BY-SA 3.0 (Yann LeCun, Corinna Cortes)"),
    ("Qt / PySide6", "LGPL v3"),
    ("matplotlib, NumPy, py-fsrs, sqlite-utils, markdown-it-py", "BSD / MIT / Apache 2.0"),
)


def shortcuts_html(mode: str) -> str:
    """The shortcuts as an HTML table with a Korean and an English column."""
    rows = "".join(
        f"<tr><td>{html.escape(tr('where_' + where, mode))}</td>"
        f"<td><b>{html.escape(keys)}</b></td><td>{html.escape(ko)}</td>"
        f"<td>{html.escape(en)}</td></tr>"
        for where, keys, ko, en in SHORTCUTS)
    return (f"<table cellpadding='5' cellspacing='0' border='1'><tr><th>{tr('where', mode)}</th>"
            f"<th>{tr('keys', mode)}</th><th>한국어</th><th>English</th></tr>{rows}</table>"
            f"<p>{html.escape(tr('korean_layout_note', mode))}</p>")


def about_html(mode: str) -> str:
    licences = "".join(f"<li>{html.escape(name)}: {html.escape(licence)}</li>"
                       for name, licence in LICENCES)
    return (f"<h2>{tr('app_title', mode)} {html.escape(__version__)}</h2>"
            f"<p>{html.escape(tr('about_text', mode))}</p><ul>{licences}</ul>")


def accept_cancel_buttons(accept_text: str, mode: str) -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's button row: ``accept_text`` (the default: Enter presses it) and Cancel in the
    app's language (Esc). Qt would make Cancel the default once it has the focus."""
    buttons = QDialogButtonBox()
    accept = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = buttons.addButton(tr("cancel", mode), QDialogButtonBox.ButtonRole.RejectRole)
    cancel.setAutoDefault(False)
    accept.setDefault(True)
    return buttons, accept


def show_text_dialog(parent: QWidget, title: str, body: str, size: tuple[int, int],
                     mode: str) -> QDialog:
    """A non-modal dialog showing ``body`` (trusted HTML of ours), closed with Esc or its Close
    button (in the app's language, not Qt's untranslated "OK")."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view = QTextBrowser()
    view.setOpenLinks(False)
    view.setHtml(body)
    buttons = QDialogButtonBox()
    close = buttons.addButton(tr("close", mode), QDialogButtonBox.ButtonRole.AcceptRole)
    close.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    layout.addWidget(buttons)
    dialog.resize(*size)
    show_and_focus(dialog)
    return dialog


def show_and_focus(window: QWidget) -> None:
    """Show a new window in front with the keyboard focus (some X servers and window managers
    leave the focus on the window that opened it, and then its keys go nowhere useful)."""
    window.show()
    window.raise_()
    window.activateWindow()
    opener = window.parentWidget()
    if isinstance(window, QDialog) and opener is not None:  # and give it back when closed
        window.finished.connect(lambda _result: opener.window().activateWindow())
