"""Make the Anki fixtures in tests/data/ that the import tests read.

Needs Anki's own Python library (and genanki), which the project does not depend on; install
them in a separate virtual environment outside the repository and run this with it:

    python3 -m venv /work/wt/ankivenv && /work/wt/ankivenv/bin/pip install anki genanki
    /work/wt/ankivenv/bin/python tests/reference/make_anki_fixtures.py

It writes:

- ``tests/data/anki_current.apkg``: exported by Anki (the default, current format: the notes in
  a zstd-compressed ``collection.anki21b``; ``collection.anki2`` is a "please update"
  placeholder). Korean and English notes, MathJax, HTML (bold, a list, code, an image, a
  script), tags, a cloze note, a custom three-field note type, a nested deck and a deck named in
  Hangul.
- ``tests/data/anki_legacy21.apkg``: the same collection exported by Anki in the legacy format
  ("support older Anki versions": ``collection.anki21``, schema 11).
- ``tests/data/anki_notes.txt``: the same notes exported by Anki as "Notes in Plain Text"
  (with HTML, tags, deck, note type and guid columns).
- ``tests/data/anki_legacy.apkg``: written by genanki (``collection.anki2``, schema 11), as
  older tools and shared decks are.

``NOTES`` below is what the tests expect to find in them. Anki and genanki store some zip
entries uncompressed (Anki's 50 KB placeholder collection, genanki's whole collection); to keep
the fixtures a few KB, each package is then re-zipped with deflate: every entry's bytes stay
exactly what Anki or genanki wrote.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

#: (deck, note type, fields, tags) of every note, in the order they are added.
NOTES = [
    ("ML Basics::Optimizers", "Basic",
     ["모멘텀(momentum)은 무엇인가요? \\(v_t\\)",
      "<b>관성</b>처럼 과거 기울기를 누적합니다.<br>\\[v_t = \\mu v_{t-1} + g_t\\]"
      "<ul><li>진동 감소</li><li>가속</li></ul>"],
     ["optimizer", "ml::basics"]),
    ("ML Basics::Optimizers", "Basic",
     ["What does <i>Adam</i> combine?",
      "Momentum <u>and</u> RMSProp; default <code>lr=1e-3</code>, costs $5 * 2."
      '<img src="adam.png" alt="Adam diagram"><script>alert(1)</script>'],
     ["optimizer"]),
    ("ML Basics", "Cloze",
     ["{{c1::Dropout}} randomly zeroes activations with probability \\(p\\).",
      "Turned off at inference."],
     ["regularization"]),
    ("한국어 덱", "Basic",
     ["과적합을 줄이는 방법은?", "데이터 늘리기, 규제, 조기 종료"],
     []),
    ("ML Basics", "Vocab (ko/en)",
     ["학습률", "learning rate", "학습률이 너무 크면 발산합니다."],
     ["vocab"]),
]


def make_anki_packages() -> None:
    from anki.collection import Collection, ExportAnkiPackageOptions

    with tempfile.TemporaryDirectory() as scratch:
        col = Collection(str(Path(scratch) / "collection.anki2"))
        vocab = col.models.new("Vocab (ko/en)")
        for name in ("Korean", "English", "Example"):
            col.models.add_field(vocab, col.models.new_field(name))
        template = col.models.new_template("Card 1")
        template["qfmt"] = "{{Korean}}"
        template["afmt"] = "{{FrontSide}}<hr id=answer>{{English}}<br>{{Example}}"
        col.models.add_template(vocab, template)
        col.models.add(vocab)
        for deck, notetype, fields, tags in NOTES:
            note = col.new_note(col.models.by_name(notetype))
            for index, value in enumerate(fields):
                note.fields[index] = value
            note.tags = list(tags)
            col.add_note(note, col.decks.id(deck))
        for name, legacy in (("anki_current.apkg", False), ("anki_legacy21.apkg", True)):
            count = col.export_anki_package(
                out_path=str(DATA / name),
                options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                                 with_media=True, legacy=legacy),
                limit=None)
            print(f"wrote {DATA / name}: {count} notes")
        col.export_note_csv(out_path=str(DATA / "anki_notes.txt"), limit=None, with_html=True,
                            with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
        print(f"wrote {DATA / 'anki_notes.txt'}")
        col.close()


def make_genanki_package() -> None:
    import genanki

    decks = {name: genanki.Deck(2059400110 + i, name)
             for i, name in enumerate(["Legacy Deck", "Legacy Deck::Sub"])}
    rows = [
        ("Legacy Deck::Sub", genanki.BASIC_MODEL,
         ["경사 하강법이란? \\(\\theta \\leftarrow \\theta - \\eta \\nabla L\\)",
          "손실의 <b>기울기 반대 방향</b>으로 이동합니다."], ["legacy"]),
        ("Legacy Deck", genanki.BASIC_MODEL,
         ["What is a <i>learning rate</i>?", "The step size.<br><br>Too large: divergence."],
         []),
        ("Legacy Deck", genanki.CLOZE_MODEL,
         ["{{c1::Batch normalization::a layer}} normalizes activations per mini-batch.",
          ""], ["normalization"]),
    ]
    for index, (deck, model, fields, tags) in enumerate(rows):
        decks[deck].add_note(genanki.Note(model=model, fields=fields, tags=tags,
                                          guid=genanki.guid_for("fixture", index)))
    path = DATA / "anki_legacy.apkg"
    genanki.Package(list(decks.values())).write_to_file(str(path), timestamp=1_700_000_000)
    print(f"wrote {path}: {len(rows)} notes")


def deflate(path: Path) -> None:
    """Re-zip ``path`` with every entry deflated (same names, same bytes, same order)."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name, data in entries:
            out.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    path.chmod(0o644)
    print(f"  {path.name}: {path.stat().st_size:,} bytes, entries "
          f"{', '.join(name for name, _ in entries)}")


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    make_anki_packages()
    make_genanki_package()
    for name in ("anki_current.apkg", "anki_legacy21.apkg", "anki_legacy.apkg"):
        deflate(DATA / name)
    (DATA / "anki_notes.txt").chmod(0o644)
    sys.exit(0)
