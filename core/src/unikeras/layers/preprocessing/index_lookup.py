"""`IndexLookup`: the vocabulary lookup shared by `StringLookup`, `IntegerLookup` and
`TextVectorization` (Keras 3's index layout, `adapt`, output modes and saving protocol).

Index layout (`output_mode="int"`): the mask token (if any) at 0, then `num_oov_indices`
out-of-vocabulary indices, then the vocabulary. In the other modes the mask token has no
index (masked values are dropped) and the OOV indices start at 0. Outputs are `int64`
(indices, and the one-hot/multi-hot/count encodings, as Keras 3 returns them) or floatx
(`"tf_idf"`).
"""

import collections
import math
import os

import numpy as np

from unikeras import ops
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.config import floatx, in_safe_mode
from unikeras.layers.layer import Layer
from unikeras.layers.preprocessing.category_encoding import (
    check_output_mode,
    check_sparse,
    encode_categorical_inputs,
    encoded_shape,
)
from unikeras.layers.preprocessing.hashing import hash_strings, hash_tokens
from unikeras.layers.preprocessing.host_data import (
    adapt_batches,
    call_in_tf_graph,
    is_tf_graph_tensor,
    to_host_array,
)

LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
VOCABULARY_FILENAME = "vocabulary.txt"


def _listify(value):
    if value is None or isinstance(value, (str, list)):
        return value
    return to_host_array(value).tolist()


