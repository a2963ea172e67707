"""Typed answers are scored by concept: robust to particles, spacing, hyphens, case, inflection,
typos and mixed languages, and not fooled by look-alikes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content.model import Card, Quiz, Text
from quizapp.study.scoring import score_answer


def card(ko: list[str], en: list[str]) -> Card:
    return Card(id="c", deck="d", question=Text("질문", "Question"), answer=Text("답", "Answer"),
                quiz=Quiz(distractors={"ko": [], "en": []}, keywords={"ko": ko, "en": en}))


DROPOUT = card(["드롭아웃|드랍아웃", "과적합|오버피팅", "앙상블", "추론 때 끔"],
               ["dropout", "overfitting", "ensemble", "turned off at inference"])


@pytest.mark.parametrize(("lang", "answer", "found"), [
    ("ko", "과적합을 막으려고 드롭아웃을 써요", ["드롭아웃", "과적합"]),  # particles
    ("ko", "드롭 아웃은 과적합이 줄고", ["드롭아웃", "과적합"]),  # spacing
    ("ko", "dropout은 overfitting을 줄이고 ensemble 효과가 있어요",
     ["드롭아웃", "과적합", "앙상블"]),  # English terms in a Korean sentence
    ("en", "Drop-out reduces over-fitting; it acts like an Ensemble.",
     ["dropout", "overfitting", "ensemble"]),  # hyphens, case
    ("en", "it is an ensembling trick against overfit models", ["overfitting", "ensemble"]),
    ("en", "dropuot helps", ["dropout"]),  # one typo in a long word
    ("en", "at inference it is turned off", ["turned off at inference"]),  # words in any order
    ("ko", "오버피팅 방지", ["과적합"]),  # an alternative form
    ("ko", "overfit이 심하면 dropout을 넣어요", ["드롭아웃", "과적합"]),  # stem + particle
])
def test_concepts_are_found_in_their_many_forms(lang: str, answer: str, found: list[str]) -> None:
    result = score_answer(DROPOUT, lang, answer)
    assert [c.term for c in result.concepts if c.found] == found
    assert result.score == pytest.approx(len(found) / 4)


def test_evidence_points_at_the_words_of_the_answer() -> None:
    answer = "과적합을 막으려고 드롭 아웃을 써요"
    result = score_answer(DROPOUT, "ko", answer)
    dropout = result.concepts[0]
    assert dropout.evidence is not None and dropout.span is not None
    assert answer[dropout.span[0]:dropout.span[1]] == dropout.evidence
    assert dropout.evidence.startswith("드롭 아웃")
    assert result.to_json()["keywords"][0] == {"term": "드롭아웃", "found": True,  # type: ignore[index]
                                               "evidence": dropout.evidence}


@pytest.mark.parametrize("answer", [
    "hello there, this is about help",  # "he" must not match inside "hello"/"help"
    "we used turn-based inference for the game",  # not all words of the phrase near
    "잘 모르겠습니다",
])
def test_look_alikes_are_not_concepts(answer: str) -> None:
    assert score_answer(card(["He 초기화"], ["He init"]), "en", answer).score == 0
    assert not score_answer(DROPOUT, "en", answer).concepts[3].found


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="ko or en"):
        score_answer(DROPOUT, "fr", "x")


SENSE_AT_THE_END = card(["조기종료", "레이블이 필요 없", "학습률이 너무 크"],
                        ["early stopping", "no labels needed", "learning rate too large"])


@pytest.mark.parametrize(("answer", "found"), [
    ("조기종로를 씁니다", ["조기종료"]),  # a typo in the last syllable's vowel still counts
    ("조기 종료하면 됩니다", ["조기종료"]),
    ("이 방법은 레이블이 필요 없어요", ["레이블이 필요 없"]),
    ("학습률이 너무 크면 발산해요", ["학습률이 너무 크"]),
    # the last syllable carries the sense: the opposite must not count as the concept
    ("이 방법은 레이블이 필요하다", []),
    ("학습률이 너무 작으면 느려요", []),
])
def test_a_korean_forms_last_syllable_is_not_dropped_or_swapped(answer: str,
                                                                found: list[str]) -> None:
    result = score_answer(SENSE_AT_THE_END, "ko", answer)
    assert [c.term for c in result.concepts if c.found] == found


VERB_STEMS = card(["가중치를 얼리", "채널 수를 줄이", "0이 되", "분포가 다르", "최적화가 어렵"],
                  ["freeze the weights", "reduce the channels", "becomes zero",
                   "distributions differ", "hard to optimise"])


@pytest.mark.parametrize(("answer", "found"), [
    ("원래 가중치를 얼려 두고 어댑터만 학습해요", ["가중치를 얼리"]),  # 얼리+어 = 얼려
    ("가중치를 얼렸다가 나중에 풉니다", ["가중치를 얼리"]),  # past: 얼렸
    ("1×1 conv로 채널 수를 줄인 다음", ["채널 수를 줄이"]),  # 줄이+ㄴ = 줄인
    ("채널 수를 줄입니다", ["채널 수를 줄이"]),  # 줄이+ㅂ니다
    ("기울기가 곱해지다 보면 0이 돼요", ["0이 되"]),  # 되+어 = 돼
    ("결국 0이 됐다", ["0이 되"]),
    ("학습과 운영의 분포가 달라서 생기는 문제", ["분포가 다르"]),  # 르-irregular: 달라
    ("깊은 망은 최적화가 어려워요", ["최적화가 어렵"]),  # ㅂ-irregular: 어려워
    ("가중치를 전부 얼려 둡니다", ["가중치를 얼리"]),  # its words apart, one inflected
])
def test_a_korean_verb_stem_is_found_in_its_inflected_spellings(answer: str,
                                                                 found: list[str]) -> None:
    result = score_answer(VERB_STEMS, "ko", answer)
    assert [c.term for c in result.concepts if c.found] == found


@pytest.mark.parametrize("answer", [
    "채널 수를 늘린 다음", "0이 아니에요", "분포가 같아서", "가중치를 올려 두고",
])
def test_an_inflection_does_not_turn_one_stem_into_another(answer: str) -> None:
    assert score_answer(VERB_STEMS, "ko", answer).score == 0


WRITTEN_INFLECTED = card(["특성 수를 줄여", "가중치를 곱해", "0에 가까워", "학습률도 키워"],
                         ["fewer features", "multiply by the weights", "near zero", "raise it"])


@pytest.mark.parametrize(("answer", "found"), [
    ("특성 수를 줄이면 됩니다", ["특성 수를 줄여"]),  # 줄여 written, 줄이 said
    ("입력에 가중치를 곱하고 더해요", ["가중치를 곱해"]),  # 곱해 <- 곱하
    ("가중치를 곱한 값", ["가중치를 곱해"]),
    ("기울기가 0에 가깝습니다", ["0에 가까워"]),  # ㅂ-irregular: 가까워 <- 가깝
    ("배치를 키우면 학습률도 키운다", ["학습률도 키워"]),  # 키워 <- 키우, not 킵
    ("특성 수를 늘리면", []),
    ("0에서 가장 먼 값", []),
])
def test_a_form_written_inflected_is_found_by_its_stem(answer: str, found: list[str]) -> None:
    result = score_answer(WRITTEN_INFLECTED, "ko", answer)
    assert [c.term for c in result.concepts if c.found] == found


WRITTEN_WITH_ENDING = card(
    ["모든 뉴런이 동일한", "가중치가 고정된", "분산을 일정하게", "기울기를 계산하는",
     "값을 곱해서", "유한"],
    [""] * 6)


@pytest.mark.parametrize(("answer", "found"), [
    ("모든 뉴런이 동일해져요", ["모든 뉴런이 동일한"]),  # 동일한 <- 동일하
    ("가중치가 고정돼 있어서", ["가중치가 고정된"]),  # 고정된 <- 고정되
    ("분산이 일정하다는 게", []),  # the particle is part of the form
    ("분산을 일정하게 유지", ["분산을 일정하게"]),
    ("기울기를 계산해 두고", ["기울기를 계산하는"]),
    ("값을 곱하면 됩니다", ["값을 곱해서"]),  # 곱해서 <- 곱하
    ("유해한 값", []),  # a two-syllable word in 한 is a noun (유한, 상한, 제한), not 유하
])
def test_a_form_word_written_with_an_ending_is_found_by_its_stem(answer: str,
                                                                 found: list[str]) -> None:
    result = score_answer(WRITTEN_WITH_ENDING, "ko", answer)
    assert [c.term for c in result.concepts if c.found] == found


OPPOSITES = card(["과소적합", "비지도 학습", "상한이 없"],
                 ["underfitting", "unsupervised learning", "no upper bound"])


@pytest.mark.parametrize(("answer", "found"), [
    ("gamma가 크면 과적합되기 쉽습니다", []),  # a syllable dropped: 과소적합 -> 과적합
    ("레이블이 있으니 지도 학습입니다", []),  # 비지도 -> 지도
    ("모델이 너무 단순하면 과소적합이 생겨요", ["과소적합"]),
    ("과소적흡이 문제", ["과소적합"]),  # one part of one syllable mistyped: a typo
    ("출력의 상한도 없어요", ["상한이 없"]),  # a particle swapped
    ("출력이 상한 없이 커져요", ["상한이 없"]),  # a particle dropped
])
def test_a_korean_typo_is_one_part_of_one_syllable_never_a_whole_syllable(
        answer: str, found: list[str]) -> None:
    result = score_answer(OPPOSITES, "ko", answer)
    assert [c.term for c in result.concepts if c.found] == found


EQUIVALENTS = card(["학습 전에 정하", "기울기가 사라", "특성이 독립", "교사 모델의 확률",
                    "로그 손실"],
                   ["set before training", "vanishing gradient", "independent features",
                    "teacher's probabilities", "log loss"])


@pytest.mark.parametrize(("answer", "found"), [
    # a term of a form said with an equivalent from the glossary, in either language
    ("hyperparameter는 training 전에 정하는 값이에요", ["학습 전에 정하"]),
    ("깊어질수록 gradient가 사라져요", ["기울기가 사라"]),
    ("그래디언트가 사라지는 문제", ["기울기가 사라"]),
    ("피처가 독립이라고 가정해요", ["특성이 독립"]),
    ("큰 선생님 모델의 확률을 따라 해요", ["교사 모델의 확률"]),
    ("로그 loss를 최소화", ["로그 손실"]),
    # a form made with the glossary is taken as written: its words in order, no typo
    ("loss가 로그 스케일로 줄어요", []),
    ("깊어질수록 gradeint가 사라져요", []),
])
def test_a_term_may_be_said_with_an_equivalent(answer: str, found: list[str]) -> None:
    result = score_answer(EQUIVALENTS, "ko", answer)
    assert [c.term for c in result.concepts if c.found] == found


def test_a_set_phrase_is_not_widened_by_the_glossary() -> None:
    clip = card(["프롬프트 템플릿"], ["a photo of a"])
    assert score_answer(clip, "en", "a photo of a dog").score == 1
    assert score_answer(clip, "en", "the image encoder is a ViT").score == 0


def test_a_word_said_twice_in_a_form_must_be_said_twice() -> None:
    greedy = card(["층별 사전학습"], ["layer by layer"])
    assert score_answer(greedy, "en", "pretrain it layer by layer, then fine-tune").score == 1
    assert score_answer(greedy, "en", "an autoencoder with one hidden layer").score == 0


@pytest.mark.parametrize(("answer", "found"), [
    ("it struggles with varying densities", True),
    ("clusters of varying density", True),
    ("the probabilities are better calibrated", True),
    ("it improves calibration", True),
    ("the variance changes from cluster to cluster", False),
])
def test_a_form_word_cut_short_finds_its_family(answer: str, found: bool) -> None:
    cut = card(["밀도 차이", "보정"], ["varying densit", "calibrat"])
    assert any(c.found for c in score_answer(cut, "en", answer).concepts) == found


@pytest.mark.parametrize("answer", [
    "a classic result", "every country", "countless points", "a matter of priority"])
def test_a_whole_form_word_does_not_find_a_longer_word(answer: str) -> None:
    whole = card(["클래스", "개수", "사전"], ["class", "count", "prior"])
    assert score_answer(whole, "en", answer).score == 0


@pytest.mark.parametrize(("answer", "evidence"), [
    ("보통 √p개를 씁니다", "√p"),  # √ is read as the word sqrt
    ("divide by the sqrt of p", "sqrt of p"),
    ("Adam은 m̂/√v̂로 나눠요", "v̂로 나눠"),  # a hat over a letter is not a word break
    ("p개를 씁니다", None),
])
def test_a_square_root_sign_and_accents_are_read_as_words(answer: str,
                                                          evidence: str | None) -> None:
    root = card(["제곱근(√p)|v로 나누"], ["sqrt(p)"])
    assert score_answer(root, "ko", answer).concepts[0].evidence == evidence


def test_an_accented_letter_is_its_plain_letter() -> None:
    bayes = card(["나이브 베이즈"], ["naive Bayes"])
    result = score_answer(bayes, "en", "Naïve Bayes assumes independence")
    assert result.concepts[0].evidence == "Naïve Bayes"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab가나 ̂̈√ïé-/.()é한"), max_size=30))
def test_any_answer_scores_and_its_evidence_is_its_own_text(answer: str) -> None:
    forms = card(["가나|한 가|ab"], ["ab a|√ab|ïe"])
    for lang in ("ko", "en"):
        result = score_answer(forms, lang, answer)
        concept = result.concepts[0]
        assert concept.found == (concept.span is not None)
        if concept.span is not None:
            assert answer[concept.span[0]:concept.span[1]] == concept.evidence
            assert 0 <= concept.span[0] < concept.span[1] <= len(answer)


def test_a_possessive_is_a_small_word() -> None:
    teacher = card(["교사 분포"], ["teacher's distribution"])
    assert score_answer(teacher, "en", "match the distribution of the teacher").score == 1
    assert score_answer(teacher, "en", "the teacher's full distribution").score == 1


def test_a_number_glued_to_a_korean_word_does_not_hide_it() -> None:
    channels = card(["채널 수를 줄이|채널을 압축", "필터 하나"], ["fewer channels", "one filter"])
    result = score_answer(channels, "ko", "1×1 conv로 256채널을 64채널로 압축해요")
    assert [c.evidence for c in result.concepts] == ["256채널을 64채널로 압축해요", None]
    assert score_answer(channels, "ko", "64채널을 압축").concepts[0].evidence == "채널을 압축"
