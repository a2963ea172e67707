#!/usr/bin/env bash
# Walk through the app as a new user does — a real X window (Xvfb), real key presses (xdotool),
# full-screen screenshots — and store the screenshots in docs/screenshots/ (ko and en).
#
#   bash docs/walkthrough.sh        (needs ../shared/tools/walk, or WALK=path/to/walk)
#
# Every shot starts from a fresh data folder: home, a question, its answer (with formulas),
# the card's live demo, the demo gallery, the keyboard-shortcut help, the answer again in
# the dark theme, and the card browser (B) with six weeks of simulated study, a search typed
# (initial consonants ㄱㅅㅎㄱ in Korean) and the preview of the second card found.
set -euo pipefail
cd "$(dirname "$0")/.."
WALK=${WALK:-../shared/tools/walk}
export WALK_DIR=${WALK_DIR:-/tmp/quizapp-walkthrough}
export DISPLAY=:99
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
  rm -rf "$WALK_DIR/data"
  .venv/bin/python - "$WALK_DIR/data/progress.sqlite3" "$@" <<'EOF'
import json, sys
from pathlib import Path
from quizapp.store import open_store
with open_store(Path(sys.argv[1])) as store:
    for pair in sys.argv[2:]:
        key, value = pair.split("=", 1)
        store.set_setting(key, json.loads(value))
EOF
  "$WALK" start >/dev/null
  "$WALK" size 1600 1000
}

for lang in ko en; do
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
  "$WALK" key Escape

  fresh "ui_language=\"$lang\"" 'theme="dark"'
  "$WALK" key Down Down Return space
  sleep 3
  shot "dark-$lang"
done

studied() {  # a fresh data folder with six weeks of study, suspended, flagged and buried cards
  "$WALK" stop >/dev/null 2>&1 || true
  rm -rf "$WALK_DIR/data"
  mkdir -p "$WALK_DIR/data"
  .venv/bin/python - "$WALK_DIR/data/progress.sqlite3" "$1" <<'EOF'
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

for lang in ko en; do
  studied "$lang"
  "$WALK" key b
  sleep 2
  if [ "$lang" = ko ]; then fit "카드 찾아보기"; query="ㄱㅅㅎㄱ"; else fit "Browse cards"; query="gradient descent"; fi
  xdotool type --delay 250 "$query"   # slowly: xdotool types Hangul by remapping a key
  sleep 1
  "$WALK" key Down Down               # into the table, one card down
  sleep 3                             # the preview's formulas are drawn a moment later
  shot "browser-$lang"
done
"$WALK" stop
