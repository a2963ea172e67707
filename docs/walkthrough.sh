#!/usr/bin/env bash
# Walk through the app as a new user does — a real X window (Xvfb), real key presses (xdotool),
# full-screen screenshots — and store the screenshots in docs/screenshots/ (ko and en).
#
#   bash docs/walkthrough.sh [all|review|rehearsal]   (review includes the card browser)
#
# Needs ../shared/tools/walk (or WALK=path/to/walk); PY is the Python with the app's
# dependencies (default .venv/bin/python). Every shot starts from a fresh data folder.
# review: home, a question, its answer (with formulas), the card's live demo, the demo
# gallery, the keyboard-shortcut help, the card editor, statistics and settings after a
# simulated year of study, the answer again in the dark theme, and the card browser (B) with
# six weeks of simulated study, a search typed (initial consonants ㄱㅅㅎㄱ in Korean) and the
# preview of the second card found.
# rehearsal: the quiz setup, a multiple-choice question with its feedback, the round summary,
# a typed answer's result, an interview question with its countdown in overtime, an answer
# given aloud, and the interview report.
set -euo pipefail
cd "$(dirname "$0")/.."
PART=${1:-all}
WALK=${WALK:-../shared/tools/walk}
PY=${PY:-.venv/bin/python}
export WALK_DIR=${WALK_DIR:-/tmp/quizapp-walkthrough}
export DISPLAY=${WALK_DISPLAY:-:99}  # the walk tool's X server (WALK_DISPLAY for a copy on another)
OUT=docs/screenshots
mkdir -p "$OUT"

