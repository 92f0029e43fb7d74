"""The line model: how likely a line is article text, from its features and its neighbours'.

Two stages of logistic regression and a third of boosted trees (trained by
`benchmarks/train_line_model.py` with scikit-learn, exported as plain numbers and node arrays to
`transforms/data/line_model.json`, evaluated here with numpy, so running the pipeline needs no
model library):

1. each line alone, from `transforms.linefeatures` (its shape, kinds, rule role, place, neighbours);
2. each line again, with the first stage's probabilities of the lines around it, their running means
   before and after it, and the page's best article span (the run of lines whose summed evidence is
   largest): where the article starts and ends is decided from all the lines' evidence together;
3. the lines stage 2 is unsure about (probability between 0.2 and 0.8: a sixth of real pages'
   lines) again, by 100 boosted trees of depth 5 over stage 2's inputs.

Why the trees only decide the unsure lines, measured with the 0.6.0 rules on real-dev sites the
model was not trained on (site halves A / B): trees over every line (200 of depth 6 per stage)
score best on l3s (0.956/0.956) and dragnet (0.873/0.890) but cost 8.5 s (scikit-learn) or 15 s
(numpy) per stage for real-dev's 456,000 lines, about the whole clean step; the linear stages alone
give l3s 0.950/0.956, dragnet 0.860/0.880, readability 0.853/0.885, cleanportaleval 0.974/0.956,
cleaneval 0.887/0.892, at milliseconds; with stage 3, l3s 0.951/0.958, dragnet 0.866/0.888,
readability 0.862/0.887, cleanportaleval 0.980/0.961, cleaneval 0.886/0.891, for about 3% more
clean-step time. The linear weights say what the model relies on (`python -m transforms.linemodel`
prints the largest).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .segments import Segments

MODEL_PATH = Path(__file__).parent / "data" / "line_model.json"
STACK_OFFSETS = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
STACK_WINDOWS = (3, 8)


class Linear:
    """Standardise, weigh, add: P = sigmoid(((X - mean) / scale) . coef + intercept)."""

    def __init__(self, spec: dict):
        self.mean = np.array(spec["mean"], dtype=np.float64)
        self.scale = np.array(spec["scale"], dtype=np.float64)
        self.coef = np.array(spec["coef"], dtype=np.float64)
        self.intercept = float(spec["intercept"])
        # folded once: X . (coef / scale) + (intercept - mean . coef / scale)
        self._w = self.coef / self.scale
        self._b = self.intercept - float(self.mean @ self._w)

    def proba(self, X: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        """`extra`: more columns after X's, weighed without stacking them onto X. The products are
        taken in float64 a block of rows at a time: a float64 copy of a shard's features (150 MB for
        1,000 real pages) cost more than the products."""
        w, n = self._w[: X.shape[1]], X.shape[1]
        z = np.empty(len(X), dtype=np.float64)
        for a in range(0, len(X), _BLOCK):
            z[a:a + _BLOCK] = X[a:a + _BLOCK].astype(np.float64, order="C") @ w
        z += self._b
        if extra is not None:
            z += extra.astype(np.float64) @ self._w[n:]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


_BLOCK = 8192  # rows of features turned float64 at once (~6 MB)


class Trees:
    """Boosted regression trees, as scikit-learn's HistGradientBoostingClassifier grows them:
    P = sigmoid(baseline + the sum over trees of the value of the leaf the line reaches), a line
    going left at a node when its feature is at most the node's threshold. Evaluated a tree level at
    a time over all lines at once (a node array per tree, no per-line Python)."""

    def __init__(self, spec: dict):
        self.baseline = float(spec["baseline"])
        self.band = (float(spec["band"][0]), float(spec["band"][1]))
        self.depth = int(spec["depth"])
        self.trees = [(np.array(t["feature"], dtype=np.int64), np.array(t["threshold"], dtype=np.float64),
                       np.array(t["left"], dtype=np.int64), np.array(t["right"], dtype=np.int64),
                       np.array(t["value"], dtype=np.float64)) for t in spec["trees"]]

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Lines are X's rows. Each line's feature value is read from X laid out column by column
        (`take` on the flat array at feature * rows + row): lines at one node read one column, near
        each other in memory, three times faster than indexing a row-major X by (row, feature)."""
        n = len(X)
        raw = np.full(n, self.baseline)
        if not n:
            return raw
        flat = np.asfortranarray(X).ravel(order="F")  # no copy when X is column-major already
        rows = np.arange(n, dtype=np.int64)
        for feature, threshold, left, right, value in self.trees:
            column_start = feature * n
            node = np.zeros(n, dtype=np.int64)
            for _ in range(self.depth):  # a leaf is its own left and right child: it stays put
                goes_left = flat.take(column_start.take(node) + rows) <= threshold.take(node)
                node = np.where(goes_left, left.take(node), right.take(node))
            raw += value.take(node)
        return 1.0 / (1.0 + np.exp(-np.clip(raw, -40, 40)))


