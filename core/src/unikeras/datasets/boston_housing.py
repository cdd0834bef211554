"""`keras.datasets.boston_housing`: the Boston housing price regression dataset."""

from unikeras.datasets._utils import ORIGIN, cached_file, check_test_split, load_npz, shuffled_split


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston housing dataset (13 features, median value targets).

    Args:
        path: File name of the dataset in the cache (`~/.keras/datasets`).
        test_split: Fraction of the data kept as test set.
        seed: Seed of the shuffle before the split.

    Returns:
        `(x_train, y_train), (x_test, y_test)`.
    """
    check_test_split(test_split)
    path = cached_file(
        path,
        ORIGIN + "boston_housing.npz",
        "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    )
    data = load_npz(path)
    return shuffled_split(data["x"], data["y"], test_split, seed)
