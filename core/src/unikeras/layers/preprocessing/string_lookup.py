"""`StringLookup`: maps strings to integer indices (or back) through a vocabulary."""

from unikeras.layers.preprocessing.host_data import to_host_strings
from unikeras.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to integer indices from a vocabulary given or built by `adapt`.

    Strings cannot live in most engines' tensors, so the lookup runs on the host: inputs
    are lists, NumPy string arrays or `tf.string` tensors, outputs are backend tensors
    (`int64` indices, or floats in the other output modes). `invert=True` returns a NumPy
    array of strings. The layer cannot run inside a compiled step (`supports_jit = False`):
    a model starting with it trains with `run_eagerly=True` (or applies it to the data).

    Args:
        max_tokens: Maximum vocabulary size, special tokens included.
        num_oov_indices: Number of OOV indices (several: FarmHash64 of the token picks one).
        mask_token: Token mapped to 0 in `"int"` mode (default `None`: no mask).
        oov_token: Token for OOV indices when `invert=True` (default `"[UNK]"`).
        vocabulary: List/array of strings or path of a text file, one token per line.
        idf_weights: IDF weights for `output_mode="tf_idf"`.
        invert: Map indices back to strings.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: Make the encoded axis `max_tokens` long (non-int modes).
        sparse: Only `False` is supported.
        encoding: Text encoding of `bytes` inputs.
        salt: Optional key: OOV tokens are bucketed with SipHash instead of FarmHash64.

    Examples:
        >>> layer = keras.layers.StringLookup(vocabulary=['a', 'b', 'c'])
        >>> layer(np.array(['a', 'c', 'z']))  # 0 is the out-of-vocabulary index
        array([1, 3, 0])
    """

    supports_jit = False

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        salt=None,
        **kwargs,
    ):
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary_dtype="string",
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            salt=salt,
            **kwargs,
        )

    def _host_tokens(self, inputs):
        return to_host_strings(inputs, self.encoding)

    def _host_vocabulary(self, vocabulary):
        return to_host_strings(vocabulary, self.encoding).reshape(-1).tolist()

    def _invert(self, inputs):
        return super()._invert(inputs).astype(str)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"], config["oov_method"]
        config["encoding"] = self.encoding
        return config
