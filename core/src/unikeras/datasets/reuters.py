"""`keras.datasets.reuters`: 11,228 Reuters newswires as word-index sequences, 46 topics."""

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

_LABELS = (
    "cocoa",
    "grain",
    "veg-oil",
    "earn",
    "acq",
    "wheat",
    "copper",
    "housing",
    "money-supply",
    "coffee",
    "sugar",
    "trade",
    "reserves",
    "ship",
    "cotton",
    "carcass",
    "crude",
    "nat-gas",
    "cpi",
    "money-fx",
    "interest",
    "gnp",
    "meal-feed",
    "alum",
    "oilseed",
    "gold",
    "tin",
    "strategic-metal",
    "livestock",
    "retail",
    "ipi",
    "iron-steel",
    "rubber",
    "heat",
    "jobs",
    "lei",
    "bop",
    "zinc",
    "orange",
    "pet-chem",
    "dlr",
    "gas",
    "silver",
    "wpi",
    "hog",
    "lead",
)


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads the Reuters newswire topic classification dataset.

    Args:
        path: File name of the dataset in the cache (`~/.keras/datasets`).
        num_words: Keep only word indices below this (others become `oov_char`).
        skip_top: Word indices below this become `oov_char` too.
        maxlen: Drop sequences of `maxlen` words or more.
        test_split: Fraction of the data kept as test set.
        seed: Seed of the shuffle.
        start_char: Index marking the start of each sequence (`None`: no marker).
        oov_char: Index of the words cut by `num_words`/`skip_top` (`None`: drop them).
        index_from: Offset added to the word indices.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints, and labels.
    """
    path = cached_file(
        path,
        ORIGIN + "reuters.npz",
        "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    )
    data = load_npz(path)
    xs, labels = data["x"], data["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = xs[indices], labels[indices]
    xs = encode_words(xs, num_words, skip_top, start_char, oov_char, index_from)
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    xs = cut_vocabulary(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    return (
        (object_array(xs[:cut]), np.array(labels[:cut])),
        (object_array(xs[cut:]), np.array(labels[cut:])),
    )


def get_word_index(path="reuters_word_index.json"):
    """Returns the word index of the Reuters dataset: a dict word -> index (before shifting).

    Args:
        path: File name of the index in the cache (`~/.keras/datasets`).

    Returns:
        A dict mapping each word (a string) to its integer index.
    """
    path = cached_file(path, ORIGIN + "reuters_word_index.json", "4d44cc38712099c9e383dc6e5f11a921")
    with open(path) as handle:
        return json.load(handle)


def get_label_names():
    """Returns the 46 topic names of the Reuters dataset, in label order."""
    return _LABELS
