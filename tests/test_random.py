"""`unikeras.random`: reproducibility through seeds, moments, dropout scaling."""

import numpy as np
import pytest

import unikeras
from unikeras import random


def np_out(x):
    return unikeras.backend.convert_to_numpy(x)


def test_same_int_seed_same_numbers():
    a = np_out(random.normal((50,), seed=7))
    np.testing.assert_array_equal(a, np_out(random.normal((50,), seed=7)))
    assert not np.array_equal(a, np_out(random.normal((50,), seed=8)))


def test_seed_generator_advances_and_replays():
    gen = random.SeedGenerator(3)
    first, second = np_out(random.uniform((10,), seed=gen)), np_out(random.uniform((10,), seed=gen))
    assert not np.array_equal(first, second)
    replay = random.SeedGenerator(3)
    np.testing.assert_array_equal(first, np_out(random.uniform((10,), seed=replay)))
    state = np_out(gen.state.value)
    assert unikeras.backend.standardize_dtype(state.dtype) == "uint32"
    np.testing.assert_array_equal(state, [3, 2])


def test_global_generator_gives_fresh_numbers():
    a, b = np_out(random.normal((5,))), np_out(random.normal((5,)))
    assert not np.array_equal(a, b)


def test_bad_seed():
    with pytest.raises(ValueError, match="seed"):
        random.normal((2,), seed="x")


def test_normal_and_uniform_moments():
    x = np_out(random.normal((20000,), mean=2.0, stddev=3.0, seed=1))
    assert unikeras.backend.standardize_dtype(x.dtype) == "float32"
    assert abs(x.mean() - 2.0) < 0.1 and abs(x.std() - 3.0) < 0.1
    u = np_out(random.uniform((20000,), minval=-1.0, maxval=3.0, seed=2, dtype="float64"))
    # float64 where the backend has it (JAX without x64 mode, as Keras 3: float32).
    has_f64 = "float64" in unikeras.backend.table.backend_info()["dtypes"]
    assert unikeras.backend.standardize_dtype(u.dtype) == ("float64" if has_f64 else "float32")
    assert u.min() >= -1.0 and u.max() < 3.0
    assert abs(u.mean() - 1.0) < 0.05 and abs(u.var() - 16 / 12) < 0.05


def test_randint_and_truncated_normal():
    r = np_out(random.randint((1000,), 3, 7, seed=3))
    assert unikeras.backend.standardize_dtype(r.dtype) == "int32"
    assert set(np.unique(r)) == {3, 4, 5, 6}
    t = np_out(random.truncated_normal((5000,), stddev=2.0, seed=4))
    assert np.abs(t).max() <= 4.0 and abs(t.mean()) < 0.1
    with pytest.raises(ValueError, match="floating"):
        random.normal((2,), dtype="int32")


def test_dropout_scales_kept_values():
    x = np.ones((200, 50), "float32")
    out = np_out(random.dropout(x, 0.25, seed=5))
    kept = out[out != 0]
    np.testing.assert_allclose(kept, 1 / 0.75, rtol=1e-6)
    assert abs(kept.size / out.size - 0.75) < 0.02
    rows = np_out(random.dropout(x, 0.5, noise_shape=(None, 1), seed=6))
    assert all(len(np.unique(row)) == 1 for row in rows)
    with pytest.raises(ValueError, match="rate"):
        random.dropout(x, 1.0)


def test_shuffle_permutes():
    x = np.arange(20).reshape(10, 2)
    out = np_out(random.shuffle(x, seed=7))
    np.testing.assert_array_equal(np.sort(out[:, 0]), x[:, 0])
    np.testing.assert_array_equal(out[:, 1] - out[:, 0], 1)


def test_gamma_beta_binomial_moments():
    g = np_out(random.gamma((20000,), alpha=3.0, seed=8))
    assert abs(g.mean() - 3.0) < 0.1
    b = np_out(random.beta((20000,), alpha=2.0, beta=6.0, seed=9))
    assert abs(b.mean() - 0.25) < 0.01 and b.min() >= 0 and b.max() <= 1
    n = np_out(random.binomial((20000,), counts=10.0, probabilities=0.3, seed=10))
    assert unikeras.backend.standardize_dtype(n.dtype) == "float32"
    assert abs(n.mean() - 3.0) < 0.1


def test_categorical_frequencies():
    logits = np.log(np.array([[0.2, 0.8], [0.9, 0.1]], "float32"))
    draws = np_out(random.categorical(logits, 5000, seed=11))
    assert draws.shape == (2, 5000)
    assert abs(draws[0].mean() - 0.8) < 0.03 and abs(draws[1].mean() - 0.1) < 0.03


@pytest.mark.parametrize("bound", [0.0, 0.3])
def test_uniform_over_an_empty_interval_returns_its_bound(bound):
    # Image layers draw e.g. a zero shear this way; OpenVINO's RandomUniform rejects it.
    values = np_out(random.uniform((2, 3), minval=bound, maxval=bound, seed=1))
    np.testing.assert_array_equal(values, np.full((2, 3), bound, "float32"))
