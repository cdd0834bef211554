"""The learned scale (`gamma`) and offset (`beta`) arguments shared by normalization layers."""

from unikeras import constraints, initializers, regularizers

_KINDS = {"initializer": initializers, "regularizer": regularizers, "constraint": constraints}


def set_affine_arguments(layer, **arguments):
    """Sets `beta_initializer`, `gamma_regularizer`, ... on `layer`, resolved by `get`."""
    for name, value in arguments.items():
        setattr(layer, name, _KINDS[name.split("_", 1)[1]].get(value))


def affine_config(layer):
    """The serialized `beta_*`/`gamma_*` arguments of `layer`, for `get_config`."""
    return {
        f"{weight}_{kind}": module.serialize(getattr(layer, f"{weight}_{kind}"))
        for kind, module in _KINDS.items()
        for weight in ("beta", "gamma")
    }
