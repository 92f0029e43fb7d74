"""The line model's evaluators (transforms/linemodel.py) on hand-built specs: what numpy computes
must be what the trained model says, since the training library is not installed at run time."""
from __future__ import annotations

import numpy as np

from transforms.linemodel import LineModel, Trees, load_model
from transforms.segments import Segments


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def _trees() -> Trees:
    """Two trees over two features. Tree 1: x0 <= 0.5 goes to a leaf (-1.0) at depth 1; else x1 <= 2
    gives 0.5, more gives 2.0. Tree 2: a single split on x1 <= 1 (0.25 / -0.25). A leaf is its own
    child, as the training script exports them."""
    return Trees({"baseline": 0.1, "band": [0.2, 0.8], "depth": 2, "trees": [
        {"feature": [0, 0, 1, 0, 0], "threshold": [0.5, 0.0, 2.0, 0.0, 0.0], "left": [1, 1, 3, 3, 4],
         "right": [2, 1, 4, 3, 4], "value": [0.0, -1.0, 0.0, 0.5, 2.0]},
        {"feature": [1, 0, 0], "threshold": [1.0, 0.0, 0.0], "left": [1, 1, 2], "right": [2, 1, 2],
         "value": [0.0, 0.25, -0.25]}]})


def test_boosted_trees_sum_the_leaves_each_line_reaches():
    X = np.array([[0.0, 0.0],    # tree 1 left leaf at depth 1 (-1.0), tree 2 left (0.25)
                  [0.5, 5.0],    # on the threshold goes left: -1.0, then x1 > 1: -0.25
                  [1.0, 2.0],    # right, then x1 <= 2: 0.5; x1 > 1: -0.25
                  [1.0, 3.0]],   # right, right: 2.0; -0.25
                 dtype=np.float32)
    want = _sigmoid([0.1 - 1.0 + 0.25, 0.1 - 1.0 - 0.25, 0.1 + 0.5 - 0.25, 0.1 + 2.0 - 0.25])
    assert np.allclose(_trees().proba(X), want)
    assert _trees().proba(np.zeros((0, 2), dtype=np.float32)).shape == (0,)


def test_stage_three_redecides_only_the_lines_stage_two_is_unsure_about():
    """Stage 2's probability stands outside the band; inside it, the trees' replaces it."""
    model = LineModel.__new__(LineModel)
    model.stage3 = _trees()
    p2 = np.array([0.05, 0.5, 0.79, 0.95])
    X = np.array([[0.0], [1.0], [1.0], [1.0]], dtype=np.float32)
    stacked = np.array([[0.0], [3.0], [2.0], [3.0]], dtype=np.float32)
    got = model.decide_unsure(p2, X, stacked)
    assert got[0] == 0.05 and got[3] == 0.95
    assert np.allclose(got[1:3], _sigmoid([0.1 + 2.0 - 0.25, 0.1 + 0.5 - 0.25]))
    assert p2[1] == 0.5  # the caller's array is left as it was


def test_the_shipped_model_runs_its_three_stages_over_a_shard():
    model = load_model()
    assert model is not None and model.stage3 is not None
    lo, hi = model.stage3.band
    assert 0.0 < lo < 0.5 < hi < 1.0
    n_features = len(model.stage1.coef)
    rng = np.random.default_rng(0)
    X = rng.random((40, n_features), dtype=np.float32)
    seg = Segments([25, 15])
    p, spans = model.predict_shard(X, np.full(40, 12.0, dtype=np.float32), seg)
    assert p.shape == (40,) and np.all((p >= 0) & (p <= 1)) and len(spans) == 2
