"""`HashedCrossing`: crosses categorical features with the hashing trick, as TensorFlow's
`tf.sparse.cross_hashed` does."""

import numpy as np

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.layer import Layer
from unikeras.layers.preprocessing.category_encoding import (
    check_output_mode,
    check_sparse,
    encode_categorical_inputs,
    encoded_shape,
)
from unikeras.layers.preprocessing.host_data import (
    is_string_like,
    to_host_array,
    to_host_strings,
)
from unikeras.utils import farmhash

_MASK64 = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
_HASH_KEY = 0xDECAFCAFFE  # TensorFlow's default key of `cross_hashed`


def _shift_mix(value):
    return value ^ (value >> 47)


def fingerprint_cat64(fp1, fp2):
    """TensorFlow's `FingerprintCat64`: combines two unsigned 64-bit fingerprints."""
    result = fp1 ^ _MUL
    result ^= (_shift_mix((fp2 * _MUL) & _MASK64) * _MUL) & _MASK64
    result = (result * _MUL) & _MASK64
    result = (_shift_mix(result) * _MUL) & _MASK64
    return _shift_mix(result)


def _feature_fingerprints(column):
    """Per-value 64-bit features: FarmHash Fingerprint64 of strings, the two's-complement bits
    of integers (as TensorFlow's crossing reads them)."""
    if column.dtype == object:
        cache = {}
        return [cache.setdefault(v, farmhash.fingerprint64(v)) for v in column.tolist()]
    return [int(v) & _MASK64 for v in column.tolist()]


def hashed_cross(columns, num_bins):
    """Bin of each crossed row of the equal-length 1-D host `columns` (object arrays of `str`
    or integer arrays), an `int64` array."""
    features = [_feature_fingerprints(c) for c in columns]
    out = np.empty(len(columns[0]), dtype="int64")
    for row in range(len(out)):
        hashed = _HASH_KEY
        for feature in features:
            hashed = fingerprint_cat64(hashed, feature[row])
        out[row] = hashed % num_bins
    return out


class HashedCrossing(Layer):
    """Crosses scalar categorical features with the "hashing trick":
    `hash(concatenate(features)) % num_bins`, bins equal to Keras 3's (TensorFlow's
    `tf.sparse.cross_hashed`: FarmHash Fingerprint64 of strings, integers as they are,
    combined with `FingerprintCat64`).

    Inputs are a list/tuple of at least two tensors of equal shape `()`, `(batch_size,)` or
    `(batch_size, 1)`, each of an integer or string dtype. Hashing runs on the host (NumPy),
    so the layer cannot run inside a compiled step (`supports_jit = False`); use it eagerly,
    in an input pipeline or with `run_eagerly=True`, as Keras recommends.

    Args:
        num_bins: Number of hash bins.
        output_mode: `"int"` (bin indices, `int64` by default) or `"one_hot"`.
        sparse: Only `False` is supported (unikeras outputs are dense).
        name: Name of the layer.
        dtype: dtype of the outputs (default: `"int64"` in `"int"` mode, else the global
            float type).
        **kwargs: Other layer keyword arguments.

    Examples:
        >>> layer = keras.layers.HashedCrossing(num_bins=5)
        >>> layer((np.array([1, 2]), np.array([4, 5])))  # the bins of (1, 4) and (2, 5)
        array([0, 3])
    """

    supports_jit = False

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        check_output_mode(self.name, output_mode, ("int", "one_hot"))
        check_sparse(self.name, sparse)
        if not isinstance(num_bins, int) or isinstance(num_bins, bool) or num_bins <= 0:
            raise ValueError(
                f'Layer "{self.name}": `num_bins` must be a positive integer. '
                f"Received: num_bins={num_bins!r}"
            )
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def _convert_inputs(self, x):
        return x

    def _check_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                "`HashedCrossing` should be called on a list or tuple of inputs. "
                f"Received: inputs={inputs}"
            )
        if len(inputs) < 2:
            raise ValueError(
                "`HashedCrossing` should be called on at least two inputs. "
                f"Received: inputs={inputs}"
            )

    def _check_shapes(self, shapes, inputs):
        first = tuple(shapes[0])
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(
                "All `HashedCrossing` inputs should have shape `()`, "
                f"`(batch_size)` or `(batch_size, 1)`. Received: inputs={inputs}"
            )
        if not all(tuple(s) == first for s in shapes[1:]):
            raise ValueError(
                f"All `HashedCrossing` inputs should have equal shape. Received: inputs={inputs}"
            )
        return first

    def call(self, inputs):
        self._check_inputs(inputs)
        columns = []
        for x in inputs:
            if is_string_like(x):
                column = to_host_strings(x)
            else:
                column = to_host_array(x)
                if column.dtype.kind not in "iu":
                    raise ValueError(
                        "All `HashedCrossing` inputs should have an integer or "
                        f"string dtype. Received: inputs={inputs}"
                    )
            columns.append(column)
        shape = self._check_shapes([c.shape for c in columns], inputs)
        bins = hashed_cross([c.reshape(-1) for c in columns], self.num_bins).reshape(shape)
        return encode_categorical_inputs(
            ops.convert_to_tensor(bins), self.output_mode, self.num_bins, self.compute_dtype
        )

    def compute_output_shape(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) < 2
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                "Expected as input a list/tuple of at least 2 tensors. "
                f"Received input_shape={input_shape}"
            )
        first = self._check_shapes(input_shape, input_shape)
        if not first and self.output_mode == "one_hot":
            return (1, self.num_bins)  # as Keras 3: scalars are one-hot encoded as a batch of 1
        return encoded_shape(first, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        self._check_inputs(inputs)
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        return KerasTensor(shape, dtype=dtypes.standardize_dtype(self.compute_dtype))

    def get_config(self):
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype_policy.name,
        }
