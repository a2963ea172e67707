"""Benchmark: how well typed-answer scoring finds a card's concepts, against human labels.

Run: ``python tests/benchmarks/bench_scoring.py [--errors N] [--kiwi] [--set NAME]``.

The labelled set is ``tests/data/scoring_answers.toml`` (answers in Korean and English: model
answers, particles, spacing variants, mixed languages, paraphrases, partial, wrong and off-topic
answers; each concept of the card labelled found or not by a person). ``--set heldout`` scores
``tests/data/scoring_answers_heldout.toml`` instead: answers to 60 other cards, written and
labelled by someone who saw neither the scorer, its keyword lists nor the first set, to check
that what was tuned on the first set holds on answers nobody tuned for; ``--set paraphrase``
scores ``scoring_answers_paraphrase.toml``: answers to 40 more cards that describe concepts in
everyday words (two thirds Korean), written the same way. For every method it prints
keyword-detection precision and recall over all (answer, concept) pairs, and per kind of answer:

- ``substring``: the baseline — any form of the concept, lower-cased with spaces, hyphens and
  punctuation removed, as a substring of the answer treated the same way;
- ``scorer``: ``quizapp.study.scoring`` (what the app uses);
- ``kiwi`` (with ``--kiwi``, when ``kiwipiepy`` is installed): the scorer with Korean matched on
  Kiwi's morphemes (nouns and roots) instead of spacing-free prefixes.

Targets: precision ≥ 0.95 and recall ≥ 0.95 for the method the app uses.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quizapp.content import Card, default_content_dir, load_library  # noqa: E402
from quizapp.study.scoring import score_answer, split_forms  # noqa: E402

SETS = {"main": ROOT / "tests" / "data" / "scoring_answers.toml",
        "heldout": ROOT / "tests" / "data" / "scoring_answers_heldout.toml",
        "paraphrase": ROOT / "tests" / "data" / "scoring_answers_paraphrase.toml"}
Method = Callable[[Card, str, str], list[bool]]


def substring_method(card: Card, lang: str, answer: str) -> list[bool]:
    def squash(text: str) -> str:
        return re.sub(r"[\s\-‐–—_.,;:!?'\"`()\[\]{}<>/\\*~^$·]+", "",
                      unicodedata.normalize("NFKC", text).lower())

    body = squash(answer)
    assert card.quiz is not None
    return [any(squash(f) and squash(f) in body for f in split_forms(ko) + split_forms(en))
            for ko, en in zip(card.quiz.keywords["ko"], card.quiz.keywords["en"], strict=True)]


def scorer_method(card: Card, lang: str, answer: str) -> list[bool]:
    return [c.found for c in score_answer(card, lang, answer).concepts]


def kiwi_method() -> Method | None:
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return None
    kiwi = Kiwi()

    def morphemes(text: str) -> list[str]:
        return [t.form for t in kiwi.tokenize(text)
                if t.tag.startswith(("NN", "VV", "VA", "XR", "SL", "SH", "SN"))]

    def method(card: Card, lang: str, answer: str) -> list[bool]:
        from quizapp.study.scoring import Text

        text = Text(answer)
        answer_morphs = [m.lower() for m in morphemes(answer)]
        assert card.quiz is not None
        found = []
        for ko, en in zip(card.quiz.keywords["ko"], card.quiz.keywords["en"], strict=True):
            hit = False
            for form in split_forms(ko) + split_forms(en):
                if re.search(r"[\uac00-\ud7a3]", form):
                    wanted = [m.lower() for m in morphemes(form)]
                    n = len(wanted)
                    hit = bool(wanted) and any(answer_morphs[i:i + n] == wanted
                                               for i in range(len(answer_morphs) - n + 1))
                else:
                    hit = text.find(form) is not None
                if hit:
                    break
            found.append(hit)
        return found

    return method


def evaluate(method: Method, answers: list[dict[str, object]], library_cards: dict[str, Card],
             errors: int, kind_filter: str = "") -> tuple[float, float, float]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn per kind
    shown = 0
    start = time.perf_counter()
    for item in answers:
        card = library_cards[str(item["card"])]
        assert card.quiz is not None
        predicted = method(card, str(item["lang"]), str(item["text"]))
        labelled = [entry in item["found"] for entry in card.quiz.keywords["ko"]]  # type: ignore[operator]
        for entry, guess, truth in zip(card.quiz.keywords["ko"], predicted, labelled,
                                       strict=True):
            for kind in ("all", str(item["kind"])):
                counts[kind][0] += guess and truth
                counts[kind][1] += guess and not truth
                counts[kind][2] += truth and not guess
            if guess != truth and shown < errors and kind_filter in ("", item["kind"]):
                shown += 1
                what = "false positive" if guess else "missed"
                print(f"  {what}: {card.id} [{entry}] ({item['kind']}, {item['lang']}): "
                      f"{str(item['text'])[:110]!r}")
    elapsed = time.perf_counter() - start
    for kind, (tp, fp, fn) in sorted(counts.items()):
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"    {kind:11} precision {precision:.3f}  recall {recall:.3f}  "
              f"(tp {tp}, fp {fp}, fn {fn})")
    tp, fp, fn = counts["all"]
    return tp / (tp + fp), tp / (tp + fn), elapsed / len(answers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", type=int, default=0, help="print this many mistakes")
    parser.add_argument("--kiwi", action="store_true", help="also try Kiwi morphemes")
    parser.add_argument("--kind", default="", help="print mistakes only for this kind")
    parser.add_argument("--set", choices=sorted(SETS), default="main",
                        help="which labelled set to score (default: main)")
    args = parser.parse_args()
    answers = tomllib.loads(SETS[args.set].read_text(encoding="utf-8"))["answer"]
    library = load_library(default_content_dir())
    cards = {card.id: card for card in library.cards}
    concepts = sum(len(cards[a["card"]].quiz.keywords["ko"]) for a in answers)  # type: ignore[union-attr]
    print(f"{len(answers)} labelled answers, {concepts} (answer, concept) pairs, "
          f"{len({a['card'] for a in answers})} cards")
    methods: list[tuple[str, Method]] = [("substring", substring_method),
                                         ("scorer", scorer_method)]
    if args.kiwi:
        start = time.perf_counter()
        kiwi = kiwi_method()
        if kiwi is None:
            print("kiwi: kiwipiepy is not installed")
        else:
            print(f"kiwi: model loaded in {time.perf_counter() - start:.1f} s")
            methods.append(("kiwi", kiwi))
    for name, method in methods:
        print(f"{name}:")
        precision, recall, per_answer = evaluate(method, answers, cards,
                                                 args.errors if name == "scorer" else 0,
                                                 args.kind)
        print(f"  => {name}: precision {precision:.3f}, recall {recall:.3f}, "
              f"{per_answer * 1000:.2f} ms per answer")


if __name__ == "__main__":
    main()
