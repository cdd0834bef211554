"""TensorFlow backend: the classes the core composes `Layer` and `Model` from (hooks
`layer_mixin`: every layer is trackable; `trainer_mixin`)."""

import tensorflow as tf

from unikeras.backend.api import hookimpl, tree


class TFLayer(tf.__internal__.tracking.AutoTrackable):
    """Makes layers trackable: `tf.train.Checkpoint(model=model)` saves every weight, the
    seed generator states and the sublayers, found through the layer's own tracking."""

    def __setattr__(self, name, value):
        # The Layer tracks its state itself; AutoTrackable would wrap lists and dicts.
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        object.__delattr__(self, name)

    def _trackable_children(self, save_type="checkpoint", **kwargs):
        children = {}
        for i, variable in enumerate(self._own_weights()):
            children[f"variable_{i}"] = variable.native
        for i, layer in enumerate(self._sublayers()):
            children[f"layer_{i}"] = layer
        for i, state in enumerate(self._own_seed_states()):
            children[f"seed_{i}"] = state.native
        return children

    def _own_seed_states(self):
        from unikeras.random import SeedGenerator

        return [
            leaf.state
            for value in self.__dict__.get("_tracked", ())
            for leaf in tree.flatten(value)
            if isinstance(leaf, SeedGenerator)
        ]


@hookimpl
def layer_mixin():
    return TFLayer


@hookimpl
def trainer_mixin():
    from unikeras_tf.trainer import TFTrainer

    return TFTrainer
