"""`keras.datasets.imdb`: 50,000 movie reviews as word-index sequences, with 0/1 sentiment."""

import json

import numpy as np

from unikeras.datasets._utils import (
    ORIGIN,
    cached_file,
    cut_vocabulary,
    encode_words,
    load_npz,
    object_array,
    remove_long_seq,
)


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    **kwargs,
):
    """Loads the IMDB sentiment dataset (cached in `~/.keras/datasets/imdb.npz`).

    Words are indexed by frequency (1 = most frequent) in the file; the loader shifts them by
    `index_from` and reserves 0 (padding), `start_char` and `oov_char`.

    Args:
        path: File name of the dataset in the cache.
        num_words: Keep only word indices below this (others become `oov_char`).
        skip_top: Word indices below this become `oov_char` too.
        maxlen: Drop sequences of `maxlen` words or more.
        seed: Seed of the shuffles.
        start_char: Index marking the start of each sequence (`None`: no marker).
        oov_char: Index of the words cut by `num_words`/`skip_top` (`None`: drop them).
        index_from: Offset added to the word indices.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints, and labels.
    """
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}.")
    path = cached_file(
        path,
        ORIGIN + "imdb.npz",
        "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    )
    data = load_npz(path)
    x_train, labels_train = data["x_train"], data["y_train"]
    x_test, labels_test = data["x_test"], data["y_test"]
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x_train))
    rng.shuffle(indices)
    x_train, labels_train = x_train[indices], labels_train[indices]
    indices = np.arange(len(x_test))
    rng.shuffle(indices)
    x_test, labels_test = x_test[indices], labels_test[indices]

    x_train = encode_words(x_train, num_words, skip_top, start_char, oov_char, index_from)
    x_test = encode_words(x_test, num_words, skip_top, start_char, oov_char, index_from)
    if maxlen:
        x_train, labels_train = remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = remove_long_seq(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no "
                "sequence was kept. Increase maxlen."
            )
    xs = cut_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([np.asarray(labels_train), np.asarray(labels_test)])
    cut = len(x_train)
    return (object_array(xs[:cut]), labels[:cut]), (object_array(xs[cut:]), labels[cut:])


def get_word_index(path="imdb_word_index.json"):
    """Returns the word index of the IMDB dataset: a dict word -> index (before shifting).

    Args:
        path: File name of the index in the cache (`~/.keras/datasets`).

    Returns:
        A dict mapping each word (a string) to its integer index.
    """
    path = cached_file(path, ORIGIN + "imdb_word_index.json", "bfafd718b763782e994055a2d397834f")
    with open(path) as handle:
        return json.load(handle)
