"""Exact and near-duplicate documents: normalised body hash, MinHash over word shingles, LSH.

News is syndicated: one agency story appears on many sites, whole or lightly edited (a sentence added,
a paragraph dropped, the sign-off changed). Duplicates are *marked*, never dropped: each document in a
group of duplicates points at the group's kept document (`duplicate_of`) with its similarity to it.

Method (as datatrove's and dolma's dedup steps, vectorised with numpy):
- the comparison form of a body is its lower-cased word tokens (punctuation and spacing ignored);
- exact duplicates share the hash of that form;
- near duplicates: a MinHash signature of the body's word `shingle`-grams (`num_perm` hash functions,
  `h(x) = (a*x + b) >> 32` over 64-bit shingle hashes), bucketed by `bands` LSH bands; documents
  sharing a bucket are candidates, and a candidate pair is a duplicate when the share of equal
  signature values (an estimate of the shingle Jaccard similarity) reaches `threshold`;
- documents are taken in rank order (published first, then seen first, then smallest doc_id): one
  not yet claimed is kept and claims every unclaimed candidate similar to it (star clustering, so
  A~B and B~C never make C a copy of A unless C is similar to A); an original outlives its copies
  and the choice is the same on every run.
Signatures are kept between runs (the output's state), so new pages are compared with old ones.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl

_WORD = re.compile(r"\w+")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

SIGNATURE_SCHEMA = {"doc_id": pl.String, "body_hash": pl.String, "n_tokens": pl.Int32,
                    "minhash": pl.List(pl.UInt32)}
DUPLICATE_SCHEMA = {"doc_id": pl.String, "duplicate_of": pl.String, "duplicate_similarity": pl.Float32,
                    "duplicate_kind": pl.String}


@dataclass(frozen=True)
class DedupParams:
    # Words per shingle: each changed word breaks `shingle` shingles, so 3 keeps copy-edited copies
    # similar while unrelated bodies still share almost none (5 lost syndicated copies; README).
    shingle: int = 3
    # Hash functions in a signature; the similarity estimate's standard error is ~sqrt(s(1-s)/num_perm).
    num_perm: int = 128
    # LSH bands (num_perm/bands rows each): a pair with similarity s becomes a candidate with
    # probability 1-(1-s^r)^b; with 32 bands of 4 rows that is 0.98 at s=0.5, 0.9998 at s=0.7.
    bands: int = 32
    # Estimated Jaccard similarity at or above which two bodies are near duplicates: the best
    # balance of precision and recall on benchmarks/corpus.py's copies (benchmarks/dedup_eval.py).
    threshold: float = 0.72
    # Bodies shorter than this many words are not compared (a one-line body says too little).
    min_tokens: int = 20
    seed: int = 42


def tokens(text: str) -> list[str]:
    """The comparison form of a body: lower-cased word tokens."""
    return _WORD.findall(text.lower())


def body_hash(toks: list[str]) -> str:
    return hashlib.blake2b(" ".join(toks).encode("utf-8"), digest_size=16).hexdigest()


@lru_cache(maxsize=1 << 18)
def _token_hash(tok: str) -> int:
    return int.from_bytes(hashlib.blake2b(tok.encode("utf-8"), digest_size=8).digest(), "little")


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)  # odd multipliers
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return a, b


def shingle_hashes(toks: list[str], k: int) -> np.ndarray:
    """64-bit hashes of the k-word windows (the whole text when shorter), stable across processes."""
    h = np.fromiter((_token_hash(t) for t in toks), dtype=np.uint64, count=len(toks))
    if len(h) == 0:
        return h
    k = min(k, len(h))
    n = len(h) - k + 1
    out = np.zeros(n, dtype=np.uint64)
    mult = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(k):  # polynomial combination; uint64 arithmetic wraps, as intended
            out = out * mult + h[j:j + n]
    return np.unique(out)


def minhash(shingles: np.ndarray, params: DedupParams) -> np.ndarray:
    """MinHash signature (num_perm uint32 values) of a set of 64-bit shingle hashes."""
    a, b = _permutations(params.num_perm, params.seed)
    if len(shingles) == 0:
        return np.full(params.num_perm, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        hv = (shingles[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
    return hv.min(axis=0).astype(np.uint32)


def signatures(doc_ids: list[str], texts: list[str], params: DedupParams, chunk_shingles: int = 8_000) -> pl.DataFrame:
    """One row per document: body hash, token count and MinHash signature (null when too short).

    Vectorised over the whole shard: polars tokenises, each distinct token is hashed once, shingle
    hashes are combined over the flat token array, and signatures are segment minima of
    `(a*x + b) >> 32` computed a chunk of documents at a time (bounded memory). Gives exactly the
    signatures of `minhash(shingle_hashes(tokens(text)))`, which a test checks."""
    toks = pl.Series("t", texts, dtype=pl.String).fill_null("").str.to_lowercase().str.extract_all(r"\w+")
    counts = toks.list.len().fill_null(0).to_numpy().astype(np.int64)
    joined = toks.list.join(" ").to_list()
    hashes = [hashlib.blake2b(j.encode("utf-8"), digest_size=16).hexdigest() if n else None
              for j, n in zip(joined, counts)]
    flat = toks.explode().drop_nulls()
    vocab = flat.unique()
    mapping = dict(zip(vocab.to_list(), (_token_hash(t) for t in vocab.to_list())))
    h = flat.replace_strict(mapping, return_dtype=pl.UInt64).to_numpy() if len(flat) else np.zeros(0, np.uint64)

    k = params.shingle
    ends = np.cumsum(counts)
    starts = ends - counts
    eligible = counts >= max(params.min_tokens, k)
    sigs: list[list[int] | None] = [None] * len(counts)
    if eligible.any() and len(h) >= k:
        n = len(h) - k + 1
        sh = np.zeros(n, dtype=np.uint64)
        mult = np.uint64(0x100000001B3)
        with np.errstate(over="ignore"):
            for j in range(k):
                sh = sh * mult + h[j:j + n]
        a, b = _permutations(params.num_perm, params.seed)
        docs = np.flatnonzero(eligible)
        i = 0
        while i < len(docs):  # a chunk of documents whose shingles fit the budget
            j, total = i, 0
            while j < len(docs) and (j == i or total + counts[docs[j]] <= chunk_shingles):
                total += counts[docs[j]] - k + 1
                j += 1
            chunk = docs[i:j]
            idx = np.concatenate([np.arange(starts[d], ends[d] - k + 1) for d in chunk])
            seg = np.concatenate([[0], np.cumsum(counts[chunk] - k + 1)[:-1]])
            with np.errstate(over="ignore"):  # (num_perm, shingles): segment minima run along rows
                hv = (a[:, None] * sh[idx][None, :] + b[:, None]) >> np.uint64(32)
            mins = np.minimum.reduceat(hv, seg, axis=1).astype(np.uint32).T
            for row, d in enumerate(chunk):
                sigs[d] = mins[row].tolist()
            i = j
    return pl.DataFrame({"doc_id": doc_ids, "body_hash": hashes, "n_tokens": counts.astype(np.int32), "minhash": sigs},
                        schema=SIGNATURE_SCHEMA)


def _similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))


def _candidate_neighbours(matrix: np.ndarray, params: DedupParams, max_bucket: int = 64) -> dict[int, set[int]]:
    """Pairs of rows sharing at least one LSH band (rows = signatures, in rank order). In a bucket
    larger than `max_bucket` each member is paired only with the bucket's first `max_bucket` (so a
    template that thousands of pages share stays linear)."""
    rows = params.num_perm // params.bands
    n = matrix.shape[0]
    neighbours: dict[int, set[int]] = {}
    for band in range(params.bands):
        chunk = np.ascontiguousarray(matrix[:, band * rows:(band + 1) * rows])
        keys = [bytes(r) for r in chunk.view(np.uint8).reshape(n, -1)]
        buckets = (pl.DataFrame({"key": keys, "i": np.arange(n)})
                   .group_by("key").agg(pl.col("i").sort()).filter(pl.col("i").list.len() > 1))
        for members in buckets["i"].to_list():
            heads = members[:max_bucket]
            for x_pos, x in enumerate(heads):
                for y in members[x_pos + 1:]:
                    neighbours.setdefault(x, set()).add(y)
    return neighbours


def _similar_pairs(matrix: np.ndarray, neighbours: dict[int, set[int]], threshold: float,
                   batch: int = 200_000) -> dict[int, list[int]]:
    """i -> sorted later rows j whose signatures agree on at least `threshold` of their values,
    computed for all candidate pairs at once in batches (one numpy comparison per batch)."""
    left = np.fromiter((i for i, js in neighbours.items() for _ in js), dtype=np.int64)
    right = np.fromiter((j for js in neighbours.values() for j in js), dtype=np.int64)
    keep = np.zeros(len(left), dtype=bool)
    for k in range(0, len(left), batch):
        a, b = left[k:k + batch], right[k:k + batch]
        keep[k:k + batch] = (matrix[a] == matrix[b]).mean(axis=1) >= threshold
    out: dict[int, list[int]] = {}
    for i, j in sorted(zip(left[keep].tolist(), right[keep].tolist())):
        out.setdefault(i, []).append(j)
    return out


def find_duplicates(sigs: pl.DataFrame, order: pl.DataFrame, params: DedupParams) -> pl.DataFrame:
    """Duplicate marks for every document that has a kept twin.

    `sigs`: `signatures()` rows; `order`: doc_id with `published` and `seen` (run order) columns,
    which decide the kept document of a group. Returns DUPLICATE_SCHEMA rows, one per duplicate
    (the kept documents and the unique ones have no row)."""
    if sigs.height == 0:
        return pl.DataFrame(schema=DUPLICATE_SCHEMA)
    rank = (order.select("doc_id", "published", "seen")
            .sort(["published", "seen", "doc_id"], nulls_last=True)
            .with_row_index("rank"))
    sigs = sigs.join(rank.select("doc_id", "rank"), on="doc_id", how="left").sort("rank", "doc_id", nulls_last=True)
    all_ids = sigs["doc_id"].to_list()  # in rank order
    hashes = dict(zip(all_ids, sigs["body_hash"].to_list()))
    by_id = dict(zip(all_ids, sigs["minhash"].to_list()))

    # exact: the same normalised body; each document points at its group's first (best-ranked) member
    rep_of: dict[str, str] = {}
    first_with: dict[str, str] = {}
    for d in all_ids:
        h = hashes[d]
        if h is None:
            continue
        rep_of[d] = first_with.setdefault(h, d)

    # near: LSH candidates among the exact groups' representatives, verified by signature agreement
    reps = [d for d in all_ids if rep_of.get(d) == d and by_id[d] is not None]
    center_of: dict[str, str] = {}
    if len(reps) > 1:
        matrix = np.asarray([by_id[d] for d in reps], dtype=np.uint32)
        neighbours = _candidate_neighbours(matrix, params)
        similar = _similar_pairs(matrix, neighbours, params.threshold)
        # star clustering in rank order: a document not yet claimed is kept, and claims its unclaimed
        # similar documents; a copy is marked only when it is similar to the kept one itself (no
        # chains A~B~C marking C a copy of A when they have little in common)
        for i in range(len(reps)):
            if reps[i] in center_of:
                continue
            for j in similar.get(i, ()):
                if reps[j] not in center_of:
                    center_of[reps[j]] = reps[i]

    out = {k: [] for k in DUPLICATE_SCHEMA}
    for d in all_ids:
        rep = rep_of.get(d, d)
        kept = center_of.get(rep, rep)
        if kept == d:
            continue
        if hashes[d] is not None and hashes[d] == hashes[kept]:
            sim, kind = 1.0, "exact"
        else:
            sim, kind = _similarity(np.asarray(by_id[d]), np.asarray(by_id[kept])), "near"
        for k, v in zip(DUPLICATE_SCHEMA, (d, kept, sim, kind)):
            out[k].append(v)
    return pl.DataFrame(out, schema=DUPLICATE_SCHEMA)