class IndexLookup(Layer):
    """Maps tokens to indices through a vocabulary (base of the lookup layers).

    Subclasses define how tokens reach the host (`_host_tokens`) and whether lookups of
    their inputs can run with `unikeras.ops` inside compiled models (`_ops_lookup`).

    Args:
        max_tokens: Maximum vocabulary size, special tokens included (`None`: no limit).
        num_oov_indices: Number of out-of-vocabulary indices; with more than one, OOV
            tokens are hashed (strings) or taken modulo (integers) among them.
        mask_token: Token mapped to index 0 (int mode) or dropped (other modes).
        oov_token: Token returned for OOV indices when `invert=True`.
        vocabulary_dtype: `"string"` or `"int64"`.
        vocabulary: Optional list/array of tokens or path of a text file (one per line).
        idf_weights: Inverse document frequencies (only with `output_mode="tf_idf"`).
        invert: Map indices back to tokens.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        sparse: Only `False` is supported.
        pad_to_max_tokens: In the non-int modes, make the last axis `max_tokens` long.
        oov_method: For integer tokens with several OOV indices: `"floormod"` or
            `"farmhash"` (hash of the decimal string).
        salt: Optional key for a SipHash of OOV tokens instead of FarmHash.
    """

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        **kwargs,
    ):
        kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        super().__init__(**kwargs)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_output_mode(self.name, output_mode, LOOKUP_MODES)
        check_sparse(self.name, sparse)
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f'Layer "{self.name}": if set, `max_tokens` must be greater '
                f"than 1. Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                f'Layer "{self.name}": `num_oov_indices` must be >= 0. '
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                f'Layer "{self.name}": `output_mode` must be "int" when '
                f"`invert=True`. Received: output_mode={output_mode!r}"
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                f'Layer "{self.name}": `idf_weights` can only be set when '
                f'`output_mode` is "tf_idf". Received: output_mode={output_mode!r}'
            )
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(
                f'Layer "{self.name}": with `output_mode="tf_idf"`, passing a '
                "`vocabulary` requires `idf_weights` too."
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f'Layer "{self.name}": `oov_method` must be "floormod" or '
                f'"farmhash". Received: oov_method={oov_method!r}'
            )
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = invert
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.oov_method = oov_method
        self.salt = salt
        self.input_vocabulary = _listify(vocabulary) if not isinstance(vocabulary, str) else None
        self.input_idf_weights = _listify(idf_weights)
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens = []
        self._index = {}
        self._idf = None
        self.reset_state()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # --- vocabulary ---------------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def _special_tokens(self):
        return [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, mask and OOV indices included."""
        return self._token_start_index() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens=True):
        """Returns the vocabulary as a list; with `include_special_tokens`, a token's
        position is its index (mask and OOV tokens first).

        Args:
            include_special_tokens: Whether to start with the mask and OOV tokens.

        Returns:
            A list: the special tokens as Python values, the vocabulary terms as NumPy
            scalars (`np.str_` or `np.int64`), as Keras 3 returns them.
        """
        tokens = [_numpy_token(t) for t in self._tokens]
        return self._special_tokens() + tokens if include_special_tokens else tokens

    def _vocabulary(self):
        """The vocabulary with the special tokens, as Python values."""
        return self._special_tokens() + list(self._tokens)

    def _host_vocabulary(self, vocabulary):
        """`vocabulary` (list, array, tensor) as a list of Python tokens."""
        raise NotImplementedError

    def _read_vocabulary_file(self, path):
        if not os.path.isfile(path):
            raise ValueError(f'Layer "{self.name}": vocabulary file {path} does not exist.')
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return self._host_vocabulary(lines)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and the IDF weights in `"tf_idf"` mode), replacing any.

        Args:
            vocabulary: A list, tuple, 1-D array or tensor of tokens, or the path of a text
                file with one token per line. It may start with the special tokens, in
                `get_vocabulary()` order.
            idf_weights: 1-D weights, one per vocabulary entry (`"tf_idf"` mode only).
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(
                f'Layer "{self.name}": `idf_weights` must be set when output_mode is "tf_idf".'
            )
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                f'Layer "{self.name}": `idf_weights` should only be set when '
                f'output_mode is "tf_idf". Received: output_mode='
                f"{self.output_mode!r}"
            )
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError(
                    f'Layer "{self.name}": output_mode "tf_idf" does not '
                    "support loading a vocabulary from a file."
                )
            vocabulary = self._read_vocabulary_file(vocabulary)
        else:
            vocabulary = self._host_vocabulary(vocabulary)
        if not vocabulary:
            raise ValueError(f'Layer "{self.name}": cannot set an empty vocabulary.')
        specials = self._special_tokens()
        found_specials = vocabulary[: len(specials)] == specials
        tokens = vocabulary[len(specials) :] if found_specials else vocabulary
        self._check_tokens(tokens, specials)
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._idf = self._padded_idf(
                idf_weights, len(vocabulary), 0 if found_specials else len(specials)
            )

    def _check_tokens(self, tokens, specials):
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise ValueError(
                f'Layer "{self.name}": the vocabulary has repeated terms: '
                f"{repeated}. Please uniquify it."
            )
        reserved = [
            (name, value)
            for name, value in (
                ("mask_token", self.mask_token),
                ("oov_token", self.oov_token if self.invert else None),
            )
            if value is not None and value in tokens
        ]
        if reserved:
            name, value = reserved[0]
            raise ValueError(
                f'Layer "{self.name}": found the reserved {name} {value!r} in '
                "the vocabulary. Leave the mask and OOV tokens out, or put them "
                f"only at the start, in this order: {specials}."
            )
        size = self._token_start_index() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                f'Layer "{self.name}": the vocabulary size {size} is larger '
                f"than max_tokens={self.max_tokens}."
            )

    def _set_tokens(self, tokens):
        start = self._token_start_index()
        self._tokens = list(tokens)
        self._index = {t: start + i for i, t in enumerate(self._tokens)}

    def _padded_idf(self, idf_weights, vocabulary_length, front):
        idf = to_host_array(idf_weights).astype("float64")
        if idf.ndim != 1 or len(idf) != vocabulary_length:
            raise ValueError(
                f'Layer "{self.name}": `idf_weights` must be 1-D with one '
                f"weight per vocabulary entry ({vocabulary_length}). Received "
                f"shape {idf.shape}"
            )
        # No document frequencies exist for the special tokens: they get the mean weight.
        idf = np.concatenate([np.full(front, idf.mean() if idf.size else 0.0), idf])
        if self.pad_to_max_tokens and self.max_tokens is not None:
            idf = np.pad(idf, (0, self.max_tokens - len(idf)))
        return idf.astype(floatx())

    # --- adapt --------------------------------------------------------------------------
    def reset_state(self):
        """Clears the token counts gathered by `adapt`."""
        self._counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    def _adapt_documents(self, batch, single_batch):
        """The documents (lists of tokens) of one `adapt` batch."""
        tokens = self._host_tokens(batch)
        if tokens.ndim == 0:
            return [[tokens.item()]]
        if tokens.ndim == 1:
            return [[t] for t in tokens.tolist()] if single_batch else [tokens.tolist()]
        return [row.reshape(-1).tolist() for row in tokens]

    def update_state(self, documents):
        """Adds the tokens of `documents` (lists of tokens) to the `adapt` counts."""
        if self._has_input_vocabulary:
            raise ValueError(
                f'Layer "{self.name}": cannot adapt after setting a static '
                "vocabulary with `vocabulary` or `set_vocabulary()`."
            )
        for document in documents:
            self._counts.update(document)
            if self.output_mode == "tf_idf":
                self._document_counts.update(set(document))
        self._num_documents += len(documents)

    def adapt(self, data, steps=None):
        """Builds the vocabulary from the tokens of `data`, most frequent first (ties:
        tokens in descending order), truncated to `max_tokens`; in `"tf_idf"` mode also
        the IDF weights `log(1 + documents / (1 + documents containing the token))`.

        Args:
            data: A list or array of tokens (each row one document), a `tf.data.Dataset`
                or an iterable of such batches.
            steps: Optional number of batches to read from a dataset or iterable.
        """
        self.reset_state()
        single = isinstance(data, (list, tuple, np.ndarray)) or hasattr(data, "shape")
        for batch in adapt_batches(data, steps):
            self.update_state(self._adapt_documents(batch, single))
        self.finalize_state()

    def finalize_state(self):
        """Turns the `adapt` counts into the vocabulary (and IDF weights)."""
        if self._has_input_vocabulary or not self._counts:
            return
        for special in (self.mask_token, self.oov_token):
            self._counts.pop(special, None)
        ranked = sorted(self._counts, key=lambda t: (self._counts[t], t), reverse=True)
        if self.max_tokens:
            ranked = ranked[: self.max_tokens - self._token_start_index()]
        self._set_tokens(ranked)
        if self.output_mode == "tf_idf":
            idf = [
                math.log(1 + self._num_documents / (1 + self._document_counts[t])) for t in ranked
            ]
            self._idf = self._padded_idf(idf, len(idf), self._token_start_index())
        self.reset_state()

    # --- lookup ---------------------------------------------------------------------------
    def _host_tokens(self, inputs):
        """`inputs` on the host as a NumPy array of Python tokens."""
        raise NotImplementedError

    def _ops_lookup(self):
        """Whether lookups of this layer's inputs run with `unikeras.ops` (integers)."""
        return False

    def _convert_inputs(self, x):
        return x

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def _check_ready(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens and not self._tokens:
            raise RuntimeError(
                f'Layer "{self.name}": with output_mode={self.output_mode!r} and '
                "pad_to_max_tokens=False, set the vocabulary (`vocabulary` argument or "
                "`adapt`) before calling the layer."
            )

    def call(self, inputs):
        self._check_ready()
        if is_tf_graph_tensor(inputs) and inputs.dtype.name == "string":
            # string lookups inside a `tf.data` map or `tf.function` run on the host
            shape = inputs.shape.as_list() if inputs.shape.rank is not None else None
            return call_in_tf_graph(
                self.call,
                inputs,
                self._output_dtype(),
                None if shape is None else self.compute_output_shape(shape),
            )
        if self.invert:
            return self._invert(inputs)
        if self._ops_lookup():
            indices = self._lookup_ops(inputs)
        else:
            indices = ops.convert_to_tensor(self._lookup_host(self._host_tokens(inputs)))
        if self.output_mode == "int":
            return indices
        if self.output_mode == "tf_idf":
            counts = encode_categorical_inputs(indices, "count", self._depth(), floatx())
            return ops.multiply(counts, ops.convert_to_tensor(self._idf))
        return encode_categorical_inputs(indices, self.output_mode, self._depth(), "int64")

    def _masked_value(self):
        return 0 if self.output_mode == "int" else -1

    def _hashed_oov(self, tokens):
        """OOV index (before the OOV offset) of each host token, for several OOV indices."""
        if tokens.dtype != object and self.oov_method == "floormod":
            return np.mod(tokens, self.num_oov_indices)
        return hash_tokens(
            hash_strings(tokens),
            self.num_oov_indices,
            None if self.salt is None else _salt_key(self.salt),
        )

    def _lookup_host(self, tokens):
        """`int64` indices of the host `tokens` (mask and OOV rules included)."""
        flat = tokens.reshape(-1)
        unique, inverse = np.unique(flat, return_inverse=True) if flat.size else (flat, flat)
        found = np.asarray([self._index.get(t, -1) for t in unique.tolist()], dtype="int64")
        indices = found[np.asarray(inverse, dtype="int64")].reshape(tokens.shape)
        masked = (
            tokens == self.mask_token
            if self.mask_token is not None
            else np.zeros(tokens.shape, bool)
        )
        oov = (indices < 0) & ~masked
        if oov.any():
            if self.num_oov_indices == 0:
                raise ValueError(
                    f'Layer "{self.name}": with `num_oov_indices=0` all inputs '
                    "must be in the vocabulary; found OOV values "
                    f"{sorted(set(tokens[oov].tolist()))[:10]}. Consider "
                    "setting `num_oov_indices=1`."
                )
            oov_indices = self._oov_start_index() + (
                self._hashed_oov(tokens[oov]) if self.num_oov_indices > 1 else 0
            )
            indices[oov] = oov_indices
        indices[masked] = self._masked_value()
        return indices

    def _lookup_ops(self, inputs):
        """Integer lookup with `unikeras.ops`: a search in the sorted vocabulary."""
        if isinstance(inputs, (list, tuple, np.ndarray)) and self.num_oov_indices == 0:
            self._lookup_host(self._host_tokens(inputs))  # raises on OOV values
        x = ops.cast(ops.convert_to_tensor(inputs), "int64")
        order = np.argsort(np.asarray(self._tokens, dtype="int64"), kind="stable")
        sorted_tokens = np.asarray(self._tokens, dtype="int64")[order]
        if sorted_tokens.size:
            flat = ops.reshape(x, (-1,))
            position = ops.searchsorted(ops.convert_to_tensor(sorted_tokens), flat, side="right")
            position = ops.reshape(
                ops.clip(ops.subtract(position, 1), 0, sorted_tokens.size - 1), ops.shape(x)
            )
            found = ops.equal(ops.take(ops.convert_to_tensor(sorted_tokens), position), x)
            ids = ops.take(ops.convert_to_tensor(order + self._token_start_index()), position)
        else:
            found = ops.zeros_like(x, dtype="bool")
            ids = ops.zeros_like(x)
        if self.num_oov_indices > 1:
            oov = ops.add(ops.mod(x, self.num_oov_indices), self._oov_start_index())
        else:
            oov = ops.full_like(x, self._oov_start_index() if self.num_oov_indices else -1)
        indices = ops.where(found, ids, oov)
        if self.mask_token is not None:
            indices = ops.where(
                ops.equal(x, self.mask_token), ops.full_like(x, self._masked_value()), indices
            )
        return ops.cast(indices, "int64")

    def _invert(self, inputs):
        """Tokens of the indices `inputs` (OOV and out-of-range indices give `oov_token`)."""
        vocabulary = self._vocabulary()
        indices = to_host_array(inputs).astype("int64")
        valid = (indices >= 0) & (indices < len(vocabulary))
        table = np.empty(len(vocabulary) + 1, dtype=object)
        table[:-1] = vocabulary
        table[-1] = self.oov_token
        return table[np.where(valid, indices, len(vocabulary))]

    # --- symbolic ---------------------------------------------------------------------
    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = (
            self.max_tokens
            if self.pad_to_max_tokens
            else (self.vocabulary_size() if self._tokens else None)
        )
        return encoded_shape(input_shape, self.output_mode, depth)

    def _output_dtype(self):
        if self.invert:
            return self.vocabulary_dtype
        return floatx() if self.output_mode == "tf_idf" else "int64"

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self._output_dtype())

    # --- config and saving -------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token,
                "mask_token": self.mask_token,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": self.input_idf_weights,
                "vocabulary": self.input_vocabulary,
                "vocabulary_size": self.vocabulary_size(),
                "oov_method": self.oov_method,
                "salt": self.salt,
            }
        )
        return config

    @classmethod
    def from_config(cls, config, safe_mode=None):
        """Creates the layer from `get_config()` output.

        A vocabulary given as a file path is refused (unless `safe_mode=False` or unsafe
        deserialization is enabled): a saved layer keeps its vocabulary in the config or in
        the archive's assets, and a config must not read files outside the archive.
        """
        check_vocabulary_path(cls.__name__, config.get("vocabulary"), safe_mode)
        return super().from_config(config)

    def save_own_variables(self, store):
        """Stores the IDF weights (`"tf_idf"` mode) under `"idf_weights"`."""
        if self.output_mode == "tf_idf" and self._idf is not None:
            store["idf_weights"] = np.asarray(self._idf)

    def load_own_variables(self, store):
        """Reads the IDF weights written by `save_own_variables`."""
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self._idf = np.asarray(store["idf_weights"]).astype(floatx())

    def save_assets(self, dir_path):
        """Writes an adapted (or file-given) vocabulary to `dir_path/vocabulary.txt`; a
        vocabulary given as a list is part of the config instead."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, VOCABULARY_FILENAME), "w", encoding="utf-8") as f:
            f.write("\n".join(str(t) for t in self._vocabulary()))

    def load_assets(self, dir_path):
        """Reads the vocabulary written by `save_assets` (the IDF weights come from
        `load_own_variables`)."""
        if self.input_vocabulary is not None:
            return
        path = os.path.join(dir_path, VOCABULARY_FILENAME)
        if not os.path.isfile(path):
            return
        vocabulary = self._read_vocabulary_file(path)
        specials = self._special_tokens()
        tokens = (
            vocabulary[len(specials) :] if vocabulary[: len(specials)] == specials else vocabulary
        )
        self._check_tokens(tokens, specials)
        self._set_tokens(tokens)


def check_vocabulary_path(owner, vocabulary, safe_mode):
    """Refuses a vocabulary file path in a config being deserialized, unless `safe_mode`
    is False or unsafe deserialization is enabled: saved layers keep their vocabulary in
    the config or in the archive's assets, so a path could only read files outside it."""
    if isinstance(vocabulary, str) and safe_mode is not False and in_safe_mode():
        raise ValueError(
            f"{owner}: requested the loading of a vocabulary file outside of the model "
            f"archive ({vocabulary!r}); this could read arbitrary files and is disallowed by "
            "default. If you trust the source, pass `safe_mode=False` or call "
            "`unikeras.config.enable_unsafe_deserialization()`."
        )


def _salt_key(salt):
    return [salt, salt] if isinstance(salt, int) else list(salt)


def _numpy_token(token):
    """A vocabulary term as the NumPy scalar Keras 3's `get_vocabulary` gives."""
    if isinstance(token, str):
        return np.str_(token)
    if isinstance(token, int) and not isinstance(token, bool):
        return np.int64(token)
    return token
