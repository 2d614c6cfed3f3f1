"""Flags set on a moment at intake: urgent (fraud, lost money) and abusive (to spare moderators).

Both read the masked text. Urgent phrases are rules admins edit. Abusive language is flagged by a
lexicon of Korean and English profanity and slurs, matched on a normalised copy of the text so
that spacing, digits or symbols slipped between syllables ("시1발", "ㅅ ㅂ") do not hide a word,
or by a small classifier for insults without profanity (hashed character n-grams, logistic
regression; weights in data/abuse_model.npz, made by `bench/abuse_bench.py --train`).
Precision and recall: bench/abuse_bench.py.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

MODEL_PATH = Path(__file__).parent / "data" / "abuse_model.npz"

# Roots matched anywhere in the normalised text (spaces, digits and symbols removed).
_ANYWHERE = (
    "시발 씨발 씨빨 씨벌 시벌 시빨 싀발 쉬발 쓰발 쒸발 씌발 시팔 씨팔 씹팔 씹 십새 씨바 시바놈 "
    "시바새 "
    "ㅅㅂ ㅆㅂ ㅅㅃ ㅆㅃ ㅄ ㅂㅅ ㅂㄹ ㅈㄹ ㅈㄴ ㅁㅊ ㅅㄲ ㄲㅈ ㄷㅊ ㅗㅗ "
    "병신 븅신 빙신 병싄 뷩신 등신 "
    "개새끼 개새기 개색기 개색끼 개섀끼 개새 개색 개쉐 개세끼 새끼 새기야 쌔끼 색히 색퀴 "
    "지랄 지럴 염병 옘병 "
    "좆 좃 존나 졸라 존내 조낸 졸래 "
    "닥쳐 닥치 꺼져 꺼지라 뒤져 뒤질 디져 디질 뒈져 뒈지 죽어라 죽을래 죽여버 "
    "미친놈 미친년 미친새 미친개 미친것 미친거 미친 미쳤냐 미쳤나 또라이 돌아이 "
    "멍청 머저리 등신 찐따 병맛 호구새 빡대가리 대가리 돌대가리 "
    "한남 한녀 김치녀 된장녀 틀딱 급식충 맘충 한남충 개저씨 꼰대 "
    "느금 니애미 니애비 느그애미 애미 애비 니미 엠창 니기미 "
    "짱깨 쪽바리 깜둥 흑형 조선족놈 버러지 "
    "창녀 걸레년 썅년 썅 개같 개소리 개판 개돼지 개쓰레기 쓰레기같 엿먹 뻐큐 빠큐 "
    "fuck fck shit bitch asshole bastard motherfucker wtf"
).split()
# Whole-word insults that are ordinary syllables inside other words ("년" in 2024년, "충" in 충전).
_WORDS = re.compile(
    r"(?:^|[^가-힣0-9])(?:[가-힣]{1,4}(?:놈|년|충|새끼)|놈|년들?|것들)(?=[^가-힣]|$)"
)
_WORD_OK = {
    "작년",
    "내년",
    "올해",
    "청소년",
    "소년",
    "중년",
    "노년",
    "천년",
    "백년",
    "만년",
    "성년",
    "미성년",
    "정년",
    "학년",
    "신년",
    "매년",
    "격년",
    "수년",
    "몇년",
    "십년",
    "이년",
    "삼년",
    "오년",
    "년",
    "충",
    "보충",
    "충전",
    "확충",
    "완충",
    "충당",
    "구충",
    "곤충",
    "해충",
    "손충",
    "것들",
    "그것들",
    "이것들",
}

_JAMO_SPACED = re.compile(r"(?<=[ㄱ-ㅎ])[\s.\-_]+(?=[ㄱ-ㅎ])")
_BETWEEN_SYLLABLES = re.compile(r"(?<=[가-힣ㄱ-ㅎ])[\s0-9.\-_*!@#$%^&~,·ㆍ:;'\"]+(?=[가-힣ㄱ-ㅎ])")


def _normalise(text: str) -> str:
    # Separators go first: NFKC turns compatibility jamo (ㅅ) into conjoining jamo.
    text = _JAMO_SPACED.sub("", unicodedata.normalize("NFC", text))
    text = _BETWEEN_SYLLABLES.sub("", text)
    return unicodedata.normalize("NFKC", text).lower()


# The lexicon goes through the same normalisation as the text (NFKC turns compatibility jamo
# such as ㅅㅂ into conjoining jamo, so both sides must agree).
_ANYWHERE_RE = re.compile(
    "|".join(map(re.escape, sorted({_normalise(w) for w in _ANYWHERE}, key=len, reverse=True)))
)


def lexicon_hit(text: str) -> bool:
    if not text:
        return False
    if _ANYWHERE_RE.search(_normalise(text)):
        return True
    folded = unicodedata.normalize("NFKC", text)
    return any(m.group().strip(" .,!?") not in _WORD_OK for m in _WORDS.finditer(folded))


def hashing_vectorizer() -> HashingVectorizer:
    """The features the classifier was trained on; stateless, so nothing of the data is kept."""
    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(1, 3), n_features=2**18, alternate_sign=False, norm=None
    )


@lru_cache(maxsize=1)
def _model():
    with np.load(MODEL_PATH) as weights:
        return (
            hashing_vectorizer(),
            weights["idf"].astype(np.float32),
            weights["coef"].astype(np.float32),
            float(weights["intercept"][0]),
            float(weights["threshold"][0]),
        )


def abuse_probability(text: str) -> float:
    vectorizer, idf, coef, intercept, _ = _model()
    counts = vectorizer.transform([text])
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]  # sublinear tf-idf
    norm = float(np.sqrt((counts.data**2).sum())) or 1.0
    score = float(counts.data @ coef[counts.indices]) / norm + intercept
    return 1.0 / (1.0 + np.exp(-score))


def is_abusive(text: str) -> bool:
    if not text or not text.strip():
        return False
    return lexicon_hit(text) or abuse_probability(text) >= _model()[4]


def urgent_matcher(phrases: list[str]):
    """A function telling whether text mentions any urgent phrase (spaces ignored)."""
    compact = [p.replace(" ", "") for p in phrases if p.strip()]
    if not compact:
        return lambda text: False
    pattern = re.compile("|".join(map(re.escape, compact)))
    return lambda text: bool(text) and pattern.search(re.sub(r"\s+", "", text)) is not None
