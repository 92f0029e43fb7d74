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
- groups are the connected components of duplicate pairs; the kept document of a group is the one
  published first (then the one seen first, then the smallest doc_id), so an original outlives
  its copies and the choice is the same on every run.
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
    # Words per shingle: 5 makes two unrelated news bodies share almost no shingles.
    shingle: int = 5
    # Hash functions in a signature; the similarity estimate's standard error is ~sqrt(s(1-s)/num_perm).
    num_perm: int = 128
    # LSH bands (num_perm/bands rows each): a pair with similarity s becomes a candidate with
    # probability 1-(1-s^r)^b; with 32 bands of 4 rows that is 0.98 at s=0.5, 0.9998 at s=0.7.
    bands: int = 32
    # Estimated Jaccard similarity at or above which two bodies are near duplicates
    # (measured on benchmarks/corpus.py's syndicated copies; see README).
    threshold: float = 0.7
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


def signatures(doc_ids: list[str], texts: list[str], params: DedupParams) -> pl.DataFrame:
    """One row per document: body hash, token count and MinHash signature (null when too short)."""
    hashes, counts, sigs = [], [], []
    for text in texts:
        toks = tokens(text or "")
        hashes.append(body_hash(toks) if toks else None)
        counts.append(len(toks))
        if len(toks) >= params.min_tokens:
            sigs.append(minhash(shingle_hashes(toks, params.shingle), params).tolist())
        else:
            sigs.append(None)
    return pl.DataFrame({"doc_id": doc_ids, "body_hash": hashes, "n_tokens": counts, "minhash": sigs},
                        schema=SIGNATURE_SCHEMA)


def _similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


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
    uf = _UnionFind()

    # exact: same normalised body
    exact = (sigs.filter(pl.col("body_hash").is_not_null() & (pl.col("n_tokens") >= 1))
             .group_by("body_hash", maintain_order=True).agg(pl.col("doc_id")).filter(pl.col("doc_id").list.len() > 1))
    for ids in exact["doc_id"].to_list():
        for other in ids[1:]:
            uf.union(ids[0], other)

    # near: LSH over the exact groups' first members
    reps = sigs.filter(pl.col("minhash").is_not_null()).unique("body_hash", keep="first", maintain_order=True)
    if reps.height > 1:
        matrix = np.asarray(reps["minhash"].to_list(), dtype=np.uint32)
        ids = reps["doc_id"].to_list()
        rows = params.num_perm // params.bands
        pairs: set[tuple[int, int]] = set()
        for band in range(params.bands):
            chunk = np.ascontiguousarray(matrix[:, band * rows:(band + 1) * rows])
            keys = [bytes(r) for r in chunk.view(np.uint8).reshape(len(ids), -1)]
            buckets = (pl.DataFrame({"key": keys, "i": np.arange(len(ids))})
                       .group_by("key").agg(pl.col("i")).filter(pl.col("i").list.len() > 1))
            for members in buckets["i"].to_list():
                first = members[0]
                for other in members[1:]:  # compare each with the bucket's first: components suffice
                    pairs.add((first, other) if first < other else (other, first))
                if len(members) > 2:  # and neighbours, so a chain inside one bucket is still found
                    for x, y in zip(members[1:], members[2:]):
                        pairs.add((x, y) if x < y else (y, x))
        for i, j in sorted(pairs):
            if _similarity(matrix[i], matrix[j]) >= params.threshold:
                uf.union(ids[i], ids[j])

    all_ids = sigs["doc_id"].to_list()
    groups: dict[str, list[str]] = {}
    for d in all_ids:  # in rank order, so each group's first member is its kept document
        root = uf.find(d)
        groups.setdefault(root, []).append(d)
    by_id = dict(zip(all_ids, sigs["minhash"].to_list()))
    hashes = dict(zip(all_ids, sigs["body_hash"].to_list()))
    out = {k: [] for k in DUPLICATE_SCHEMA}
    for members in groups.values():
        if len(members) < 2:
            continue
        kept = members[0]
        for d in members[1:]:
            if hashes[d] is not None and hashes[d] == hashes[kept]:
                sim, kind = 1.0, "exact"
            elif by_id[d] is not None and by_id[kept] is not None:
                sim, kind = _similarity(np.asarray(by_id[d]), np.asarray(by_id[kept])), "near"
            else:
                sim, kind = 1.0, "exact"
            for k, v in zip(DUPLICATE_SCHEMA, (d, kept, sim, kind)):
                out[k].append(v)
    return pl.DataFrame(out, schema=DUPLICATE_SCHEMA)
