"""`keras.datasets.california_housing`: the California housing price regression dataset."""

from unikeras.datasets._utils import ORIGIN, cached_file, check_test_split, load_npz, shuffled_split


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads the California housing dataset (8 features, median house value targets).

    Args:
        version: `"large"` (all 20,640 samples) or `"small"` (the first 600).
        path: File name of the dataset in the cache (`~/.keras/datasets`).
        test_split: Fraction of the data kept as test set.
        seed: Seed of the shuffle before the split.

    Returns:
        `(x_train, y_train), (x_test, y_test)`.
    """
    check_test_split(test_split)
    path = cached_file(
        path,
        ORIGIN + "california_housing.npz",
        "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",
    )
    data = load_npz(path)
    x, y = data["x"], data["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    elif version != "large":
        raise ValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version}"
        )
    return shuffled_split(x, y, test_split, seed)
