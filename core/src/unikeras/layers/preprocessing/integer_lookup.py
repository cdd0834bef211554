"""`IntegerLookup`: maps integers to contiguous indices (or back) through a vocabulary."""

from unikeras import ops
from unikeras.layers.preprocessing.host_data import is_string_like, to_host_array
from unikeras.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integer features to indices from a vocabulary given or built by `adapt`.

    The lookup (and `invert`) runs with `unikeras.ops` (a search in the sorted vocabulary),
    so the layer works inside compiled models on every backend; only
    `oov_method="farmhash"` with several OOV indices hashes on the host.

    Args:
        max_tokens: Maximum vocabulary size, special tokens included.
        num_oov_indices: Number of OOV indices (several: `token % num_oov_indices` picks
            one, or FarmHash64 of its decimal string with `oov_method="farmhash"`). With 0,
            OOV values raise for NumPy inputs and map to -1 inside compiled steps.
        mask_token: Integer mapped to 0 in `"int"` mode (default `None`).
        oov_token: Integer returned for OOV indices when `invert=True` (default `-1`).
        vocabulary: List/array of integers or path of a text file, one per line.
        vocabulary_dtype: Only `"int64"`.
        idf_weights: IDF weights for `output_mode="tf_idf"`.
        invert: Map indices back to integers.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        sparse: Only `False` is supported.
        pad_to_max_tokens: Make the encoded axis `max_tokens` long (non-int modes).
        oov_method: `"floormod"` (default) or `"farmhash"`.
        salt: Optional SipHash key for `oov_method="farmhash"`.

    Examples:
        >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138])
        >>> layer(np.array([12, 1138, 7]))  # 0 is the out-of-vocabulary index
        array([1, 3, 0])
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        **kwargs,
    ):
        if vocabulary_dtype != "int64":
            raise ValueError(
                f"IntegerLookup: only `vocabulary_dtype='int64'` is supported. "
                f"Received: vocabulary_dtype={vocabulary_dtype!r}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary_dtype=vocabulary_dtype,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            **kwargs,
        )

    @property
    def supports_jit(self):
        """Whether the layer can run inside a compiled step (not when hashing on the host)."""
        return not self._host_hashing()

    def _host_hashing(self):
        return self.num_oov_indices > 1 and (self.oov_method == "farmhash" or self.salt is not None)

    def _ops_lookup(self):
        return not self._host_hashing()

    def _host_tokens(self, inputs):
        array = to_host_array(inputs)
        if array.dtype.kind not in "iub":
            raise ValueError(
                f'Layer "{self.name}" (IntegerLookup) expects integer inputs. '
                f"Received inputs with dtype={array.dtype}"
            )
        return array.astype("int64")

    def _host_vocabulary(self, vocabulary):
        return [int(v) for v in to_host_array(vocabulary).reshape(-1).tolist()]

    def _convert_inputs(self, x):
        if is_string_like(x):
            raise ValueError(
                f'Layer "{self.name}" (IntegerLookup) expects integer inputs. '
                f"Received inputs with dtype={x.dtype}"
            )
        return x

    def _invert(self, inputs):
        vocabulary = self._vocabulary()
        table = ops.convert_to_tensor(
            [int(v) if v is not None else self.oov_token for v in vocabulary] + [self.oov_token],
            dtype="int64",
        )
        indices = ops.cast(ops.convert_to_tensor(inputs), "int64")
        valid = ops.logical_and(ops.greater_equal(indices, 0), ops.less(indices, len(vocabulary)))
        return ops.take(table, ops.where(valid, indices, len(vocabulary)))

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
