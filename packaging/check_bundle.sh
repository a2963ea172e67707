#!/usr/bin/env bash
# Try a built bundle the way a user's machine runs it: copied into an empty temporary folder
# (no source tree beside it, no PYTHONPATH), Qt offscreen, a fresh data folder. Runs --version,
# check, smoke, smoke --demo, a headless demo, stats, and the Anki round trip (import a current
# zstd-compressed package, export an .apkg); fails if any fails, or if running it
# wrote anything inside the bundle (shipped files are read-only; data goes to the data folder).
#
#   bash packaging/check_bundle.sh [BUNDLE_DIR] [PYTHON]
#
# BUNDLE_DIR defaults to dist/quizapp. With PYTHON (the checkout's venv Python) the source
# checkout's smoke runs first, so the two "first card shown after N ms" lines can be compared.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$(cd "${1:-$here/dist/quizapp}" && pwd)"
python="${2:-}"
exe_name=quizapp
[ -f "$bundle/quizapp.exe" ] && exe_name=quizapp.exe

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
unset PYTHONPATH PYTHONHOME

if [ -n "$python" ]; then
    echo "-- the source checkout's smoke"
    QUIZAPP_DATA_DIR="$work/source-data" "$python" "$here/main.py" smoke | tee "$work/source.txt"
fi

cp -a "$bundle" "$work/quizapp"
cp "$here/tests/data/anki_current.apkg" "$work/"  # a current Anki package (collection.anki21b)
touch "$work/copied"
sleep 1  # file times have one-second resolution on some file systems
cd "$work"
export QUIZAPP_DATA_DIR="$work/data"
exe="./quizapp/$exe_name"
run() { echo "\$ quizapp $*"; "$exe" "$@"; }

run --version
run check
run smoke | tee "$work/bundle.txt"
run smoke --demo adam-vs-sgd
# matplotlib's font list is kept in the data folder, not rebuilt in a temporary one each start
ls "$work/data/cache/matplotlib"/fontlist-*.json > /dev/null || {
    echo "error: no matplotlib font list in the data folder" >&2; exit 1; }
run demo batchnorm-inference --out "$work/batchnorm.png"
test -s "$work/batchnorm.png"
run stats > /dev/null
run import anki_current.apkg
run export --apkg "$work/exported.apkg"
test -s "$work/exported.apkg"

written="$(find "$work/quizapp" -newer "$work/copied" \( -type f -o -type d \) -print)"
if [ -n "$written" ]; then
    echo "error: running the bundle wrote inside it:" >&2
    echo "$written" >&2
    exit 1
fi
ms() { sed -n 's/^first card shown after \([0-9]*\) ms$/\1/p' "$1"; }
if [ -n "$python" ]; then
    echo "first card shown: source checkout $(ms "$work/source.txt") ms, bundle $(ms "$work/bundle.txt") ms"
fi
echo "the bundle works from $work with no source tree beside it"
