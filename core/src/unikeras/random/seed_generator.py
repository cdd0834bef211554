"""`keras.random.SeedGenerator`: the state behind reproducible random ops."""

import random as python_random

from unikeras.backend import api as _backend_api
from unikeras.backend import global_state
from unikeras.backend.registry import table
from unikeras.ops.operation import unique_name
from unikeras import ops

_UINT32 = 2**32


class SeedGenerator:
    """A stateful source of seeds for the `unikeras.random` functions.

    Its state is a non-trainable `unikeras.Variable` of two `uint32` (`[seed, counter]`);
    each draw returns the current state and advances the counter, so a generator built with
    the same `seed` yields the same sequence of random tensors. Being a Variable, the state
    is tracked by layers and saved with their weights.

    Args:
        seed: Initial seed (an int). `None` picks one from Python's `random` module (so
            `unikeras.utils.set_random_seed` makes it reproducible too).
        name: Optional name.

    Examples:
        >>> gen = keras.random.SeedGenerator(seed=42)
        >>> a = keras.random.normal((2,), seed=gen)
        >>> b = keras.random.normal((2,), seed=gen)  # different from `a`
        >>> bool(np.any(keras.ops.convert_to_numpy(a) != keras.ops.convert_to_numpy(b)))
        True
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized arguments {sorted(kwargs)}.")
        if seed is None:
            seed = make_default_seed()
        elif isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(
                f"SeedGenerator: `seed` must be an int or None. Received: seed={seed!r}"
            )
        from unikeras.variables import Variable

        self._initial_seed = seed
        self.name = name or unique_name("seed_generator")

        def initial_state(shape, dtype="uint32"):
            return table.convert_to_tensor([seed % _UINT32, 0], dtype=dtype)

        # A callable initializer, so generators created during symbolic shape inference (a
        # StatelessScope) are declared there and get their state afterwards, as in Keras.
        self.state = Variable(
            initial_state, shape=(2,), dtype="uint32", trainable=False, name="seed_generator_state"
        )

    def next(self, ordered=True):
        """Returns the current seed (a `(2,)` uint32 tensor) and advances the state.

        `ordered` is accepted for Keras compatibility; draws are always ordered here.
        """
        from unikeras.backend.registry import in_graph_scope

        if in_graph_scope() == "tensorflow":  # a layer inside a tf.data pipeline
            self._graph_draws = getattr(self, "_graph_draws", 0) + 1
            return _tf_graph_seed(self._initial_seed + 7919 * self._graph_draws)
        current = self.state.value
        seed = ops.multiply(current, 1)  # a copy: backends may update the state in place
        self.state.assign(ops.add(current, table.convert_to_tensor([0, 1], dtype="uint32")))
        return seed

    def get_config(self):
        """Returns the generator's config: its initial `seed`."""
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        """Creates a generator from its config (the output of `get_config`)."""
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, seed={self._initial_seed}>"


def _tf_graph_seed(initial_seed):
    """A fresh seed per run of a TensorFlow graph (a `tf.data` map function) for a generator
    whose state belongs to another engine: drawn by TensorFlow's stateful sampler seeded
    with the generator's seed and its count of such draws, so each batch (and each new
    pipeline) gets new numbers and a seeded layer repeats its sequence from run to run
    (Keras gives such layers a TensorFlow-side generator)."""
    import tensorflow as tf  # only reached inside a TensorFlow graph

    draw = tf.random.uniform([2], 0, 2**31 - 1, dtype=tf.int32, seed=initial_seed % 2**31)
    return tf.cast(draw, tf.uint32)


def make_default_seed():
    """A seed from Python's `random` module (reproducible after `random.seed`)."""
    return python_random.randint(1, int(1e9))


_GLOBAL = global_state.GLOBAL_SEED  # {"generator": the generator of `seed=None` draws}


def global_seed_generator():
    """Returns the generator used when a random function gets `seed=None`."""
    if _GLOBAL["generator"] is None:
        _GLOBAL["generator"] = SeedGenerator()
    return _GLOBAL["generator"]


def set_global_seed(seed):
    """Restarts the global generator from `seed` (`None`: a fresh random seed)."""
    _GLOBAL["generator"] = SeedGenerator(seed) if seed is not None else None


def draw_seed(seed):
    """Resolves a `seed` argument into a concrete `(2,)` uint32 seed tensor.

    Args:
        seed: An int (the same int always gives the same seed), `None` (the next seed of
            the global generator) or a `SeedGenerator` (its next seed).
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        return global_seed_generator().next(ordered=False)
    if isinstance(seed, int) and not isinstance(seed, bool):
        return table.convert_to_tensor([seed % _UINT32, 0], dtype="uint32")
    raise ValueError(
        "Argument `seed` must be an int, None, or a `unikeras.random.SeedGenerator`. "
        f"Received: seed={seed!r}"
    )


_backend_api.provide("draw_seed", draw_seed)  # for backend plugins
