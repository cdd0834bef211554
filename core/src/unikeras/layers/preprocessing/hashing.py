"""`Hashing`: hashes strings or integers into a fixed number of bins, as TensorFlow does."""

import numpy as np

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.layer import Layer
from unikeras.layers.preprocessing.category_encoding import (
    OUTPUT_MODES,
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


def host_tokens(values):
    """Inputs on the host: strings as an object array of `str`, numbers as a NumPy array."""
    return to_host_strings(values) if is_string_like(values) else to_host_array(values)


def hash_strings(tokens):
    """Host tokens as the strings TensorFlow hashes: strings as they are, floats truncated
    to integers, integers in decimal."""
    if tokens.dtype.kind == "f":
        tokens = tokens.astype("int64")
    return tokens if tokens.dtype == object else tokens.astype(str).astype(object)


def hash_tokens(tokens, num_bins, salt=None):
    """Bin of each string of the object array `tokens` (FarmHash64, or SipHash with
    `salt`), as an `int64` array of the same shape."""
    flat = tokens.reshape(-1)
    unique, inverse = np.unique(flat, return_inverse=True) if flat.size else (flat, flat)
    bins = np.asarray(farmhash.hash_buckets(unique, num_bins, salt), dtype="int64")
    return bins[np.asarray(inverse, dtype="int64")].reshape(tokens.shape)


class Hashing(Layer):
    """Hashes each input value into one of `num_bins` bins.

    Strings are hashed with FarmHash Fingerprint64 (SipHash-2-4 keyed by `salt` when given),
    integers through their decimal string and floats truncated to integers first, so bins
    equal Keras 3's (`tf.strings.to_hash_bucket_fast` / `_strong`). Hashing runs on the host
    (NumPy), so the layer cannot run inside a compiled step (`supports_jit = False`); use it
    eagerly or with `run_eagerly=True`.

    Args:
        num_bins: Number of bins, including the mask bin when `mask_value` is set.
        mask_value: Optional value that maps to bin 0 (others then go to `[1, num_bins)`).
        salt: Optional int or pair of ints: a key for the SipHash ("strong") hash.
        output_mode: `"int"` (bin indices, `int64` by default), `"one_hot"`, `"multi_hot"`
            or `"count"`.
        sparse: Only `False` is supported.

    Examples:
        >>> keras.layers.Hashing(num_bins=3, salt=1)(np.array([['a'], ['b'], ['a']])).shape
        (3, 1)
    """

    supports_jit = False

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else None
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                f'Layer "{self.name}": `num_bins` must be a positive integer. '
                f"Received: num_bins={num_bins}"
            )
        check_output_mode(self.name, output_mode, OUTPUT_MODES)
        check_sparse(self.name, sparse)
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(
                f'Layer "{self.name}": with output_mode="int", `dtype` must be '
                f"'int32' or 'int64'. Received: dtype={self.dtype_policy.name}"
            )
        if salt is not None:
            if isinstance(salt, int):
                salt = [salt, salt]
            elif not (isinstance(salt, (list, tuple)) and len(salt) == 2):
                raise ValueError(
                    f'Layer "{self.name}": `salt` must be an int or a pair of '
                    f"ints. Received: salt={salt}"
                )
            salt = [int(s) for s in salt]
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = salt
        self.output_mode = output_mode
        self.sparse = sparse

    def _convert_inputs(self, x):
        return x

    def call(self, inputs):
        tokens = host_tokens(inputs)
        strings = hash_strings(tokens)
        if self.mask_value is not None and self.num_bins > 1:
            mask_value = (
                self.mask_value.decode() if isinstance(self.mask_value, bytes) else self.mask_value
            )
            indices = np.where(
                tokens == mask_value, 0, hash_tokens(strings, self.num_bins - 1, self.salt) + 1
            )
        else:
            indices = hash_tokens(strings, self.num_bins, self.salt)
        return encode_categorical_inputs(
            ops.convert_to_tensor(indices), self.output_mode, self.num_bins, self.compute_dtype
        )

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        return KerasTensor(
            self.compute_output_shape(inputs.shape),
            dtype=dtypes.standardize_dtype(self.compute_dtype),
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_bins": self.num_bins,
                "salt": self.salt,
                "mask_value": self.mask_value,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config
