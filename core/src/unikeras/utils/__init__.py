"""`keras.utils`: helpers for users (nested structures live in `unikeras.utils.tree`)."""

import random as _python_random

import numpy as _np


def set_random_seed(seed):
    """Seeds Python's `random`, NumPy and unikeras' global random generator at once.

    After it, unseeded initializers, `unikeras.random` calls with `seed=None` and dropout
    layers without a seed give the same numbers on every run. As in Keras 3, TensorFlow's
    global seed is set too whatever the backend (`tf.data` shuffles, e.g. with
    `tf.config.experimental.enable_op_determinism()`), here when TensorFlow is already
    imported (so that seeding never imports it), and the backend seeds its engine's own
    generator (hook `seed_engine`: `torch.manual_seed` on torch).

    Args:
        seed: An int.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"set_random_seed: `seed` must be an int. Received: seed={seed!r}")
    _python_random.seed(seed)
    _np.random.seed(seed % 2**32)
    from unikeras.random.seed_generator import set_global_seed

    set_global_seed(seed)
    import sys as _sys

    tf = _sys.modules.get("tensorflow")
    if tf is not None and hasattr(tf, "random"):
        tf.random.set_seed(seed)
    from unikeras.backend.registry import optional_hook

    seed_engine = optional_hook("seed_engine")
    if seed_engine is not None:
        seed_engine(seed)


from unikeras.utils.progbar import Progbar  # noqa: E402,F401
from unikeras.utils.py_dataset import PyDataset  # noqa: E402,F401
from unikeras.trainers.data_adapters.data_adapter_utils import (  # noqa: E402,F401
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)


from unikeras.utils.numerical_utils import normalize, to_categorical  # noqa: E402,F401
from unikeras.utils.sequence_utils import pad_sequences  # noqa: E402,F401
from unikeras.utils.image_utils import (  # noqa: E402,F401
    array_to_img,
    img_to_array,
    load_img,
    save_img,
)
from unikeras.utils.file_utils import get_file  # noqa: E402,F401
from unikeras.utils.config import Config  # noqa: E402,F401
from unikeras.utils.layer_utils import get_source_inputs  # noqa: E402,F401
from unikeras.utils.dataset_utils import split_dataset  # noqa: E402,F401
from unikeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: E402,F401,E501
from unikeras.utils.image_dataset_utils import image_dataset_from_directory  # noqa: E402,F401
from unikeras.utils.text_dataset_utils import text_dataset_from_directory  # noqa: E402,F401
from unikeras.utils.audio_dataset_utils import audio_dataset_from_directory  # noqa: E402,F401
from unikeras.backend.keras_tensor import is_keras_tensor  # noqa: E402,F401
from unikeras.backend.dtypes import standardize_dtype  # noqa: E402,F401

Sequence = PyDataset

from unikeras.backend.global_state import clear_session  # noqa: E402,F401
from unikeras.config import (  # noqa: E402,F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)

# `keras.utils` also holds names whose home is a layer above these helpers (saving,
# visualization, `FeatureSpace`, `bounding_boxes`, `legacy`): the layers, saving and models
# import helpers of this package, so the top-level `unikeras` package binds those names here
# once every layer is complete.
