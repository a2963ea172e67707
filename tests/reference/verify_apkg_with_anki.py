"""Check a package written by ``main.py export --apkg`` with Anki's own Python library.

The project does not depend on Anki; install its library in a separate virtual environment
outside the repository and run this script with that interpreter:

    python3 -m venv /work/wt/ankivenv && /work/wt/ankivenv/bin/pip install anki
    .venv/bin/python main.py check --json > /tmp/cards.json
    .venv/bin/python main.py export --apkg /tmp/cards.apkg
    /work/wt/ankivenv/bin/python tests/reference/verify_apkg_with_anki.py /tmp/cards.apkg \
        /tmp/cards.json

(``check --json`` and ``export`` take the same ``--content``/``--data-dir``/``--deck``
choices; with ``--deck`` give ``--deck`` here too.) It imports the package into a fresh Anki
collection the way Anki's File → Import does and checks that:

- every card of the JSON is one note of the note type "ML Interview Card (ko/en)", found by the
  guid derived from its id, with its id in the ``ID`` field, in the deck
  ``ML 면접 카드::<ko title> (<en title>)``, with its tags (ignoring case, as Anki does), and
  nothing else was imported;
- Anki renders every card's question and answer (no template errors), and every formula is
  MathJax (``\\(..\\)`` / ``\\[..\\]``), never a bare ``$``;
- importing the same package again adds nothing; a package whose note was edited (a later
  export) updates that note in place.

With a third argument, ``OUT.apkg``, it then exports the collection (with that edit) from Anki
in Anki's current format, for ``main.py import`` to read back.

It prints what it checked and exits 1 on the first failure. ``tests/unit/interop/
test_anki_export.py`` runs it when Anki's library is available (``ANKI_PYTHON``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MODEL_NAME = "ML Interview Card (ko/en)"
ROOT_DECK = "ML 면접 카드"
_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")


def guid_for(*values: str) -> str:
    """genanki's guid_for (what quizapp.interop.anki_model.note_guid uses)."""
    number = int.from_bytes(hashlib.sha256("__".join(values).encode()).digest()[:8], "big")
    digits = []
    while number:
        number, digit = divmod(number, len(_BASE91))
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def import_package(col, path: Path):  # type: ignore[no-untyped-def]
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=False,
                                         with_deck_configs=False))
    return col.import_anki_package(request).log


def edited_copy(package: Path, target: Path, guid: str) -> None:
    """``package`` with one note's English answer changed and its mtime moved on (a later
    export of an edited card)."""
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        with zipfile.ZipFile(package) as source:
            database.write_bytes(source.read("collection.anki2"))
            media = source.read("media")
        connection = sqlite3.connect(database)
        fields = connection.execute("SELECT flds FROM notes WHERE guid = ?", (guid,)).fetchone()[0]
        parts = fields.split("\x1f")
        parts[3] = "<p>EDITED</p>"
        connection.execute("UPDATE notes SET flds = ?, mod = ? WHERE guid = ?",
                           ("\x1f".join(parts), int(time.time()) + 60, guid))
        connection.commit()
        connection.close()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(database, "collection.anki2")
            out.writestr("media", media)