class LineModel:
    def __init__(self, spec: dict):
        self.names = spec["features"]
        self.stage1, self.stage2 = Linear(spec["stage1"]), Linear(spec["stage2"])
        self.stage3 = Trees(spec["stage3"]) if spec.get("stage3") else None
        self.trained_on = spec.get("trained_on", "")

    def predict(self, pages: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
        """P(article text) for each line of each page; pages are (features, words per line)."""
        if not pages:
            return []
        seg = Segments([len(x) for x, _ in pages])
        p, _ = self.predict_shard(np.concatenate([x for x, _ in pages]), np.concatenate([w for _, w in pages]), seg)
        return seg.split(p)

    def predict_shard(self, X: np.ndarray, words: np.ndarray, seg: Segments) -> tuple[np.ndarray, list]:
        """P(article text) for every line of a shard (pages as `seg`), and each page's best span."""
        p1 = self.stage1.proba(X)
        spans = best_spans(p1, words, seg)
        stacked = stack_columns(p1, words, seg, spans)
        p2 = self.stage2.proba(X, stacked)
        if self.stage3 is not None:
            p2 = self.decide_unsure(p2, X, stacked)
        return p2, best_spans(p2, words, seg)

    def decide_unsure(self, p2: np.ndarray, X: np.ndarray, stacked: np.ndarray) -> np.ndarray:
        """Stage 3: the lines stage 2 is unsure about (its probability inside the trees' band, a
        sixth of real pages' lines) are decided again by boosted trees over the same inputs; the
        others keep stage 2's probability. Trees see what a linear sum cannot (a short line is
        article text after a paragraph but not after a menu); run on every line they would cost
        as much as the rest of the clean step."""
        lo, hi = self.stage3.band
        unsure = np.flatnonzero((p2 > lo) & (p2 < hi))
        if unsure.size:
            p2 = p2.copy()
            inputs = np.empty((unsure.size, X.shape[1] + stacked.shape[1]), dtype=np.float32, order="F")
            inputs[:, :X.shape[1]] = X[unsure]
            inputs[:, X.shape[1]:] = stacked[unsure]
            p2[unsure] = self.stage3.proba(inputs)
        return p2

    def strongest(self, stage: int = 1, n: int = 12) -> list[tuple[str, float]]:
        """The features with the largest standardised weights (what the model relies on most)."""
        lin = self.stage1 if stage == 1 else self.stage2
        names = self.names[: len(lin.coef)]
        order = np.argsort(-np.abs(lin.coef))[:n]
        return [(names[i], round(float(lin.coef[i]), 3)) for i in order]


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> LineModel | None:
    """The shipped model, or None when there is none (the rules alone then decide)."""
    if not path.exists():
        return None
    return LineModel(json.loads(path.read_text(encoding="utf-8")))


def best_spans(p: np.ndarray, words: np.ndarray, seg: Segments) -> list[tuple[int, int]]:
    """For each page, the run of lines with the largest sum of (p - 0.5) weighted by log words
    (Kadane): the lines most likely to be the article, taken together. (0, -1) when no line leans
    towards article. One pass over the shard's lines (plain Python: cheaper than numpy calls per page)."""
    v = ((p - 0.5) * np.log1p(words)).tolist()
    spans = []
    for first, length in zip(seg.starts.tolist(), seg.lengths.tolist(), strict=True):
        best, cur, start, span = 0.0, 0.0, 0, (0, -1)
        for i in range(length):
            x = v[first + i]
            if cur <= 0:
                cur, start = x, i
            else:
                cur += x
            if cur > best:
                best, span = cur, (start, i)
        spans.append(span)
    return spans


def best_span(p: np.ndarray, words: np.ndarray) -> tuple[int, int]:
    """best_spans for one page."""
    return best_spans(p, words, Segments([len(p)]))[0]


def stack_features(X: np.ndarray, p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Stage 2's input for one page (what the training script builds)."""
    seg = Segments([len(p)])
    return stack_shard(X, p, words, seg, best_spans(p, words, seg))


def stack_shard(X: np.ndarray, p: np.ndarray, words: np.ndarray, seg: Segments,
                spans: list[tuple[int, int]]) -> np.ndarray:
    """Stage 2's input: the line's own features, then `stack_columns`."""
    return np.column_stack([X.astype(np.float32), stack_columns(p, words, seg, spans)])


def stack_columns(p: np.ndarray, words: np.ndarray, seg: Segments, spans: list[tuple[int, int]]) -> np.ndarray:
    """What stage 2 adds to a line's features (float32, as trained): the first stage's probability
    of the line and of its neighbours, windowed means, word-weighted means before and after, and
    the best span."""
    w = words.astype(np.float64)
    p = p.astype(np.float64)
    cols = [p] + [seg.shift(p, off) for off in STACK_OFFSETS]
    for k in STACK_WINDOWS:
        total, count = seg.window_sum(p, k)
        cols.append(total / np.maximum(count, 1))
    pw = p * w
    cols.append(seg.cumsum(pw) / (seg.cumsum(w) + 1e-9))
    cols.append((seg.page_sum(pw) - seg.cumsum(pw) + pw) / (seg.page_sum(w) - seg.cumsum(w) + w + 1e-9))
    start = seg.per_line([a for a, _ in spans]) if spans else np.zeros(0)
    end = seg.per_line([b for _, b in spans]) if spans else np.zeros(0)
    n = np.maximum(seg.n, 1)
    cols.append(((seg.pos >= start) & (seg.pos <= end)).astype(np.float64))
    cols.append((seg.pos - start) / n)
    cols.append((seg.pos - end) / n)
    return np.column_stack(cols).astype(np.float32)


STACK_NAMES = (["p"] + [f"p{o:+d}" for o in STACK_OFFSETS] + [f"p_mean{k}" for k in STACK_WINDOWS]
               + ["p_before", "p_after", "in_span", "from_span_start", "from_span_end"])


if __name__ == "__main__":
    model = load_model()
    print(model.trained_on if model else "no model")
    for stage in (1, 2):
        print(f"stage {stage}:", ", ".join(f"{n} {w:+.2f}" for n, w in model.strongest(stage)))
