"""Per-page array operations over a whole shard's lines at once.

The line model's features look at a line's neighbours, windows and running sums *within its page*.
Done page by page, that is some forty small numpy calls a page: on a shard of short pages the calls
cost more than the work (10,000 three-line pages took 13 s). Here every line of the shard sits in one
array, and each operation is one call that respects page boundaries.
"""
from __future__ import annotations

import numpy as np


class Segments:
    """The pages of a shard as consecutive runs of lines: `lengths[k]` lines for page k."""

    def __init__(self, lengths: list[int]):
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        self.total = int(self.lengths.sum())
        self.page = np.repeat(np.arange(len(self.lengths)), self.lengths)
        self.start = self.starts[self.page]          # each line's page start (global index)
        self.n = self.lengths[self.page]             # each line's page length
        self.idx = np.arange(self.total, dtype=np.int64)
        self.pos = self.idx - self.start             # each line's index within its page

    def per_line(self, per_page) -> np.ndarray:
        """A value per page, repeated for each of its lines."""
        return np.asarray(per_page)[self.page]

    def shift(self, values: np.ndarray, off: int) -> np.ndarray:
        """values[i + off] within the page, -1 past its edges."""
        target = self.pos + off
        inside = (target >= 0) & (target < self.n)
        out = np.full(self.total, -1.0, dtype=np.float64)
        out[inside] = values[self.idx[inside] + off]
        return out

    def _prefix(self, values: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])

    def window_sum(self, values: np.ndarray, half: int) -> tuple[np.ndarray, np.ndarray]:
        """(sum of values[i - half .. i + half] clipped to the page, how many lines that is)."""
        cs = self._prefix(values)
        lo = self.start + np.maximum(self.pos - half, 0)
        hi = self.start + np.minimum(self.pos + half + 1, self.n)
        return cs[hi] - cs[lo], (hi - lo).astype(np.float64)

    def cumsum(self, values: np.ndarray) -> np.ndarray:
        """Running sum within each page, the line itself included."""
        cs = self._prefix(values)
        return cs[self.idx + 1] - cs[self.start]

    def page_sum(self, values: np.ndarray) -> np.ndarray:
        """Each line's page total."""
        cs = self._prefix(values)
        return cs[self.start + self.n] - cs[self.start]

    def split(self, values: np.ndarray) -> list[np.ndarray]:
        return np.split(values, np.cumsum(self.lengths)[:-1]) if len(self.lengths) else []