def main() -> None:
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        sys.exit(2)
    package, expected_json = Path(sys.argv[1]), Path(sys.argv[2])
    reexport = Path(sys.argv[3]) if len(sys.argv) == 4 else None
    expected = json.loads(expected_json.read_text(encoding="utf-8"))
    titles = {d["id"]: d["title"] for d in expected["decks"]}
    cards = expected["cards"]
    import anki
    from anki.collection import Collection

    print(f"anki {anki.buildinfo.version}: importing {package.name} "
          f"({package.stat().st_size:,} bytes), expecting {len(cards)} cards")
    with tempfile.TemporaryDirectory() as scratch:
        col = Collection(str(Path(scratch) / "collection.anki2"))
        log = import_package(col, package)
        print(f"first import: {len(log.new)} new, {len(log.updated)} updated, "
              f"{len(log.duplicate)} duplicate, {len(log.conflicting)} conflicting notes")
        if len(log.new) != len(cards) or col.note_count() != len(cards):
            fail(f"{len(log.new)} notes imported, {col.note_count()} in the collection; "
                 f"expected {len(cards)}")
        if col.card_count() != len(cards):
            fail(f"{col.card_count()} Anki cards; expected one per note ({len(cards)})")
        formulas = 0
        deck_names = set()
        for card in cards:
            guid = guid_for("quizapp-card", card["id"])
            note_ids = col.db.list("SELECT id FROM notes WHERE guid = ?", guid)
            if len(note_ids) != 1:
                fail(f"{card['id']}: {len(note_ids)} notes with guid {guid!r}")
            note = col.get_note(note_ids[0])
            if note.note_type()["name"] != MODEL_NAME:
                fail(f"{card['id']}: note type {note.note_type()['name']!r}")
            if note["ID"] != card["id"]:
                fail(f"{card['id']}: ID field {note['ID']!r}")
            # Anki's tags are case-insensitive: one spelling per collection ("GAN" = "gan")
            wanted_tags = sorted({"_".join(t.split()).lower() for t in card["tags"]})
            if sorted({t.lower() for t in note.tags}) != wanted_tags:
                fail(f"{card['id']}: tags {note.tags} != {wanted_tags}")
            [anki_card] = note.cards()
            title = titles[card["deck"]]
            shown = title["ko"] if title["ko"] == title["en"] else \
                f"{title['ko']} ({title['en']})"
            deck = col.decks.name(anki_card.did)
            deck_names.add(deck)
            if deck != f"{ROOT_DECK}::{shown.replace('::', ':')}":
                fail(f"{card['id']}: in deck {deck!r}")
            question, answer = anki_card.question(), anki_card.answer()
            if not question.strip() or "{{" in question or "{{" in answer:
                fail(f"{card['id']}: Anki could not render the card: {question[:200]!r}")
            for name in ("Question (ko)", "Answer (ko)", "Question (en)", "Answer (en)"):
                value = note[name]
                if not value.strip():
                    fail(f"{card['id']}: field {name} is empty")
                if name.startswith("Answer") and value not in answer:
                    fail(f"{card['id']}: field {name} is not on the rendered answer")
                formulas += value.count("\\(") + value.count("\\[")
            sides = [card["question"]["ko"], card["answer"]["ko"], card["question"]["en"],
                     card["answer"]["en"]]
            if any("$" in side for side in sides) and not any(
                    "\\(" in note[n] or "\\[" in note[n] for n in
                    ("Question (ko)", "Answer (ko)", "Question (en)", "Answer (en)")):
                fail(f"{card['id']}: has math but no MathJax in Anki")
        print(f"every card found by guid, with its id, deck, tags and four fields; "
              f"{len(deck_names)} decks under {ROOT_DECK!r}; {formulas} MathJax formulas; "
              f"Anki rendered all {len(cards)} cards")
        log = import_package(col, package)
        print(f"second import of the same file: {len(log.new)} new, {len(log.updated)} "
              f"updated, {len(log.duplicate)} duplicate; {col.note_count()} notes")
        if len(log.new) or col.note_count() != len(cards):
            fail("importing the same package again added notes")
        first = cards[0]["id"]
        guid = guid_for("quizapp-card", first)
        edited = Path(scratch) / "edited.apkg"
        edited_copy(package, edited, guid)
        log = import_package(col, edited)
        note = col.get_note(col.db.list("SELECT id FROM notes WHERE guid = ?", guid)[0])
        print(f"import of an edited export: {len(log.new)} new, {len(log.updated)} updated; "
              f"{col.note_count()} notes; {first}'s English answer is now "
              f"{note['Answer (en)']!r}")
        if len(log.new) or len(log.updated) != 1 or note["Answer (en)"] != "<p>EDITED</p>":
            fail("an edited export did not update the note in place")
        if reexport is not None:
            from anki.collection import ExportAnkiPackageOptions

            count = col.export_anki_package(
                out_path=str(reexport), limit=None,
                options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                                 with_media=False, legacy=False))
            print(f"exported the collection again with Anki (current format): {count} notes "
                  f"in {reexport}")
        col.close()
    print("OK")


if __name__ == "__main__":
    main()
