"""`TextVectorization`: standardizes, splits and indexes text (on the host)."""

import re

import numpy as np

from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.layer import Layer
from unikeras.layers.preprocessing.host_data import (
    adapt_batches,
    call_in_tf_graph,
    is_tf_graph_tensor,
    to_host_strings,
)
from unikeras.layers.preprocessing.index_lookup import check_vocabulary_path
from unikeras.layers.preprocessing.string_lookup import StringLookup
from unikeras.saving import serialization

STANDARDIZE_MODES = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT_MODES = ("whitespace", "character")
# Keras 3's punctuation set (ASCII punctuation); `,-.` is the range `,` `-` `.`.
_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
# TensorFlow's `strings.lower` (used by Keras 3) and whitespace split: ASCII only.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


def _check_choice(layer_name, argument, value, allowed):
    if value is None or callable(value) or value in allowed:
        return
    raise ValueError(
        f'Layer "{layer_name}": `{argument}` must be None, a callable or one of '
        f"{allowed}. Received: {argument}={value!r}"
    )


class TextVectorization(Layer):
    """Turns strings into sequences of token indices or into token count vectors.

    Each string is standardized, split into tokens, optionally expanded to n-grams, then
    looked up in a vocabulary (given, or built by `adapt`): index 0 is padding (the mask
    token `""`), 1 the OOV token `"[UNK]"` in `"int"` mode; in the other modes index 0 is
    OOV. Text is processed on the host (Python strings), so the layer takes lists, NumPy
    string arrays or `tf.string` tensors and returns backend tensors; it cannot run inside
    a compiled step (`supports_jit = False`).

    Args:
        max_tokens: Maximum vocabulary size, padding and OOV tokens included.
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"` (ASCII letters,
            as TensorFlow's `strings.lower`),
            `"strip_punctuation"`, `None`, or a callable taking and returning a NumPy
            array of strings.
        split: `"whitespace"` (default), `"character"`, `None` (inputs are already
            tokens, shape `(batch, tokens)`), or a callable taking a 1-D NumPy array of
            strings and returning one token sequence per string.
        ngrams: `None`, an int `n` (all n-grams up to `n`) or a tuple of n-gram sizes.
        output_mode: `"int"` (default), `"multi_hot"`, `"count"`, `"tf_idf"` (or
            `"one_hot"`).
        output_sequence_length: In `"int"` mode, pad or truncate the sequences to this
            length (default: the longest in the batch).
        pad_to_max_tokens: In the other modes, make the output `max_tokens` wide.
        vocabulary: Optional list of tokens or path of a vocabulary file.
        idf_weights: IDF weights for `"tf_idf"` with a given vocabulary.
        sparse: Only `False` is supported (outputs are dense).
        ragged: Only `False` is supported (`"int"` outputs are padded with 0).
        encoding: Text encoding of `bytes` inputs.

    Examples:
        >>> layer = keras.layers.TextVectorization(vocabulary=["the", "cat", "sat"])
        >>> layer(["The cat sat.", "the dog"])  # 0: padding, 1: out of vocabulary
        array([[2, 3, 4],
               [2, 1, 0]])
    """

    supports_jit = False

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        **kwargs,
    ):
        kwargs.pop("vocabulary_size", None)  # recomputed from the vocabulary
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        super().__init__(**kwargs)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        _check_choice(self.name, "standardize", standardize, STANDARDIZE_MODES)
        _check_choice(self.name, "split", split, SPLIT_MODES)
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or isinstance(ngrams, tuple)
            and all(isinstance(n, int) for n in ngrams)
        ):
            raise ValueError(
                f'Layer "{self.name}": `ngrams` must be None, an integer or a '
                f"tuple of integers. Received: ngrams={ngrams!r}"
            )
        if output_sequence_length is not None and (
            output_mode != "int" or not isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                f'Layer "{self.name}": `output_sequence_length` must be None or '
                'an integer, and can only be set when output_mode is "int". '
                f"Received: output_sequence_length={output_sequence_length!r}, "
                f"output_mode={output_mode!r}"
            )
        if ragged:
            raise ValueError(
                f'Layer "{self.name}": `ragged=True` is not supported by '
                "unikeras (outputs are dense, padded tensors)."
            )
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._ngram_sizes = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.ragged = ragged
        self.encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            encoding=encoding,
            has_input_vocabulary=has_input_vocabulary,
            name=f"{self.name}_lookup",
        )

    # --- vocabulary -----------------------------------------------------------------------
    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary, padding (`""`) and OOV (`"[UNK]"`) tokens first by default."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The vocabulary size, padding and OOV indices included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and IDF weights in `"tf_idf"` mode); see `StringLookup`."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def adapt(self, data, batch_size=None, steps=None):
        """Builds the vocabulary from the tokens of `data` (each string is one document):
        most frequent first, ties in descending token order, truncated to `max_tokens`.

        Args:
            data: A list or NumPy array of strings, a `tf.data.Dataset` of strings, or an
                iterable of such batches.
            batch_size: Unused (accepted for Keras compatibility).
            steps: Optional number of batches to read from a dataset or iterable.
        """
        lookup = self._lookup_layer
        lookup.reset_state()
        for batch in adapt_batches(data, steps):
            lookup.update_state(self._documents(batch))
        lookup.finalize_state()

    # --- text processing ------------------------------------------------------------------
    def _standardized(self, strings):
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            strings = (
                np.vectorize(lambda s: s.translate(_ASCII_LOWER), otypes=[object])(strings)
                if strings.size
                else strings
            )
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            strings = (
                np.vectorize(lambda s: _PUNCTUATION.sub("", s), otypes=[object])(strings)
                if strings.size
                else strings
            )
        if callable(self.standardize):
            strings = to_host_strings(self.standardize(strings.astype(str)), self.encoding)
        return strings

    def _split_strings(self, strings):
        if self.split == "whitespace":
            return [[t for t in _WHITESPACE.split(s) if t] for s in strings]
        if self.split == "character":
            return [list(s) for s in strings]
        return [
            list(to_host_strings(tokens, self.encoding).reshape(-1))
            for tokens in self.split(strings.astype(str))
        ]

    def _with_ngrams(self, tokens):
        if self._ngram_sizes is None:
            return tokens
        return [
            " ".join(tokens[i : i + n])
            for n in self._ngram_sizes
            for i in range(len(tokens) - n + 1)
        ]

    def _documents(self, inputs):
        """The token lists of a batch of strings (one per string, or per row of tokens
        when `split=None`)."""
        strings = to_host_strings(inputs, self.encoding)
        if strings.ndim == 0:
            strings = strings.reshape(1)
        strings = self._standardized(strings)
        if self.split is None:
            rows = strings.reshape(len(strings), -1) if strings.ndim <= 2 else None
            if rows is None:
                raise ValueError(
                    f'Layer "{self.name}": with split=None the inputs must be '
                    f"tokens of shape (batch, tokens). Received shape "
                    f"{strings.shape}"
                )
            documents = [list(row) for row in rows]
        else:
            if strings.ndim > 1:
                if strings.ndim > 2 or strings.shape[-1] != 1:
                    raise ValueError(
                        f'Layer "{self.name}": to split strings the input rank must be 1, or '
                        f"2 with a last dimension of 1. Received: inputs.shape="
                        f"{strings.shape}"
                    )
                strings = strings[:, 0]
            documents = self._split_strings(strings)
        return [self._with_ngrams(tokens) for tokens in documents]

    def _padded(self, documents):
        """The token lists as a `(batch, length)` array padded with the mask token."""
        length = self.output_sequence_length
        if length is None:
            length = max((len(d) for d in documents), default=0)
        padded = np.full((len(documents), length), "", dtype=object)
        for row, tokens in zip(padded, documents):
            tokens = tokens[:length]
            row[: len(tokens)] = tokens
        return padded

    def _convert_inputs(self, x):
        return x

    def call(self, inputs):
        if is_tf_graph_tensor(inputs):  # e.g. `dataset.map(vectorize_layer)`
            shape = inputs.shape.as_list() if inputs.shape.rank is not None else [None]
            return call_in_tf_graph(
                self.call,
                inputs,
                self._lookup_layer._output_dtype(),
                self.compute_output_shape(shape),
            )
        return self._lookup_layer(self._padded(self._documents(inputs)))

    # --- symbolic ---------------------------------------------------------------------
    def compute_output_shape(self, input_shape):
        batch = tuple(input_shape)[:1] or (None,)
        if self.output_mode == "int":
            return batch + (self.output_sequence_length,)
        return self._lookup_layer.compute_output_shape(batch + (None,))

    def compute_output_spec(self, inputs):
        return KerasTensor(
            self.compute_output_shape(inputs.shape), dtype=self._lookup_layer._output_dtype()
        )

    # --- config and saving -----------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        lookup = self._lookup_layer
        config.update(
            {
                "max_tokens": lookup.max_tokens,
                "standardize": self._serialize_choice(self.standardize),
                "split": self._serialize_choice(self.split),
                "ngrams": self.ngrams,
                "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens,
                "sparse": lookup.sparse,
                "ragged": self.ragged,
                "vocabulary": lookup.input_vocabulary,
                "idf_weights": lookup.input_idf_weights,
                "encoding": self.encoding,
                "vocabulary_size": self.vocabulary_size(),
            }
        )
        return config

    @staticmethod
    def _serialize_choice(value):
        return serialization.serialize_keras_object(value) if callable(value) else value

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Creates the layer from `get_config()` output (callables deserialized by name;
        vocabulary file paths refused in safe mode, see `IndexLookup.from_config`)."""
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = serialization._deserialize_object(
                    config[key], custom_objects=custom_objects, safe_mode=safe_mode is not False
                )
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        check_vocabulary_path(cls.__name__, config.get("vocabulary"), safe_mode)
        return super().from_config(config)

    def save_own_variables(self, store):
        """Stores the IDF weights (`"tf_idf"` mode)."""
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        """Reads the IDF weights written by `save_own_variables`."""
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        """Writes an adapted vocabulary to `dir_path/vocabulary.txt`."""
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        """Reads the vocabulary written by `save_assets`."""
        self._lookup_layer.load_assets(dir_path)
