"""`Trainer`: the inference loop of `Model` (training comes with the trainers issue)."""

import numpy as np

from unikeras.backend.registry import backend, pip_hint, table
from unikeras.utils import tree


def _num_samples(x):
    sizes = {int(np.shape(leaf)[0]) for leaf in tree.flatten(x) if leaf is not None}
    if len(sizes) != 1:
        raise ValueError(f"All inputs must have the same number of samples; got sizes {sizes}.")
    return sizes.pop()


def _slice(x, start, stop):
    return tree.map_structure(lambda leaf: None if leaf is None else leaf[start:stop], x)


class Trainer:
    """Inference (and, on training backends, training) entry points of a `Model`."""

    def __init__(self):
        self.compiled = False

    def predict_on_batch(self, x):
        """Returns the model's outputs for one batch, as NumPy arrays."""
        outputs = self(x, training=False)
        return tree.map_structure(table.convert_to_numpy, outputs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Runs the model on `x` in batches and returns NumPy outputs.

        Args:
            x: Array, list/dict of arrays matching the model inputs.
            batch_size: Samples per batch (default 32).
            verbose: Unused by this loop (no progress bar for inference yet).
            steps: Optional number of batches to run.
            callbacks: Not supported yet.

        Returns:
            NumPy array(s) with the structure of the model outputs.
        """
        batch_size = batch_size or 32
        total = _num_samples(x)
        batches = []
        for i, start in enumerate(range(0, total, batch_size)):
            if steps is not None and i >= steps:
                break
            batches.append(self.predict_on_batch(_slice(x, start, start + batch_size)))
        if not batches:
            raise ValueError("predict: the input has no samples.")
        return tree.map_structure(lambda *parts: np.concatenate(parts, axis=0), *batches)

    def _require_training_backend(self, method):
        info = table.backend_info()
        if not info.get("training"):
            raise RuntimeError(
                f"`{method}` needs a training backend; the active backend {backend()!r} is "
                f"inference only. Install one, e.g. `{pip_hint('jax')}`, and select it with "
                "UNIKERAS_BACKEND=jax."
            )

    def compile(self, *args, **kwargs):
        """Configures the model for training (see the trainers issue)."""
        self._require_training_backend("compile")
        raise NotImplementedError("Training is not implemented yet in unikeras.")

    def fit(self, *args, **kwargs):
        """Trains the model (see the trainers issue)."""
        self._require_training_backend("fit")
        raise NotImplementedError("Training is not implemented yet in unikeras.")
