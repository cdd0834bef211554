"""`keras.utils`: helpers for users (nested structures live in `unikeras.utils.tree`)."""

import random as _python_random

import numpy as _np


def set_random_seed(seed):
    """Seeds Python's `random`, NumPy and unikeras' global random generator at once.

    After it, unseeded initializers, `unikeras.random` calls with `seed=None` and dropout
    layers without a seed give the same numbers on every run. As Keras 3 documents,
    TensorFlow's global seed is set too whatever the backend, when TensorFlow is installed
    (`tf.data` shuffles, e.g. with `tf.config.experimental.enable_op_determinism()`): at
    once if it is imported, else as soon as it is imported (so seeding never imports it
    itself, nor needs it installed). The backend seeds its engine's own generator too (hook
    `seed_engine`: `torch.manual_seed` on torch).

    Args:
        seed: An int.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"set_random_seed: `seed` must be an int. Received: seed={seed!r}")
    _python_random.seed(seed)
    _np.random.seed(seed % 2**32)
    from unikeras.random.seed_generator import set_global_seed

    set_global_seed(seed)
    _seed_tensorflow(seed)
    from unikeras.backend.registry import optional_hook

    seed_engine = optional_hook("seed_engine")
    if seed_engine is not None:
        seed_engine(seed)


class _SeedTensorFlowOnImport:
    """A one-shot import hook (`sys.meta_path` finder): when `tensorflow` is imported, it
    runs `tf.random.set_seed(seed)` right after TensorFlow's own module code."""

    def __init__(self, seed):
        self.seed = seed

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        import importlib.util
        import sys

        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run_module, seed = loader.exec_module, self.seed

        def exec_module(module):
            run_module(module)
            random = getattr(module, "random", None)
            if random is not None and hasattr(random, "set_seed"):
                random.set_seed(seed)

        loader.exec_module = exec_module
        return spec


def _seed_tensorflow(seed):
    """Sets TensorFlow's global seed now if it is imported, else when it is imported (if it
    is installed at all), without importing it."""
    import importlib.util
    import sys

    for hook in [h for h in sys.meta_path if isinstance(h, _SeedTensorFlowOnImport)]:
        sys.meta_path.remove(hook)
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        if hasattr(tf, "random"):
            tf.random.set_seed(seed)
        return
    try:
        installed = importlib.util.find_spec("tensorflow") is not None
    except (ImportError, ValueError):  # pragma: no cover - a broken installation
        installed = False
    if installed:
        sys.meta_path.insert(0, _SeedTensorFlowOnImport(seed))


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