fit() {  # move the newest visible window whose title matches $1 to fill the screen
  local win
  win=$(xdotool search --onlyvisible --name "$1" | tail -1)
  xdotool windowmove "$win" 0 0 windowsize "$win" 1600 1000
  sleep 1.5
}
shot() { "$WALK" shot "$1" >/dev/null && cp "$WALK_DIR/$1.png" "$OUT/$1.png" && echo "$OUT/$1.png"; }
fresh() {  # a new data folder holding the given settings, then the app on it
  "$WALK" stop >/dev/null 2>&1 || true
  for _ in $(seq 40); do [ -e /tmp/.X99-lock ] || break; sleep 0.25; done  # the old X server
  rm -rf "$WALK_DIR/data"
  "$PY" - "$WALK_DIR/data/progress.sqlite3" "$@" <<'EOF'
import json, sys
from pathlib import Path
from quizapp.store import open_store
with open_store(Path(sys.argv[1])) as store:
    for pair in sys.argv[2:]:
        key, value = pair.split("=", 1)
        store.set_setting(key, json.loads(value))
EOF
  if [ -n "${HISTORY:-}" ]; then  # a year of a simulated learner's reviews of the real cards
    "$PY" - "$WALK_DIR/data/progress.sqlite3" <<'EOF'
import sys
from datetime import UTC, datetime
from pathlib import Path
sys.path.insert(0, "tests")
from simulated_history import simulate
from quizapp.content import default_content_dir, load_library
from quizapp.store import open_store
library = load_library(default_content_dir())
with open_store(Path(sys.argv[1])) as store:
    ids = [card.id for card in library.cards]
    simulate(store, ids[:240], 365, datetime.now(UTC), new_per_day=4, skill=0.93, seed=1,
             skip_days=range(200, 209))
EOF
  fi
  "$WALK" start >/dev/null
  "$WALK" size 1600 1000
}
typed_answer() {  # half the concepts of the quiz question on screen, in English words
  "$PY" - "$WALK_DIR/data/progress.sqlite3" <<'EOF'
import json, sqlite3, sys
from quizapp.content import default_content_dir, load_library
db = sqlite3.connect(sys.argv[1])
round_id, ids = db.execute("select id, card_ids from quiz_rounds order by id desc").fetchone()
asked = db.execute("select count(*) from quiz_answers where round_id = ?", [round_id]).fetchone()
card = load_library(default_content_dir()).card(json.loads(ids)[asked[0]])
forms = [next((f.strip() for f in k.split("|") if f.strip().isascii()), "")
         for k in card.quiz.keywords["en"]]
print(", ".join(f for f in forms[: (len(forms) + 1) // 2] if f) + " ... not sure about the rest")
EOF
}

review() {
  local lang=$1
  fresh "ui_language=\"$lang\"" 'theme="light"'
  shot "home-$lang"
  "$WALK" key Down Down Return          # the activation-functions deck
  sleep 1
  shot "review-$lang"
  "$WALK" key space
  sleep 3                              # formulas are drawn a moment after the card
  shot "answer-$lang"
  "$WALK" key d
  sleep 3
  if [ "$lang" = ko ]; then fit "데모:"; else fit "Demo:"; fi
  sleep 4                              # the demo trains to its natural end
  shot "demo-$lang"
  "$WALK" key Escape g
  sleep 2
  if [ "$lang" = ko ]; then fit "데모 갤러리"; else fit "Demo gallery"; fi
  shot "gallery-$lang"
  "$WALK" key Escape F1
  sleep 1
  if [ "$lang" = ko ]; then fit "키보드 단축키"; else fit "Keyboard shortcuts"; fi
  shot "help-$lang"
  "$WALK" key Escape e                 # edit the card on screen
  sleep 3
  if [ "$lang" = ko ]; then fit "카드 편집"; else fit "Edit card"; fi
  shot "editor-$lang"
  "$WALK" key Escape c                 # custom study for the deck being studied
  sleep 2
  shot "custom-study-$lang"
  "$WALK" key Escape

  HISTORY=1 fresh "ui_language=\"$lang\"" 'theme="light"'
  "$WALK" key t
  sleep 4
  if [ "$lang" = ko ]; then fit "통계"; else fit "Statistics"; fi
  shot "statistics-$lang"
  "$WALK" key Escape ctrl+comma
  sleep 2
  if [ "$lang" = ko ]; then fit "설정"; else fit "Settings"; fi
  shot "settings-$lang"
  "$WALK" key Escape

  fresh "ui_language=\"$lang\"" 'theme="dark"'
  "$WALK" key Down Down Return space
  sleep 3
  shot "dark-$lang"
}

rehearsal() {
  local lang=$1
  fresh "ui_language=\"$lang\"" 'theme="light"'
  "$WALK" key q                         # the quiz setup
  sleep 1
  shot "quiz-setup-$lang"
  "$WALK" key Return                    # ten multiple-choice questions from every deck
  sleep 1
  "$WALK" key 2
  sleep 3                               # the card's answer, with its formulas
  shot "quiz-choice-$lang"
  for _ in 1 2 3 4 5 6 7 8 9; do "$WALK" key Return 1; done
  "$WALK" key Return
  sleep 1
  shot "quiz-summary-$lang"
  "$WALK" key Escape q alt+t alt+n ctrl+a   # typed answers, three questions
  "$WALK" type 3
  "$WALK" key Return
  sleep 1
  "$WALK" type "$(typed_answer)"
  "$WALK" key ctrl+Return
  sleep 3
  shot "quiz-typed-$lang"

  "$WALK" key Escape i alt+p ctrl+a       # a mock interview with 30 s per answer
  "$WALK" type 0.5
  "$WALK" key Return
  sleep 1
  "$WALK" type "Bias and variance"
  "$WALK" key ctrl+Return Return          # the next question, often a follow-up
  "$WALK" type "It depends on"
  sleep 34                              # into overtime
  shot "interview-question-$lang"
  "$WALK" key Escape i alt+a alt+q Tab ctrl+a   # aloud, two main questions
  "$WALK" type 2
  "$WALK" key Return
  sleep 4
  "$WALK" key space
  sleep 3
  shot "interview-aloud-$lang"
  "$WALK" key 2
  for _ in 1 2 3 4 5 6 7 8; do "$WALK" key space 3; done   # extra keys do nothing on the report
  sleep 1
  shot "interview-report-$lang"
}

studied() {  # a fresh data folder with six weeks of study, suspended, flagged and buried cards
  "$WALK" stop >/dev/null 2>&1 || true
  rm -rf "$WALK_DIR/data"
  mkdir -p "$WALK_DIR/data"
  "$PY" - "$WALK_DIR/data/progress.sqlite3" "$1" <<'EOF'
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from simulated_history import simulate
from quizapp.content import default_content_dir, load_library
from quizapp.store import open_store
from quizapp.study import DayClock, utc_now
from quizapp.study import card_actions as actions
library = load_library(default_content_dir())
now = utc_now()
with open_store(Path(sys.argv[1])) as store:
    store.set_setting("ui_language", sys.argv[2])
    store.set_setting("theme", "light")
    simulate(store, [c.id for c in library.cards][:160], days=45, end=now, new_per_day=6,
             skill=0.8, seed=3)
    grad = [c.id for c in library.cards if "gradient" in (c.question.en + c.answer.en).lower()]
    actions.suspend(store, grad[3:5], now)
    actions.set_flag(store, grad[1:2], 1, now)
    actions.set_flag(store, grad[6:7], 4, now)
    actions.bury(store, grad[8:9], now, DayClock(4))
    store.db.execute("update card_status set leech = 1 where card_id = ?", [grad[4]])
EOF
  "$WALK" start >/dev/null
  "$WALK" size 1600 1000
}

browser() {
  local lang=$1
  studied "$lang"
  "$WALK" key b
  sleep 2
  if [ "$lang" = ko ]; then fit "카드 찾아보기"; query="ㄱㅅㅎㄱ"; else fit "Browse cards"; query="gradient descent"; fi
  xdotool type --delay 250 "$query"   # slowly: xdotool types Hangul by remapping a key
  sleep 1
  "$WALK" key Down Down               # into the table, one card down
  sleep 3                             # the preview's formulas are drawn a moment later
  shot "browser-$lang"
}

for lang in ko en; do
  if [ "$PART" = all ] || [ "$PART" = review ]; then review "$lang"; browser "$lang"; fi
  if [ "$PART" = all ] || [ "$PART" = rehearsal ]; then rehearsal "$lang"; fi
done
"$WALK" stop
