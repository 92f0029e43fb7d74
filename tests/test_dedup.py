"""MinHash duplicate marking as a plain function: exact, near, unrelated, which copy is kept."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl

from transforms.dedup import DedupParams, find_duplicates, signatures, tokens

P = DedupParams()
WORDS = ("thủ tướng chính phủ yêu cầu các bộ ngành địa phương đẩy nhanh tiến độ giải ngân vốn đầu tư công "
         "trong những tháng cuối năm nhằm hỗ trợ tăng trưởng kinh tế và tạo việc làm cho người lao động").split()


def _story(seed: int, n: int = 150) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def _run(texts: dict[str, str], published: dict[str, dt.datetime] | None = None) -> dict[str, tuple]:
    ids = list(texts)
    sigs = signatures(ids, [texts[i] for i in ids], P)
    t0 = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    order = pl.DataFrame({"doc_id": ids, "published": [(published or {}).get(i) for i in ids],
                          "seen": [t0] * len(ids)}, schema={"doc_id": pl.String, "published": pl.Datetime("us", "UTC"),
                                                            "seen": pl.Datetime("us", "UTC")})
    got = find_duplicates(sigs, order, P)
    return {r["doc_id"]: (r["duplicate_of"], r["duplicate_kind"],
                          r["duplicate_similarity"]) for r in got.iter_rows(named=True)}


def test_exact_copy_differing_only_in_case_and_punctuation_is_exact():
    a = _story(1)
    b = a.upper().replace(" ", "  ,")
    assert tokens(a) == tokens(b)
    assert _run({"a": a, "b": b}) == {"b": ("a", "exact", 1.0)}


def test_lightly_edited_copy_is_near_and_unrelated_stories_are_not():
    a = _story(1, 300)
    w = a.split()
    w[50], w[200] = "đã", "mới"
    edited = " ".join(w[:250]) + " Theo TTXVN."   # words changed, the tail dropped, a sign-off added
    got = _run({"a": a, "b": edited, "c": _story(2, 300), "d": _story(3, 300)})
    assert set(got) == {"b"}
    kept, kind, sim = got["b"]
    assert kept == "a" and kind == "near" and P.threshold <= sim < 1.0


def test_the_first_published_copy_is_kept_whatever_the_id():
    a = _story(4)
    pub = {"z": dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc), "a": dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)}
    assert _run({"a": a, "z": a, "m": a}, pub) == {"a": ("z", "exact", 1.0), "m": ("z", "exact", 1.0)}


def test_short_and_empty_bodies_only_match_exactly():
    got = _run({"a": "Xem thêm", "b": "Xem thêm", "c": "", "d": "", "e": "Xem thêm tin khác"})
    assert got == {"b": ("a", "exact", 1.0)}


def test_signatures_are_deterministic_and_stable_across_processes():
    import subprocess
    import sys

    text = _story(9)
    here = signatures(["x"], [text], P)["minhash"].to_list()[0]
    code = ("import sys; from transforms.dedup import signatures, DedupParams; "
            f"print(signatures(['x'], [{text!r}], DedupParams())['minhash'].to_list()[0])")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).resolve().parents[1], env={"PYTHONHASHSEED": "123",
                                                                         "PATH": ""}).stdout.strip()
    assert str(here) == other


def test_vectorised_signatures_equal_the_per_document_reference():
    from transforms.dedup import minhash, shingle_hashes

    texts = [_story(s, n) for s, n in ((1, 150), (2, 30), (3, 19), (4, 400))] + ["", "Tiếng Việt có dấu: Đà Nẵng, HÀ "
                                                                                     "NỘI! " * 8]
    got = signatures([str(i) for i in range(len(texts))], texts, P, chunk_shingles=200)  # several chunks
    for text, sig, n, h in zip(texts, got["minhash"].to_list(), got["n_tokens"].to_list(), got["body_hash"].to_list(),
                               strict=True):
        toks = tokens(text)
        assert n == len(toks)
        if len(toks) >= P.min_tokens:
            assert sig == minhash(shingle_hashes(toks, P.shingle), P).tolist()
        else:
            assert sig is None
        assert (h is None) == (not toks)


def _reference_similar_pairs(matrix, params, max_bucket):
    """The method spelled out pair by pair: rows sharing a band (each bucket member paired with the
    bucket's first `max_bucket`), kept when their signatures agree on `threshold` of the values."""
    import numpy as np

    rows = params.num_perm // params.bands
    pairs = set()
    for band in range(params.bands):
        buckets: dict[bytes, list[int]] = {}
        for i, sig in enumerate(matrix[:, band * rows:(band + 1) * rows]):
            buckets.setdefault(sig.tobytes(), []).append(i)
        for members in buckets.values():
            for x_pos, x in enumerate(members[:max_bucket]):
                pairs.update((x, y) for y in members[x_pos + 1:])
    return sorted((i, j) for i, j in pairs if np.mean(matrix[i] == matrix[j]) >= params.threshold)


def test_similar_pairs_equal_the_pair_by_pair_method_with_large_buckets_and_small_batches():
    """Planted clusters (copies with a share of values changed) and a template band shared by most
    rows, so buckets exceed the cap and pairs cross batch boundaries."""
    import numpy as np

    from transforms.dedup import _similar_pairs

    rng = np.random.default_rng(3)
    params = DedupParams(num_perm=64, bands=16, threshold=0.7)
    base = rng.integers(0, 2**32, size=(40, params.num_perm), dtype=np.uint32)
    copies = []
    for k in range(160):
        row = base[k % 40].copy()
        change = rng.random(params.num_perm) < rng.choice([0.1, 0.25, 0.35, 0.6])
        row[change] = rng.integers(0, 2**32, size=change.sum(), dtype=np.uint32)
        copies.append(row)
    matrix = np.vstack([base, np.array(copies)])
    matrix[rng.random(len(matrix)) < 0.7, :4] = 12345  # one band equal on 70% of rows
    matrix = matrix[rng.permutation(len(matrix))]
    for max_bucket, batch in ((64, 20_000), (5, 7), (1, 3)):
        left, right = _similar_pairs(matrix, params, max_bucket=max_bucket, batch=batch)
        want = _reference_similar_pairs(matrix, params, max_bucket)
        assert list(zip(left.tolist(), right.tolist(), strict=True)) == want
        assert len(want) > 50
