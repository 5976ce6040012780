"""The segment model's forest: our evaluator against LightGBM's own, C against
numpy, and how the model hands unsure lines to it."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest
from conftest import train_module
from hypothesis import given
from hypothesis import strategies as st

from thresher.segment import forest as FM
from thresher.segment.model import SegmentModel

T = train_module("segment")


@pytest.fixture(scope="module")
def booster_and_rows() -> tuple[object, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 6)).astype(np.float32)
    # Ties on purpose: thresholds fall between repeated values.
    x[:, 2] = np.round(x[:, 2], 1)
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] + x[:, 2] > 0.5).astype(int)
    params = {
        "objective": "multiclass",
        "num_class": 3,
        "num_leaves": 15,
        "min_data_in_leaf": 5,
        "verbose": -1,
        "deterministic": True,
        "force_col_wise": True,
    }
    booster = lgb.train(params, lgb.Dataset(x, label=y), num_boost_round=12)
    test = rng.normal(size=(700, 6)).astype(np.float32)
    test[:, 2] = np.round(test[:, 2], 1)  # values right at the thresholds' sides
    return booster, test


def test_forest_scores_are_lightgbms(booster_and_rows) -> None:  # type: ignore[no-untyped-def]
    booster, rows = booster_and_rows
    arrays = T.forest_arrays(booster)
    forest = FM.Forest(arrays, 6, 3)
    assert forest.n_trees == 36
    # Rows that sit exactly on a split's (float32) threshold as well.
    inner = np.flatnonzero(arrays["left"] != np.arange(len(arrays["left"])))
    ties = rows[np.arange(len(inner)) % len(rows)].copy()
    ties[np.arange(len(inner)), arrays["feature"][inner]] = arrays["threshold"][inner]
    rows = np.vstack([rows, ties])
    ours = forest.raw_scores(rows)
    theirs = booster.predict(rows.astype(np.float64), raw_score=True)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def test_numpy_path_gives_the_c_paths_numbers(booster_and_rows, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    booster, rows = booster_and_rows
    forest = FM.Forest(T.forest_arrays(booster), 6, 3)
    if FM._segfeat is None:
        pytest.skip("the C extension is not built")
    compiled = forest.raw_scores(rows)
    monkeypatch.setattr(FM, "_segfeat", None)
    monkeypatch.setattr(FM, "_NUMPY_CHUNK", 256)  # several chunks
    assert np.array_equal(forest.raw_scores(rows), compiled)
    assert forest.raw_scores(rows[:0]).shape == (0, 3)


_NEAR_ZERO = [
    0.0,
    -0.0,
    float(FM.ZERO),
    -float(FM.ZERO),
    1e-35,
    -1e-35,
    float(np.nextafter(FM.ZERO, np.float32(1))),
    float(np.nextafter(-FM.ZERO, np.float32(-1))),
    1e-38,
    -1e-38,
]


@given(
    st.floats(allow_nan=False, width=64) | st.sampled_from(_NEAR_ZERO),
    st.floats(allow_nan=False, width=32) | st.sampled_from(_NEAR_ZERO),
)
def test_float32_thresholds_keep_every_decision(t: float, x: float) -> None:
    # LightGBM: a value within ZERO of zero is zero; then x <= t in float64.
    x32 = np.float32(x)
    seen = 0.0 if abs(x32) <= FM.ZERO else float(x32)
    t32 = FM.float32_thresholds(np.asarray([t]))[0]
    assert (x32 <= t32) == (seen <= t)


def _stump(**change: object) -> dict[str, np.ndarray]:
    a = {
        "feature": np.asarray([1, 0, 0], np.int32),
        "threshold": np.asarray([0.5, 0, 0], np.float32),
        "left": np.asarray([1, 1, 2], np.int32),
        "right": np.asarray([2, 1, 2], np.int32),
        "value": np.asarray([0.0, -1.0, 2.0]),
        "roots": np.asarray([0], np.int32),
        "tree_class": np.asarray([1], np.int32),
    }
    a.update(change)  # type: ignore[arg-type]
    return a


def test_a_stump_by_hand() -> None:
    forest = FM.Forest(_stump(), 2, 2)
    x = np.asarray([[9, 0.5], [9, 0.6], [-9, -1]], np.float32)
    assert forest.raw_scores(x).tolist() == [[0, -1], [0, 2], [0, -1]]


@pytest.mark.parametrize(
    "change",
    [
        {"left": np.asarray([0, 1, 2], np.int32)},  # a loop at the root
        {"right": np.asarray([2, 1, 0], np.int32)},  # a leaf pointing back
        {"feature": np.asarray([2, 0, 0], np.int32)},  # past the row
        {"roots": np.asarray([3], np.int32)},
        {"tree_class": np.asarray([2], np.int32)},
    ],
)
def test_malformed_forests_are_refused(change: dict[str, np.ndarray]) -> None:
    with pytest.raises(ValueError, match="forest"):
        FM.Forest(_stump(**change), 2, 2)


def test_the_c_walk_checks_its_arrays() -> None:
    if FM._segfeat is None:
        pytest.skip("the C extension is not built")
    forest = FM.Forest(_stump(), 2, 2)
    x = np.zeros((3, 2), np.float32)
    good = (x, 2, forest.depth, forest._nodes, forest._leaves, forest.tree_class)
    out = np.zeros((3, 2))
    FM._segfeat.forest_sum(*good, out)
    assert out.tolist() == [[0, -1]] * 3
    bad_feature = forest._nodes.copy()
    bad_feature[0, 0, 0] = 2
    for args in (
        (x, 2, forest.depth, bad_feature, forest._leaves, forest.tree_class),
        (x, 2, forest.depth, forest._nodes, forest._leaves, np.asarray([2], np.int32)),
        (x, 2, forest.depth + 1, forest._nodes, forest._leaves, forest.tree_class),
        (x, 2, 0, forest._nodes, forest._leaves, forest.tree_class),
        (x, 2, forest.depth, forest._nodes, forest._leaves[:, :1].copy(), forest.tree_class),
        (x, 4, forest.depth, forest._nodes, forest._leaves, forest.tree_class),
    ):
        with pytest.raises(ValueError, match="forest_sum"):
            FM._segfeat.forest_sum(*args, out)
    with pytest.raises(ValueError, match="forest_sum"):
        FM._segfeat.forest_sum(*good, np.zeros(5))


def test_trees_deeper_than_the_walk_takes_are_refused() -> None:
    # A chain of MAX_DEPTH + 1 splits.
    d = FM.MAX_DEPTH + 1
    n = 2 * d + 1
    left = np.arange(n, dtype=np.int32)
    right = np.arange(n, dtype=np.int32)
    for k in range(d):  # node 2k splits into a leaf (2k + 1) and the next split
        left[2 * k], right[2 * k] = 2 * k + 1, 2 * k + 2
    a = _stump(
        feature=np.zeros(n, np.int32),
        threshold=np.zeros(n, np.float32),
        left=left,
        right=right,
        value=np.arange(n, dtype=np.float64),
    )
    with pytest.raises(ValueError, match="deeper than"):
        FM.Forest(a, 2, 2)
    # One level less is taken, and walked right: x > 0 goes to the end.
    a2 = {
        k: v[:-2] if k in ("feature", "threshold", "left", "right", "value") else v
        for k, v in a.items()
    }
    a2["left"][2 * (d - 2)] = 2 * (d - 2) + 1
    a2["right"][2 * (d - 2)] = 2 * (d - 2) + 2
    a2["left"][-1] = a2["right"][-1] = len(a2["left"]) - 1
    forest = FM.Forest(a2, 2, 2)
    assert forest.depth == FM.MAX_DEPTH
    assert forest.raw_scores(np.asarray([[1, 0], [-1, 0]], np.float32))[:, 1].tolist() == [
        len(a2["left"]) - 1,
        1,
    ]


def test_model_asks_the_forest_only_about_unsure_lines() -> None:
    model = SegmentModel()
    rng = np.random.default_rng(1)
    n_features = model.p1[0].shape[0]
    # Real-looking rows: a page's features, shuffled between lines and scaled.
    x = np.abs(rng.normal(size=(200, n_features))).astype(np.float32)
    sure_only = model.unsure_below
    mixed = model.predict(x)
    model.unsure_below = 0.0
    mlp = model.predict(x)
    model.unsure_below = 1.01
    trees = model.predict(x)
    model.unsure_below = sure_only
    unsure = mlp.max(axis=1) < sure_only
    assert unsure.any() and (~unsure).any()
    assert np.array_equal(mixed[~unsure], mlp[~unsure])
    assert np.array_equal(mixed[unsure], trees[unsure])
    assert not np.allclose(mlp[unsure], trees[unsure])
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0, atol=1e-5)
