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
from typing import Iterator

import numpy as np
import polars as pl

from .schema import DUPLICATES, SIGNATURES

_WORD = re.compile(r"\w+")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

SIGNATURE_SCHEMA = SIGNATURES.polars
DUPLICATE_SCHEMA = DUPLICATES.polars


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
    return _sorted_unique(out)


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
              for j, n in zip(joined, counts, strict=True)]
    flat = toks.explode().drop_nulls()
    vocab = flat.unique()
    mapping = dict(zip(vocab.to_list(), (_token_hash(t) for t in vocab.to_list()), strict=True))
    h = flat.replace_strict(mapping, return_dtype=pl.UInt64).to_numpy() if len(flat) else np.zeros(0, np.uint64)

    k = params.shingle
    ends = np.cumsum(counts)
    starts = ends - counts
    eligible = counts >= max(params.min_tokens, k)
    sigs = np.zeros((len(counts), params.num_perm), dtype=np.uint32)
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
                hv = np.multiply(a[:, None], sh[idx][None, :])
                np.add(hv, b[:, None], out=hv)
            # >> 32 is monotonic, so the minimum's high half is the high halves' minimum
            sigs[chunk] = (np.minimum.reduceat(hv, seg, axis=1) >> np.uint64(32)).astype(np.uint32).T
            i = j
    minhash = pl.Series("minhash", sigs).cast(pl.List(pl.UInt32))
    minhash = pl.select(pl.when(pl.Series(eligible & (len(h) >= k))).then(minhash)).to_series().alias("minhash")
    return pl.DataFrame({"doc_id": doc_ids, "body_hash": hashes, "n_tokens": counts.astype(np.int32),
                         "minhash": minhash},
                        schema=SIGNATURE_SCHEMA)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2.4's np.unique takes ~2 s on 1.5M int64 where a sort takes 0.07 s."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _band_pairs(band: np.ndarray, max_bucket: int, batch: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs (left < right) of rows with equal band values, as two int64 arrays, about `batch`
    pairs at a time.

    Rows are sorted by their band values (stable, so each bucket's members stay in rank order); the
    member at position q of its bucket is paired with the bucket's first min(q, max_bucket) members."""
    n = band.shape[0]
    order = np.lexsort(band.T[::-1])
    keyed = band[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (keyed[1:] != keyed[:-1]).any(axis=1)
    start_of = np.flatnonzero(new)[np.cumsum(new) - 1]   # each sorted position's bucket start
    heads = np.minimum(np.arange(n) - start_of, max_bucket)
    ends = np.cumsum(heads)
    cuts = _sorted_unique(np.concatenate([[0], np.searchsorted(ends, np.arange(batch, int(ends[-1]), batch)), [n]]))
    for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        h = heads[lo:hi]
        if not h.any():
            continue
        member = np.repeat(np.arange(lo, hi), h)
        offset = np.arange(len(member)) - np.repeat(np.cumsum(h) - h, h)
        yield order[start_of[member] + offset].astype(np.int64), order[member].astype(np.int64)


_LOW3 = np.uint64(0x7777777777777777)
_HIGH = np.uint64(0x8888888888888888)


def _nibbles(matrix: np.ndarray) -> np.ndarray:
    """Each signature's values cut to their low 4 bits, packed 16 to a uint64 (zero-padded)."""
    low = (matrix & 0xF).astype(np.uint8)
    low = np.pad(low, ((0, 0), (0, -low.shape[1] % 16)))
    return (low[:, 0::2] | (low[:, 1::2] << 4)).view(np.uint64)


def _differing_nibbles(x: np.ndarray) -> np.ndarray:
    """Per row of XORed packed nibbles, how many nibbles are non-zero (the values that differ)."""
    y = (((x & _LOW3) + _LOW3) | x) & _HIGH  # each nibble's top bit set iff the nibble is non-zero
    total = np.zeros(len(x), dtype=np.int64)
    for col in range(x.shape[1]):  # column adds: numpy's row-wise reduce is slow on 8-wide rows
        total += np.bitwise_count(y[:, col])
    return total


def _similar_pairs(matrix: np.ndarray, params: DedupParams, max_bucket: int = 64,
                   batch: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows (left < right; rows = signatures in rank order) that share at least one LSH band
    and whose signatures agree on at least `threshold` of their values; sorted by (left, right).

    In a bucket larger than `max_bucket` each member is paired only with the bucket's first
    `max_bucket` (so a template that thousands of pages share stays linear). Candidates are checked
    band by band in batches and only the similar ones kept, so memory stays flat however many
    candidates a corpus makes (100k generated pages: 69M candidates, 13k similar). The check is
    exact in two stages: agreement of the values' low 4 bits bounds the full agreement from above, so
    a pair whose low bits agree too rarely cannot be similar (a 64-byte comparison instead of 512);
    the rest are compared in full."""
    rows = params.num_perm // params.bands
    n = matrix.shape[0]
    need = next(k for k in range(params.num_perm + 1) if k / params.num_perm >= params.threshold)
    nibbles = _nibbles(matrix)
    found = [np.zeros(0, dtype=np.int64)]
    for band in range(params.bands):
        for a, b in _band_pairs(matrix[:, band * rows:(band + 1) * rows], max_bucket, batch):
            maybe = params.num_perm - _differing_nibbles(nibbles[a] ^ nibbles[b]) >= need
            a, b = a[maybe], b[maybe]
            found.append((a * n + b)[(matrix[a] == matrix[b]).sum(axis=1) >= need])
    codes = _sorted_unique(np.concatenate(found))
    return codes // n, codes % n


def _star_clusters(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Star clustering in rank order over similar pairs sorted by (left, right): a row not yet claimed
    is kept and claims its unclaimed similar rows; a copy is marked only when it is similar to the
    kept row itself (no chains A~B~C marking C a copy of A when they have little in common).
    Returns each row's kept row (itself when kept)."""
    center = np.arange(n)
    claimed = np.zeros(n, dtype=bool)
    firsts = np.searchsorted(left, np.arange(n + 1))
    rights = right.tolist()
    for i in _sorted_unique(left).tolist():
        if claimed[i]:
            continue
        for j in rights[firsts[i]:firsts[i + 1]]:
            if not claimed[j]:
                claimed[j] = True
                center[j] = i
    return center


def find_duplicates(sigs: pl.DataFrame, order: pl.DataFrame, params: DedupParams) -> pl.DataFrame:
    """Duplicate marks for every document that has a kept twin.

    `sigs`: `signatures()` rows; `order`: doc_id with `published` and `seen` (run order) columns,
    which decide the kept document of a group. Returns DUPLICATE_SCHEMA rows, one per duplicate
    (the kept documents and the unique ones have no row). Signatures stay in one uint32 matrix and
    candidate pairs in int64 arrays, so memory grows with the corpus, not with its bucket sizes."""
    if sigs.height == 0:
        return pl.DataFrame(schema=DUPLICATE_SCHEMA)
    # the signatures once, as one uint32 matrix (row i = i-th non-null signature); the ranking and
    # grouping below run on a narrow frame of ids and row numbers, never copying the lists
    has = sigs["minhash"].is_not_null()
    signed = np.asarray(sigs["minhash"].drop_nulls().explode().to_numpy(), dtype=np.uint32).reshape(-1, params.num_perm)
    rank = (order.select("doc_id", "published", "seen")
            .sort(["published", "seen", "doc_id"], nulls_last=True)
            .with_row_index("rank"))
    sigs = (sigs.select("doc_id", "body_hash", has.alias("signed"),
                        pl.when(has).then(has.cum_sum() - 1).alias("sig_row"))
            .join(rank.select("doc_id", "rank"), on="doc_id", how="left")
            .sort("rank", "doc_id", nulls_last=True).with_row_index("pos"))
    # exact: the same normalised body; each document points at its group's first (best-ranked) member
    sigs = sigs.with_columns(
        pl.when(pl.col("body_hash").is_not_null()).then(pl.col("pos").first().over("body_hash"))
        .otherwise(pl.col("pos")).alias("rep"))
    # near: LSH candidates among the exact groups' representatives, verified by signature agreement
    reps = sigs.filter((pl.col("rep") == pl.col("pos")) & pl.col("signed"))
    rep_pos = reps["pos"].to_numpy()
    kept_of = np.arange(sigs.height)  # kept position of each representative (itself unless claimed)
    matrix = signed[reps["sig_row"].to_numpy()] if len(rep_pos) else np.zeros((0, params.num_perm), dtype=np.uint32)
    del signed
    if len(rep_pos) > 1:
        left, right = _similar_pairs(matrix, params)
        kept_of[rep_pos] = rep_pos[_star_clusters(len(rep_pos), left, right)]
    row_of = np.full(sigs.height, -1)
    row_of[rep_pos] = np.arange(len(rep_pos))

    rep = sigs["rep"].to_numpy()
    kept = kept_of[rep]
    dup = np.flatnonzero(kept != np.arange(sigs.height))
    exact = rep[dup] == kept[dup]  # an exact copy of its kept document (same body hash)
    sim = np.ones(len(dup), dtype=np.float32)
    near = dup[~exact]
    if len(near):
        sim[~exact] = (matrix[row_of[rep[near]]] == matrix[row_of[kept[near]]]).mean(axis=1)
    ids = sigs["doc_id"]
    return pl.DataFrame({"doc_id": ids.gather(dup), "duplicate_of": ids.gather(kept[dup]),
                         "duplicate_similarity": sim, "duplicate_kind": np.where(exact, "exact", "near")},
                        schema=DUPLICATE_SCHEMA)
