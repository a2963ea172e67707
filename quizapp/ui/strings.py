"""User-facing text of the GUI in Korean and English."""

from __future__ import annotations

LANGUAGE_MODES = ("ko", "en", "both")

_TEXT: dict[str, tuple[str, str]] = {
    # menus
    "menu_file": ("파일(&F)", "&File"),
    "menu_study": ("학습(&S)", "&Study"),
    "menu_view": ("보기(&V)", "&View"),
    "menu_tools": ("도구(&T)", "&Tools"),
    "menu_help": ("도움말(&H)", "&Help"),
    "menu_theme": ("테마", "Theme"),
    "quit": ("끝내기", "Quit"),
    "section_empty": ("'{section}' 칸이 비어 있습니다. 카드에는 두 언어의 질문과 답이 모두 "
                      "필요합니다.", "'{section}' is empty: a card needs its question and "
                      "answer in both languages."),
    "card_not_saved": ("저장하지 못했습니다 — {detail}", "Not saved — {detail}"),
    "discard_title": ("저장하지 않은 내용", "Unsaved changes"),
    "discard_text": ("이 카드에 쓴 내용을 저장하지 않고 닫을까요?",
                     "Close without saving what you wrote in this card?"),
    "discard": ("버리고 닫기", "Discard and close"),
    "keep_editing": ("계속 쓰기", "Keep editing"),
    "file_import": ("가져오기…", "Import…"),
    "export_apkg": ("Anki 패키지로 내보내기…", "Export as Anki package…"),
    "export_reviews": ("복습 기록 내보내기(CSV)…", "Export review log (CSV)…"),
    "import_title": ("가져올 파일", "File to import"),
    "import_filter": ("Anki 패키지, Anki 텍스트 내보내기, 복습 기록",
                      "Anki packages, Anki text exports, review logs"),
    "importing": ("가져오는 중: {name}…", "Importing {name}…"),
    "exporting": ("내보내는 중: {name}…", "Exporting {name}…"),
    "imported_cards": ("{name}에서 가져왔습니다: 덱 {decks}개(새 덱 {new_decks}개), 카드 {added}장 "
                       "추가, {updated}장 갱신, {unchanged}장 그대로, {skipped}장 건너뜀",
                       "Imported {name}: {decks} deck{decks_s} ({new_decks} new); cards: "
                       "{added} added, {updated} updated, {unchanged} unchanged, {skipped} "
                       "skipped"),
    "imported_reviews": ("{name}에서 복습 기록을 가져왔습니다: 카드 {cards}장의 답 {added}개 추가, "
                         "이미 있던 {skipped}개 건너뜀",
                         "Imported the review log {name}: {added} answer{added_s} of {cards} "
                         "card{cards_s} added, {skipped} already logged"),
    "exported_apkg": ("내보냈습니다: {name} (덱 {decks}개, 카드 {cards}장)",
                      "Exported {name}: {cards} card{cards_s} in {decks} deck{decks_s}"),
    "exported_reviews": ("내보냈습니다: {name} (카드 {cards}장의 답 {reviews}개)",
                         "Exported {name}: {reviews} answer{reviews_s} of {cards} card{cards_s}"),
    "import_failed": ("가져오지 못했습니다(바뀐 것은 없습니다): {detail}",
                      "Nothing was imported: {detail}"),
    "export_failed": ("내보내지 못했습니다: {detail}", "Export failed: {detail}"),
    "backup_now": ("지금 백업", "Back up now"),
    "restore_backup": ("백업에서 복원…", "Restore backup…"),
    "backup_made": ("백업했습니다: {path}", "Backed up: {path}"),
    "backups_title": ("백업에서 복원", "Restore a backup"),
    "backups_intro": ("복원할 백업을 고르세요. 지금의 학습 기록은 먼저 백업해 둡니다.",
                      "Pick the backup to restore. Your current progress is backed up first."),
    "no_backups": ("아직 백업이 없습니다. 앱을 닫을 때(하루 한 번) "
                   "또는 '지금 백업'으로 만들어집니다.",
                   "No backups yet. One is made when the app closes (once a day) or with "
                   "Back up now."),
    "restore": ("복원", "Restore"),
    "restore_confirm": ("{when} 백업으로 되돌릴까요? 지금의 기록은 먼저 백업됩니다.",
                        "Go back to the backup of {when}? Your current progress is backed up "
                        "first."),
    "study_all": ("전체 덱 학습", "Study all decks"),
    "undo": ("되돌리기 (마지막 채점이나 카드 작업)", "Undo (the last grade or card action)"),
    "toggle_language": ("언어 바꾸기 (한국어 → English → 나란히)",
                        "Switch language (Korean → English → both)"),
    "zoom_in": ("카드 글자 크게", "Larger card text"),
    "zoom_out": ("카드 글자 작게", "Smaller card text"),
    "zoom_reset": ("카드 글자 원래 크기", "Card text at 100 %"),
    "theme_system": ("시스템 설정 따르기", "Follow the system"),
    "theme_light": ("밝게", "Light"),
    "theme_dark": ("어둡게", "Dark"),
    "open_demo": ("이 카드의 라이브 데모", "This card's live demo"),
    "demo_gallery": ("데모 갤러리", "Demo gallery"),
    "shortcuts": ("키보드 단축키", "Keyboard shortcuts"),
    "about": ("ML 면접 카드 정보", "About ML Interview Cards"),
    "gallery_title": ("데모 갤러리", "Demo gallery"),
    "statistics": ("통계", "Statistics"),
    "settings": ("설정…", "Settings…"),
    "custom_study": ("맞춤 학습…", "Custom study…"),
    "custom_choice_more_new": ("오늘 새 카드 더 보기", "More new cards today"),
    "custom_choice_ahead": ("미리 복습하기 (며칠 뒤 만기까지)",
                            "Review ahead (cards due within days)"),
    "custom_choice_cram": ("몰아서 복습 (일정과 상관없이 덱이나 태그 전체)",
                           "Cram a deck or tag (regardless of the schedule)"),
    "custom_choice_flagged": ("깃발 표시한 카드만", "Flagged cards only"),
    "custom_choice_leech": ("거머리 카드만 (보류된 것도)", "Leech cards only (suspended ones too)"),
    "custom_reschedule": ("답을 일정(FSRS)에 반영하기",
                          "Let the answers change the schedule (FSRS)"),
    "custom_reschedule_tip": (
        "끄면 답은 연습으로만 기록되고 카드의 복습 일정은 그대로입니다.",
        "Off: the answers are logged as practice and no card's schedule changes."),
    "custom_start": ("시작", "Start"),
    "custom_summary_more_new": ("오늘 새 카드를 {count}장 더 봅니다.",
                                "{count} more new cards today."),
    "custom_summary": ("{count}장 · 답이 복습 일정에 반영됩니다.",
                       "{count} cards · the answers change their schedule."),
    "custom_summary_practice": ("{count}장 · 연습: 복습 일정은 바뀌지 않습니다 (답은 기록됨).",
                                "{count} cards · practice: no schedule changes (answers are "
                                "logged)."),
    "custom_ahead": ("미리 복습", "review ahead"),
    "custom_cram": ("몰아서 복습", "cram"),
    "custom_flagged": ("깃발 카드", "flagged cards"),
    "custom_leech": ("거머리 카드", "leech cards"),
    "custom_no_schedule": ("일정 변경 없음", "schedule unchanged"),
    "custom_done": ("이 맞춤 학습의 카드를 모두 봤습니다.",
                    "You have seen every card of this custom study."),
    "new_card": ("새 카드…", "New card…"),
    "edit_card": ("카드 편집…", "Edit card…"),
    "card_id": ("ID", "ID"),
    "card_id_hint": ("비워 두면 영어 질문으로 만듭니다 (예: my-what-is-dropout)",
                     "Left empty, one is made from the English question (my-what-is-dropout)"),
    "tags": ("태그", "Tags"),
    "tags_hint": ("띄어쓰기나 쉼표로 구분 (예: optimizer momentum)",
                  "Separated by spaces or commas (optimizer momentum)"),
    "follow_up_ids": ("꼬리 질문 ID", "Follow-up card IDs"),
    "follow_ups_hint": ("다른 카드의 ID, 띄어쓰기로 구분", "Other cards' IDs, separated by spaces"),
    "demo_none": ("(데모 없음)", "(no demo)"),
    "demo_preset": ("데모 설정값", "Demo preset"),
    "section_question_ko": ("질문 (한국어)", "Question (Korean)"),
    "section_answer_ko": ("답 (한국어)", "Answer (Korean)"),
    "section_question_en": ("질문 (영어)", "Question (English)"),
    "section_answer_en": ("답 (영어)", "Answer (English)"),
    "preview": ("미리보기", "Preview"),
    "card_saved": ("카드를 저장했습니다: {path}", "Card saved: {path}"),
    "content_reloaded": ("바뀐 카드 파일을 다시 읽었습니다.", "Reloaded the changed card files."),
    "settings_title": ("설정", "Settings"),
    "group_study": ("학습", "Study"),
    "group_memory": ("기억 (FSRS)", "Memory (FSRS)"),
    "group_display": ("화면", "Display"),
    "new_per_day_all": ("하루 새 카드 (모든 덱 합계)", "New cards a day (all decks)"),
    "new_per_day_deck": ("하루 새 카드 (덱마다)", "New cards a day (each deck)"),
    "deck_limits": ("덱별 한도", "Per-deck limits"),
    "deck": ("덱", "Deck"),
    "new_per_day_short": ("하루 새 카드", "New a day"),
    "deck_default": ("덱마다 값", "each-deck value"),
    "day_start": ("하루가 시작되는 시각", "Next day starts at"),
    "learning_steps": ("학습 단계", "Learning steps"),
    "relearning_steps": ("재학습 단계", "Relearning steps"),
    "steps_hint": ("예: 1m 10m (s 초, m 분, h 시간, d 일; 1초~1일)",
                   "e.g. 1m 10m (s, m, h, d; 1 second to 1 day)"),
    "desired_retention": ("목표 기억률", "Desired retention"),
    "workload": ("예상 작업량: 하루 복습 {reviews}장, {minutes}분 "
                 "(카드 {cards}장, 하루 새 카드 {new}장으로 1년 모의실험)",
                 "Expected workload: {reviews} reviews, {minutes} min a day "
                 "({cards} cards, {new} new a day, simulated over a year)"),
    "fsrs_parameters": ("FSRS 매개변수", "FSRS parameters"),
    "optimize_now": ("지금 최적화", "Optimize now"),
    "optimizing": ("내 복습 기록에 FSRS 매개변수를 맞추는 중…",
                   "Fitting the FSRS parameters to your reviews…"),
    "optimize_saved": ("저장했습니다. 복습 {reviews}개에 대한 예측이 좋아졌습니다: 로그 손실 "
                       "{ll0:.4f} → {ll1:.4f}, RMSE {r0:.2%} → {r1:.2%}. 이제 이 매개변수로 "
                       "일정을 잡습니다.",
                       "Saved: they predict your {reviews} reviews better (log loss "
                       "{ll0:.4f} → {ll1:.4f}, RMSE {r0:.2%} → {r1:.2%}) and schedule from "
                       "now on."),
    "optimize_kept": ("지금 쓰는 매개변수가 같거나 더 나아 바꾸지 않았습니다 (복습 {reviews}개, "
                      "로그 손실 {ll0:.4f} → {ll1:.4f}, RMSE {r0:.2%} → {r1:.2%}).",
                      "Kept the parameters in use: the fitted ones are no better on your "
                      "{reviews} reviews (log loss {ll0:.4f} → {ll1:.4f}, RMSE {r0:.2%} → "
                      "{r1:.2%})."),
    "optimize_too_little": ("기록이 아직 부족합니다: 서로 다른 두 날 이상 답한 카드가 {cards}장 "
                            "필요합니다. 아무것도 바꾸지 않았습니다.",
                            "Not enough history yet: {cards} cards answered on two or more "
                            "days are needed. Nothing was changed."),
    "optimize_failed": ("최적화하지 못했습니다: {error}", "Could not optimize: {error}"),
    "card_text_size": ("카드 글자 크기", "Card text size"),
    "save": ("저장", "Save"),
    "setting_range": ("{name}: {low}~{high} 사이여야 합니다 ({value}은(는) 안 됩니다).",
                      "{name} must be between {low} and {high}, not {value}."),
    "bad_step": ("{name}: '{token}'은(는) 단계가 아닙니다. 1m 10m처럼 1초~1일 사이로 쓰세요.",
                 "{name}: '{token}' is not a step; write steps of 1 second to 1 day, "
                 "like 1m 10m."),
    "settings_saved": ("설정을 저장했습니다.", "Settings saved."),
    "statistics_summary": (
        "오늘 복습 {today}회 · 연속 {streak}일 (최장 {longest}일) · 최근 30일 기억 유지율 "
        "{retention} · 오늘 만기 {due}장 (밀린 카드 {overdue}장)",
        "{today} review{today_s} today · streak {streak} day{streak_s} (longest {longest}) · "
        "true retention, "
        "last 30 days: {retention} · due today: {due} ({overdue} overdue)"),
    "weak_topics_tab": ("약한 주제 학습", "Study weak topics"),
    "weakness": ("약점 점수", "Weakness"),
    "weakness_tip": ("정렬 기준: 답이 적은 주제는 전체 평균 쪽으로 보정한 '다시' 비율, 퀴즈·면접 "
                     "오답마다 0.02, 그리고 지금 잊은 정도(1 - 평균 회상 확률)의 10분의 1",
                     "The sort key: the Again rate, pulled towards the collection's for topics "
                     "with few answers, plus 0.02 per quiz or interview miss, plus a tenth of "
                     "what is forgotten now (1 - mean retrievability)"),
    "weak_topics_hint": ("약점 점수가 높은 주제부터 나옵니다('다시' 비율, 퀴즈·면접 오답, "
                         "지금 잊은 정도). 고르고 Enter(또는 더블클릭)하면 그 주제를 학습합니다.",
                         "The weakest topics come first (Again rate, quiz and interview misses, "
                         "what is forgotten now). Pick one and press Enter (or double-click) "
                         "to study it."),
    "study_topic": ("이 주제 학습 (Enter)", "Study this topic (Enter)"),
    "topic": ("주제", "Topic"),
    "again_rate": ("'다시' 비율", "Again rate"),
    "lapses": ("실수", "Lapses"),
    "quiz_misses": ("퀴즈 오답", "Quiz misses"),
    "interview_misses": ("면접 약점", "Interview misses"),
    "retrievability_now": ("지금 회상 확률", "Recall now"),
    "answers": ("답변 수", "Answers"),
    "gallery_intro": ("모든 라이브 데모입니다. 화살표로 고르고 Enter(또는 더블클릭)로 엽니다. "
                      "Esc: 닫기",
                      "Every live demo. Pick one with the arrow keys and open it with Enter "
                      "(or a double-click). Esc: close"),
    "where": ("화면", "Where"),
    "keys": ("키", "Keys"),
    "where_home": ("홈", "Home"),
    "where_review": ("복습", "Review"),
    "where_anywhere": ("어디서나", "Anywhere"),
    "where_demo": ("데모 창", "Demo window"),
    "korean_layout_note": ("한글 자판(두벌식)이 켜져 있어도 글자 단축키가 같은 자리의 키로 "
                           "동작합니다 (예: ㅣ = L).",
                           "Letter shortcuts also work with a Korean (2-set) layout active: "
                           "the key in the same place counts (ㅣ is L)."),
    "about_text": ("머신러닝·딥러닝 면접 준비용 한/영 플래시카드 앱: 간격 반복(FSRS), NumPy로 "
                   "직접 학습하는 라이브 데모, SQLite에 저장되는 학습 기록.",
                   "A Korean/English flashcard app for machine-learning interviews: spaced "
                   "repetition (FSRS), live demos that train NumPy models, and progress kept in "
                   "SQLite."),
    "app_title": ("ML 면접 카드", "ML Interview Cards"),
    "decks": ("덱", "Deck"),
    "new": ("새 카드", "New"),
    "learning": ("학습 중", "Learning"),
    "due": ("복습", "Due"),
    "all_decks": ("전체 덱", "All decks"),
    "study": ("학습 시작", "Study"),
    "study_hint": ("Enter: 학습 시작 · Q: 퀴즈 · I: 모의 면접 · L: 언어 전환",
                   "Enter: study · Q: quiz · I: mock interview · L: switch language"),
    "home": ("홈", "Home"),
    "show_answer": ("정답 보기", "Show answer"),
    "again": ("다시", "Again"),
    "hard": ("어려움", "Hard"),
    "good": ("알맞음", "Good"),
    "easy": ("쉬움", "Easy"),
    "follow_ups": ("꼬리 질문", "Follow-up questions"),
    "question": ("질문", "Question"),
    "answer": ("답변", "Answer"),
    "remaining": ("남은 카드", "Left"),
    "done_title": ("오늘 학습 완료!", "Done for today!"),
    "next_due_at": ("다음 카드는 {time}에 나옵니다.", "The next card is due at {time}."),
    "nothing_more": ("오늘은 더 볼 카드가 없습니다. 내일 다시 만나요.",
                     "No more cards today. See you tomorrow."),
    "back_home": ("홈으로", "Back to decks"),
    "undone": ("되돌렸습니다: 방금 채점한 카드를 다시 보여 줍니다.",
               "Undone: the card you just graded is back."),
    "undone_other": ("되돌렸습니다: {what} ({count}장).", "Undone: {what} ({count} card(s))."),
    "no_card_to_edit": ("E는 공부 중인 카드를 편집합니다. 다른 카드는 카드 찾아보기(B)에서 E, "
                        "새 카드는 Ctrl+N.", "E edits the card being studied; for any other "
                        "card press E in the browser (B); Ctrl+N writes a new one."),
    "no_demo": ("이 카드에는 라이브 데모가 없습니다. 데모 갤러리(G)에 모든 데모가 있습니다.",
                "This card has no live demo. The demo gallery (G) has them all."),
    "preview_bar": ("꼬리 질문을 미리 보는 중입니다 (채점하지 않음). Backspace 또는 Esc: 공부하던 "
                    "카드로 돌아가기",
                    "Reading a follow-up question (not graded). Backspace or Esc: back to the "
                    "card you are studying"),
    "preview_keys": ("Backspace/Esc: 돌아가기 · D: 데모 · L: 언어",
                     "Backspace/Esc: back · D: demo · L: language"),
    "done_new_limit_deck": (
        "이 덱의 오늘 새 카드 한도에 도달해 새 카드 {left}장이 내일로 미뤄졌습니다.",
        "This deck's new-card limit for today is reached: {left} new card(s) wait for "
        "tomorrow."),
    "done_new_limit_all": (
        "모든 덱을 합친 오늘 새 카드 한도에 도달해 새 카드 {left}장이 내일로 미뤄졌습니다.",
        "Today's new-card limit for all decks together is reached: {left} new card(s) wait "
        "for tomorrow."),
    "more_new_cards": ("오늘 새 카드 {count}장 더 학습", "Study {count} more new cards today"),
    "nothing_to_undo": ("되돌릴 채점이나 작업이 없습니다.", "Nothing to undo."),
    "skipped": ("콘텐츠 문제 {issues}건 · 건너뛴 파일 {files}개",
                "{issues} content problem(s) · {files} file(s) skipped"),
    "details": ("자세히", "Details"),
    "content_problems": ("콘텐츠 문제", "Content problems"),
    "language": ("언어", "Language"),
    "lang_ko": ("한국어", "Korean"),
    "lang_en": ("English", "English"),
    "lang_both": ("한/영 나란히", "Korean + English"),
    "today": ("오늘 복습 {reviews}회 · 카드 {cards}장", "{reviews} reviews today · {cards} cards"),
    "review_keys": ("Space: 정답 · 1-4: 채점 · D: 데모 · Ctrl+Z: 되돌리기 · L: 언어 · Esc: 홈 "
                    "· F1: 단축키",
                    "Space: answer · 1-4: grade · D: demo · Ctrl+Z: undo · L: language · "
                    "Esc: home · F1: shortcuts"),
    "no_cards": ("카드가 없습니다. content/ 폴더를 확인하세요.",
                 "No cards found. Check the content/ folder."),
    "error_title": ("오류", "Error"),
    "save_failed_read_only": (
        "저장할 수 없습니다: {path} 파일이나 그 폴더가 읽기 전용입니다. 쓰기 권한을 주거나 "
        "--data-dir로 다른 폴더를 고르세요. 방금 것은 저장되지 않았고(화면에 그대로 있습니다), "
        "이전 기록은 안전합니다.",
        "Cannot save: {path} (or its folder) is read-only. Make it writable or choose another "
        "folder with --data-dir. This was not saved (it is still on screen); everything saved "
        "before is safe."),
    "save_failed_disk_full": (
        "저장할 수 없습니다: 디스크에 남은 공간이 없습니다 ({path}). 공간을 확보한 뒤 다시 "
        "하세요. 방금 것은 저장되지 않았고(화면에 그대로 있습니다), 이전 기록은 안전합니다.",
        "Cannot save: no space left on device ({path}). Free some space, then try again. "
        "This was not saved (it is still on screen); everything saved before is safe."),
    "save_failed_busy": (
        "저장할 수 없습니다: 다른 QuizApp 프로세스가 {path}를 너무 오래 잠그고 있습니다. "
        "잠시 후 다시 하세요.",
        "Cannot save: another QuizApp process kept {path} locked too long. Try again in a "
        "moment."),
    "save_failed_io": (
        "저장할 수 없습니다: 디스크 오류가 났습니다 ({path}). 드라이브를 확인한 뒤 다시 "
        "하세요. 방금 것은 저장되지 않았습니다(화면에 그대로 있습니다).",
        "Cannot save: the disk reported an error ({path}). Check the drive, then try again. "
        "This was not saved (it is still on screen)."),
    "undo_conflict": ("되돌리지 않았습니다: 이 카드는 그 뒤 다른 창에서 다시 채점되거나 "
                      "바뀌었습니다.",
                      "Not undone: this card was graded or changed again in another window "
                      "since."),
    # card browser
    "browse": ("카드 찾아보기", "Browse"),
    "browser_title": ("카드 찾아보기", "Browse cards"),
    "search_placeholder": (
        "검색: 질문·답·태그 (한/영, 대소문자 무시) · 초성 ㄱㅅㅎㄱ · \"구절\" · -제외",
        "Search questions, answers, tags (ko/en, any case) · initials ㄱㅅㅎㄱ · \"phrase\" · "
        "-exclude"),
    "any_deck": ("모든 덱", "All decks"),
    "any_tag": ("모든 태그", "All tags"),
    "any_state": ("모든 카드", "All cards"),
    "filter_deck": ("덱", "Deck"),
    "filter_tag": ("태그", "Tag"),
    "filter_state": ("상태", "Show"),
    "shown_count": ("{shown} / {total}장", "{shown} of {total} cards"),
    "col_deck": ("덱", "Deck"),
    "col_question": ("질문", "Question"),
    "col_tags": ("태그", "Tags"),
    "col_state": ("상태", "State"),
    "col_due": ("다음 복습", "Due"),
    "col_interval": ("간격", "Interval"),
    "col_lapses": ("실수", "Lapses"),
    "col_retrievability": ("회상 확률", "Recall now"),
    "col_last_review": ("마지막 복습", "Last review"),
    "state_new": ("새 카드", "new"),
    "state_learning": ("학습 중", "learning"),
    "state_review": ("복습", "review"),
    "state_relearning": ("재학습", "relearning"),
    "state_due_today": ("오늘 복습할 카드", "due today"),
    "state_suspended": ("보류", "suspended"),
    "state_buried": ("내일로 미룸", "buried"),
    "state_leech": ("거머리 카드", "leech"),
    "state_flagged": ("깃발 있음", "flagged"),
    "flag_1": ("빨강 깃발", "red flag"),
    "flag_2": ("주황 깃발", "orange flag"),
    "flag_3": ("초록 깃발", "green flag"),
    "flag_4": ("파랑 깃발", "blue flag"),
    "flag_5": ("분홍 깃발", "pink flag"),
    "flag_6": ("청록 깃발", "turquoise flag"),
    "flag_7": ("보라 깃발", "purple flag"),
    "flag_0": ("깃발 없애기", "No flag"),
    "flag_menu": ("깃발", "Flag"),
    "act_suspend": ("보류 / 보류 풀기", "Suspend / unsuspend"),
    "act_bury": ("내일로 미루기 / 되돌리기", "Bury until tomorrow / unbury"),
    "act_reset": ("학습 기록 초기화…", "Reset progress…"),
    "act_set_due": ("복습 날짜 정하기…", "Set due date…"),
    "act_demo": ("라이브 데모 열기", "Open its demo"),
    "act_edit": ("카드 편집", "Edit the card"),
    "act_undo": ("되돌리기", "Undo"),
    "act_search": ("검색창으로", "Go to the search box"),
    "act_menu": ("작업 메뉴", "Actions menu"),
    "reset_confirm": (
        "카드 {count}장의 학습 진도를 초기화할까요? 새 카드로 돌아가고, 지난 복습 기록은 "
        "통계에 그대로 남습니다. Ctrl+Z로 되돌릴 수 있습니다.",
        "Reset the progress of {count} card(s)? They become new cards again; their past "
        "reviews stay in the statistics. Ctrl+Z undoes it."),
    "set_due_prompt": ("며칠 뒤에 복습할까요? (0 = 오늘)", "Due in how many days? (0 = today)"),
    "done_suspend": ("{count}장을 보류했습니다.", "Suspended {count} card(s)."),
    "done_unsuspend": ("{count}장의 보류를 풀었습니다.", "Unsuspended {count} card(s)."),
    "done_bury": ("{count}장을 내일로 미뤘습니다.", "Buried {count} card(s) until tomorrow."),
    "done_unbury": ("{count}장을 다시 오늘로 돌렸습니다.", "Unburied {count} card(s)."),
    "done_reset": ("{count}장을 새 카드로 초기화했습니다.", "Reset {count} card(s) to new."),
    "done_set_due": ("{count}장을 {days}일 뒤로 정했습니다.",
                     "{count} card(s) due in {days} day(s)."),
    "done_set_due_new": ("새 카드 {count}장은 일정이 없어 그대로 두었습니다 (미루기나 보류를 "
                         "쓰세요).",
                         "{count} new card(s) left as they are: a new card has no schedule "
                         "(bury or suspend it)."),
    "done_flag": ("{count}장에 {flag}을(를) 달았습니다.", "{flag} on {count} card(s)."),
    "done_unflag": ("{count}장의 깃발을 없앴습니다.", "Flag removed from {count} card(s)."),
    "done_nothing": ("바뀐 카드가 없습니다.", "No card changed."),
    "undo_hint": ("Ctrl+Z: 되돌리기", "Ctrl+Z: undo"),
    "undone_grade": ("되돌렸습니다: {card} 카드의 마지막 채점.",
                     "Undone: the last grade of {card}."),
    "undone_action": ("되돌렸습니다: {what} ({count}장).", "Undone: {what} ({count} card(s))."),
    "kind_suspend": ("보류", "suspend"),
    "kind_unsuspend": ("보류 풀기", "unsuspend"),
    "kind_bury": ("내일로 미루기", "bury"),
    "kind_unbury": ("미루기 취소", "unbury"),
    "kind_reset": ("학습 기록 초기화", "reset progress"),
    "kind_set_due": ("복습 날짜 정하기", "set due date"),
    "kind_flag": ("깃발", "flag"),
    "kind_leech": ("거머리 카드 표시", "leech tag"),
    "kind_practice": ("연습 답", "practice answer"),
    "no_selection": ("고른 카드가 없습니다.", "No card selected."),
    "history": ("복습 기록", "Review history"),
    "history_empty": ("아직 복습한 적이 없습니다.", "Not reviewed yet."),
    "col_when": ("언제", "When"),
    "col_grade": ("채점", "Grade"),
    "col_state_before": ("상태", "State"),
    "col_interval_after": ("간격", "Interval"),
    "col_answer_time": ("걸린 시간", "Time"),
    "preview_memory": ("안정성 {stability:.1f}일 · 난이도 {difficulty:.1f}",
                       "stability {stability:.1f} d · difficulty {difficulty:.1f}"),
    "preview_summary": ("복습 {reviews}회 · 실수 {lapses}회 · 지금 회상 확률 {recall}",
                        "{reviews} review(s) · {lapses} lapse(s) · recall now {recall}"),
    "user_card": ("내 덱", "my deck"),
    "browser_keys": (
        "Ctrl+F: 검색 · Ctrl+J: 보류 · Ctrl+Shift+J: 내일로 · Ctrl+1-7: 깃발 · "
        "Ctrl+Shift+D: 날짜 · Ctrl+Alt+N: 초기화 · D: 데모 · E: 편집 · Ctrl+Z: 되돌리기 · "
        "메뉴 키: 모든 작업 · Esc: 닫기",
        "Ctrl+F: search · Ctrl+J: suspend · Ctrl+Shift+J: bury · Ctrl+1-7: flag · "
        "Ctrl+Shift+D: due date · Ctrl+Alt+N: reset · D: demo · E: edit · Ctrl+Z: undo · "
        "Menu key: all actions · Esc: close"),
    "leech_suspended": ("거머리 카드: {lapses}번째 실수라 태그를 달고 보류했습니다 (찾아보기 B에서 "
                        "풀 수 있습니다).",
                        "Leech: lapsed {lapses} times, so it was tagged and suspended "
                        "(unsuspend it in Browse, B)."),
    "leech_tagged": ("거머리 카드: {lapses}번째 실수라 태그를 달았습니다.",
                     "Leech: lapsed {lapses} times, so it was tagged."),
    "where_browser": ("찾아보기", "Browse"),
    "demo": ("데모", "Demo"),
    "pause": ("일시정지", "Pause"),
    "resume": ("계속", "Resume"),
    "run_again": ("다시 실행", "Run again"),
    "card": ("카드", "card"),
    "step": ("한 스텝", "Step"),
    "reset": ("처음부터", "Reset"),
    "speed": ("속도", "Speed"),
    "speed_tip": ("화면을 한 번 그릴 때마다 모델이 진행하는 최대 프레임 수",
                  "At most this many model frames per screen update"),
    "parameters": ("매개변수", "Parameters"),
    "what_to_notice": ("눈여겨볼 점", "What to notice"),
    "status_running": ("실행 중", "running"),
    "status_paused": ("일시정지", "paused"),
    "status_finished": ("완료", "finished"),
    "status_diverged": ("발산함 (NaN/overflow)", "diverged (NaN/overflow)"),
    "status_failed": ("오류로 멈춤", "stopped by an error"),
    "demo_failed": ("데모 코드에서 오류가 났습니다 (QuizApp의 버그):\n{error}",
                    "The demo's code failed (a bug in QuizApp):\n{error}"),
    "demo_keys": ("Space: 일시정지/계속 (끝나면 다시 실행) · S: 한 스텝 · R: 처음부터 · L: 언어 · "
                  "Esc: 닫기",
                  "Space: pause/resume (run again once finished) · S: step · R: reset · "
                  "L: language · Esc: close"),
    # quiz and mock interview: menus, home, setup dialogs
    "quiz_menu": ("퀴즈…", "Quiz…"),
    "interview_menu": ("모의 면접…", "Mock interview…"),
    "past_interviews": ("지난 모의 면접…", "Past interviews…"),
    "quiz": ("퀴즈", "Quiz"),
    "interview": ("모의 면접", "Mock interview"),
    "where_quiz": ("퀴즈", "Quiz"),
    "where_interview": ("모의 면접", "Interview"),
    "quiz_setup_title": ("퀴즈 설정", "Quiz setup"),
    "interview_setup_title": ("모의 면접 설정", "Mock interview setup"),
    # (&X: Alt+X goes to that field)
    "setup_decks": ("덱(&D) (고르지 않으면 전체)", "&Decks (none checked: all)"),
    "setup_tags": ("태그(&G) (고르지 않으면 전체)", "Ta&gs (none checked: all)"),
    "tag_filter": ("태그 찾기…", "Find a tag…"),
    "question_count": ("문제 수(&N)", "&Number of questions"),
    "quiz_mode": ("방식", "Mode"),
    "mode_choice": ("객관식, 보기 4개(&C)", "Multiple &choice (4 options)"),
    "mode_typed": ("직접 입력(&T)", "&Typed answer"),
    "typed_short": ("직접 입력", "Typed"),
    "radio_ko": ("한국어(&K)", "&Korean"),
    "radio_en": ("English(&E)", "&English"),
    "start": ("시작 (Enter)", "Start (Enter)"),
    "cancel": ("취소", "Cancel"),
    "quiz_available": ("조건에 맞는 문제 {count}개 · 이번에 {asked}문제를 냅니다.",
                       "{count} question{count_s} match · this round asks {asked}."),
    "nothing_matches": ("조건에 맞는 문제가 없습니다. 다른 덱이나 태그를 고르세요.",
                        "No question matches. Choose other decks or tags."),
    "length": ("길이", "Length"),
    "length_questions": ("본 질문 수(&Q)", "Main &questions"),
    "length_minutes": ("시간, 분(&M)", "&Minutes"),
    "time_per_answer": ("답변당 시간(&P)", "Time &per answer"),
    "minutes_suffix": (" 분", " min"),
    "answer_mode": ("답변 방식", "Answer"),
    "mode_aloud": ("소리 내어(&A): 모범 답안을 보고 스스로 채점",
                   "&Aloud: then read the model answer and grade yourself"),
    "interview_available": ("물어볼 수 있는 카드 {count}장", "{count} card{count_s} can be asked"),
    # quiz and mock interview: shared
    "submit": ("제출 (Ctrl+Enter)", "Submit (Ctrl+Enter)"),
    "next": ("다음 (Enter)", "Next (Enter)"),
    "answer_placeholder": ("여기에 답을 쓰세요 (한국어·영어 모두 됩니다). Ctrl+Enter: 제출",
                           "Type your answer here, in Korean or English. Ctrl+Enter: submit"),
    "your_answer": ("내 답", "Your answer"),
    "no_answer": ("(빈 답)", "(empty)"),
    "score_line": ("점수 {score} · 개념 {total}개 중 {found}개",
                   "Score {score} · {found} of {total} concepts"),
    "missed_concepts": ("빠진 개념", "Missed concepts"),
    "found_concepts": ("말한 개념", "Concepts named"),
    "reading_card": ("카드를 읽는 중입니다 (채점하지 않음). Backspace 또는 Esc: 돌아가기",
                     "Reading a card (nothing is graded). Backspace or Esc: back"),
    "reading_keys": ("Backspace/Esc: 돌아가기 · L: 언어", "Backspace/Esc: back · L: language"),
    "typed_keys": ("Ctrl+Enter: 제출 · Esc: 나가기 (앞의 답은 저장되어 있음)",
                   "Ctrl+Enter: submit · Esc: leave (earlier answers are saved)"),
    # quiz
    "quiz_progress": ("{n} / {total}번 문제", "Question {n} of {total}"),
    "right_choice": ("✓ 정답입니다!", "✓ Right!"),
    "wrong_choice": ("✗ 틀렸습니다. 정답은 {n}번입니다.", "✗ Wrong. The right answer is {n}."),
    "typed_pass": ("✓ 통과: 개념의 절반 이상을 말했습니다.",
                   "✓ Passed: you named at least half of the concepts."),
    "typed_fail": ("✗ 아직 부족합니다. 빠진 개념을 확인하세요.",
                   "✗ Not yet: see the missed concepts."),
    "overridden": ("✓ 말한 것으로 인정해 맞힌 것으로 기록했습니다.",
                   "✓ You said it: counted as right."),
    "i_said_it": ("말했어요: 맞힌 것으로 (Ctrl+O)", "I said it: count it right (Ctrl+O)"),
    "quiz_keys_choice": ("1-4: 답 고르기 · L: 언어 · Esc: 나가기 (앞의 답은 저장되어 있음)",
                         "1-4: choose · L: language · Esc: leave (earlier answers are saved)"),
    "quiz_keys_feedback": ("Enter/Space: 다음 문제 · L: 언어 · Esc: 나가기",
                           "Enter/Space: next question · L: language · Esc: leave"),
    "quiz_keys_result": ("Enter: 다음 문제 · Ctrl+O: 맞힌 것으로 · L: 언어 · Esc: 나가기",
                         "Enter: next question · Ctrl+O: count it right · L: language · "
                         "Esc: leave"),
    "round_over": ("라운드 끝", "Round over"),
    "right_answer": ("정답", "Right answer"),
    "round_score": ("{right} / {total} 정답 ({percent}%) · 걸린 시간 {time}",
                    "{right} of {total} right ({percent} %) · time {time}"),
    "misses": ("틀린 문제 (누르면 카드를 봅니다)", "Missed (click one to read its card)"),
    "no_misses": ("모두 맞혔습니다!", "All right!"),
    "send_missed": ("틀린 카드 {count}장을 오늘 복습으로 보내기 (S)",
                    "Send the {count} missed card{count_s} to today's review (S)"),
    "sent_missed": ("{count}장을 오늘 복습으로 보냈습니다 ('다시'로 채점).",
                    "Sent {count} card{count_s} to today's review (graded Again)."),
    "another_quiz": ("새 퀴즈 (Q)", "Another quiz (Q)"),
    "summary_keys": ("카드 링크: 읽기 · {send}Q: 새 퀴즈 · L: 언어 · Esc: 홈",
                     "Card links: read · {send}Q: another quiz · L: language · Esc: home"),
    "summary_keys_send": ("S: 틀린 카드를 복습으로 · ", "S: missed cards to review · "),
    # mock interview
    "main_question_of": ("본 질문 {n} / {total}", "Main question {n} of {total}"),
    "main_question_timed": ("본 질문 {n} · 면접 시간 {left} 남음",
                            "Main question {n} · {left} of the interview left"),
    "follow_up_depth": ("꼬리 질문 · 깊이 {depth}", "Follow-up · depth {depth}"),
    "follow_up_on": ("앞 질문에 이어서:", "Follow-up on:"),
    "time_left": ("남은 시간", "Time left"),
    "overtime": ("시간 초과", "Overtime"),
    "time_used": ("걸린 시간", "Time taken"),
    "show_model_answer": ("모범 답안 보기 (Space)", "Show the model answer (Space)"),
    "aloud_1": ("못 했다", "Missed it"),
    "aloud_2": ("일부만", "Partly"),
    "aloud_3": ("대부분", "Mostly"),
    "aloud_4": ("완벽", "Fully"),
    "aloud_prompt": ("소리 내어 답하세요. 끝나면 Space로 모범 답안을 봅니다.",
                     "Answer aloud. When you are done, Space shows the model answer."),
    "grade_prompt": ("모범 답안과 비교해 스스로 채점하세요 (1-4).",
                     "Compare with the model answer and grade yourself (1-4)."),
    "interview_keys_aloud": ("Space: 모범 답안 · L: 언어 · Esc: 나가기 (앞의 답은 저장되어 있음)",
                             "Space: model answer · L: language · Esc: leave (earlier answers "
                             "are saved)"),
    "interview_keys_grade": ("1-4: 스스로 채점 · L: 언어 · Esc: 나가기",
                             "1-4: grade yourself · L: language · Esc: leave"),
    "interview_keys_result": ("Enter: 다음 질문 · L: 언어 · Esc: 나가기",
                              "Enter: next question · L: language · Esc: leave"),
    "report_title": ("면접 리포트", "Interview report"),
    "report_started": ("{date} 시작 · {state}", "Started {date} · {state}"),
    "report_totals": ("답변 {answers}개 · 총 {time} · 평균 점수 {mean} · 시간 초과 {overtime}개",
                      "{answers} answer{answers_s} · {time} in all · mean score {mean} · "
                      "{overtime} over time"),
    "col_time": ("시간", "Time"),
    "col_score": ("점수", "Score"),
    "col_missed": ("빠진 개념", "Missed"),
    "self_grade_of": ("자가 {grade}/4", "self {grade}/4"),
    "weakest_topics": ("약한 주제", "Weakest topics"),
    "topic_line": ("{topic}: 평균 {mean} (답변 {answers}개)",
                   "{topic}: mean {mean} ({answers} answer{answers_s})"),
    "no_answers_yet": ("답한 질문이 없습니다.", "No question was answered."),
    "send_report": ("이 카드 {count}장을 복습에 추가 (S)",
                    "Add the {count} weak card{count_s} to review (S)"),
    "sent_report": ("{count}장을 오늘 복습에 추가했습니다 ('다시'로 채점).",
                    "Added {count} card{count_s} to today's review (graded Again)."),
    "another_interview": ("새 면접 (I)", "New interview (I)"),
    "report_keys": ("카드 링크: 읽기 · {send}I: 새 면접 · L: 언어 · Esc: 홈",
                    "Card links: read · {send}I: new interview · L: language · Esc: home"),
    "report_keys_send": ("S: 약한 카드를 복습에 추가 · ", "S: weak cards to review · "),
    "state_finished": ("완료", "finished"),
    "state_unfinished": ("중간에 나감", "left unfinished"),
    "past_title": ("지난 모의 면접", "Past interviews"),
    "past_date": ("날짜", "Date"),
    "past_answers": ("답변", "Answers"),
    "past_mean": ("평균 점수", "Mean score"),
    "past_mode": ("방식", "Answer"),
    "aloud_short": ("소리 내어", "Aloud"),
    "past_state": ("상태", "State"),
    "open_report": ("리포트 열기 (Enter)", "Open report (Enter)"),
    "no_past": ("아직 모의 면접 기록이 없습니다. I: 새 면접",
                "No interviews yet. I: new interview"),
    "close": ("닫기 (Esc)", "Close (Esc)"),
}


def chrome_language(mode: str) -> str:
    """The language of buttons and labels for a card language mode ('both' uses Korean)."""
    return "en" if mode == "en" else "ko"


def tr(key: str, mode: str, **values: object) -> str:
    """The text for ``key`` in the chrome language of ``mode``, formatted with ``values``; an
    English text may follow a number ``n`` with ``{n_s}``, "s" unless it is 1."""
    ko, en = _TEXT[key]
    text = en if chrome_language(mode) == "en" else ko
    if not values:
        return text
    plurals = {f"{name}_s": "" if value == 1 else "s" for name, value in values.items()
               if isinstance(value, int)}
    return text.format(**values, **plurals)


def next_mode(mode: str) -> str:
    """The language mode after ``mode`` when the user presses L: ko → en → both → ko."""
    return LANGUAGE_MODES[(LANGUAGE_MODES.index(mode) + 1) % len(LANGUAGE_MODES)]
