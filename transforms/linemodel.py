"""The line model: how likely a line is article text, from its features and its neighbours'.

Two stages of logistic regression (trained by `benchmarks/train_line_model.py` with scikit-learn,
exported as plain numbers to `transforms/data/line_model.json`, evaluated here with one matrix
product each, so running the pipeline needs no model library and costs microseconds a line):

1. each line alone, from `transforms.linefeatures` (its shape, kinds, rule role, place, neighbours);
2. each line again, with the first stage's probabilities of the lines around it, their running means
   before and after it, and the page's best article span (the run of lines whose summed evidence is
   largest): where the article starts and ends is decided from all the lines' evidence together.

A linear model was chosen over boosted trees by measurement: on real-dev sites it was not trained on
it scores within 0.01 of 200-tree ensembles (better on two of five sets) at a thousandth of the cost,
and its weights say what it relies on (`python -m transforms.linemodel` prints the largest).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

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

    def proba(self, X: np.ndarray) -> np.ndarray:
        z = X.astype(np.float64) @ self._w + self._b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class LineModel:
    def __init__(self, spec: dict):
        self.names = spec["features"]
        self.stage1, self.stage2 = Linear(spec["stage1"]), Linear(spec["stage2"])
        self.trained_on = spec.get("trained_on", "")

    def predict(self, pages: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
        """P(article text) for each line of each page; pages are (features, words per line)."""
        if not pages:
            return []
        X = np.concatenate([x for x, _ in pages])
        p1 = self.stage1.proba(X)
        cuts = np.cumsum([len(x) for x, _ in pages])[:-1]
        stacked = [stack_features(x, p, w) for (x, w), p in zip(pages, np.split(p1, cuts), strict=True)]
        return np.split(self.stage2.proba(np.concatenate(stacked)), cuts)

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


def best_span(p: np.ndarray, words: np.ndarray) -> tuple[int, int]:
    """The run of lines with the largest sum of (p - 0.5) weighted by log words (Kadane, as prefix
    sums: a run's sum is the prefix at its end less the lowest prefix before it): the lines most
    likely to be the article, taken together. (0, -1) when no line leans towards article."""
    n = len(p)
    if n == 0:
        return 0, -1
    prefix = np.concatenate([[0.0], np.cumsum((p - 0.5) * np.log1p(words))])
    before = prefix[:-1]
    # where a run may start: the latest lowest prefix so far (a run restarts when its sum is <= 0)
    starts = np.maximum.accumulate(np.where(before <= np.minimum.accumulate(before), np.arange(n), 0))
    sums = prefix[1:] - before[starts]
    end = int(np.argmax(sums))
    return (int(starts[end]), end) if sums[end] > 0 else (0, -1)


def stack_features(X: np.ndarray, p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Stage 2's input: the line's own features, then the first stage's probability of the line and
    of its neighbours, windowed means, word-weighted means before and after, and the best span."""
    n = len(p)
    w = words.astype(np.float64)
    cols = [p]
    for off in STACK_OFFSETS:
        s = np.full(n, -1.0)
        if off > 0:
            s[:-off] = p[off:]
        else:
            s[-off:] = p[:off]
        cols.append(s)
    cs = np.concatenate([[0.0], np.cumsum(p)])
    idx = np.arange(n)
    for k in STACK_WINDOWS:
        lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k + 1, n)
        cols.append((cs[hi] - cs[lo]) / np.maximum(hi - lo, 1))
    cols.append(np.cumsum(p * w) / (np.cumsum(w) + 1e-9))
    cols.append(np.cumsum((p * w)[::-1])[::-1] / (np.cumsum(w[::-1])[::-1] + 1e-9))
    start, end = best_span(p, words)
    cols.append(((idx >= start) & (idx <= end)).astype(np.float64))
    cols.append((idx - start) / max(n, 1))
    cols.append((idx - end) / max(n, 1))
    return np.column_stack([X.astype(np.float64)] + cols).astype(np.float32)


STACK_NAMES = (["p"] + [f"p{o:+d}" for o in STACK_OFFSETS] + [f"p_mean{k}" for k in STACK_WINDOWS]
               + ["p_before", "p_after", "in_span", "from_span_start", "from_span_end"])


if __name__ == "__main__":
    model = load_model()
    print(model.trained_on if model else "no model")
    for stage in (1, 2):
        print(f"stage {stage}:", ", ".join(f"{n} {w:+.2f}" for n, w in model.strongest(stage)))
