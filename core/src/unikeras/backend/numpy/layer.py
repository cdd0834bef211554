"""NumPy backend: the classes the core composes `Layer` and `Model` from (hooks
`layer_mixin`, `trainer_mixin`)."""

from unikeras.backend.hookspec import hookimpl


@hookimpl
def layer_mixin():
    return object


class NumpyTrainer:
    """Trainer mixin of the inference-only NumPy backend: no gradients, so no `train_step`.

    The core `Trainer`'s eager `test_step`/`predict_step` work, so `evaluate` and `predict`
    run; a user model that overrides `train_step` without gradients can still `fit`.
    """

    def train_step(self, data):
        from unikeras.backend.registry import backend

        raise RuntimeError(
            f"The active unikeras backend {backend()!r} is inference only: it cannot compute "
            "gradients, so `fit`/`train_on_batch` cannot train this model. Install a training "
            "backend, e.g. `pip install unikeras-jax`, and select it with UNIKERAS_BACKEND=jax."
        )


@hookimpl
def trainer_mixin():
    return NumpyTrainer
