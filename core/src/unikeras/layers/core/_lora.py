"""LoRA (low-rank adaptation) shared by `Dense`, `EinsumDense` and `Embedding`.

With LoRA enabled a layer freezes its weight `W` (`kernel` or `embeddings`) and trains two
float32 factors `A` (`W.shape[:-1] + (rank,)`) and `B` (`(rank, W.shape[-1])`); the layer uses
`W + (lora_alpha / lora_rank) * A @ B`. Saving writes that merged weight in `W`'s place (the
file holds no LoRA factors, as in Keras 3); loading puts it into `W` and resets `A` and `B`
to zeros.
"""

import numbers
import warnings

from unikeras import initializers, ops


def init_lora(layer, lora_rank, lora_alpha):
    """Checks and stores the `lora_rank` / `lora_alpha` constructor arguments of `layer`."""
    name = type(layer).__name__
    if lora_rank is not None and (
        isinstance(lora_rank, bool) or not isinstance(lora_rank, numbers.Integral) or lora_rank < 0
    ):
        raise ValueError(
            f'Layer "{layer.name}" ({name}): `lora_rank` must be None or a '
            f"positive int. Received: lora_rank={lora_rank!r}"
        )
    _check_alpha(layer, lora_alpha)
    layer.lora_rank = lora_rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
    layer.lora_enabled = False


def _check_alpha(layer, lora_alpha):
    if lora_alpha is not None and (
        isinstance(lora_alpha, bool) or not isinstance(lora_alpha, numbers.Real) or lora_alpha <= 0
    ):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): `lora_alpha` must '
            f"be None or a positive number. Received: lora_alpha={lora_alpha!r}"
        )


def _factors(layer, name):
    return getattr(layer, f"lora_{name}_a"), getattr(layer, f"lora_{name}_b")


def _delta(layer, name):
    a, b = _factors(layer, name)
    return ops.multiply(ops.matmul(a, b), layer.lora_alpha / layer.lora_rank)


def merged(layer, attr, name):
    """`layer.<attr>` (the weight variable), or with LoRA enabled the merged weight tensor
    in the layer's compute dtype."""
    if not layer.built:
        raise AttributeError(
            f'Layer "{layer.name}": you must build the layer before accessing `{name}`.'
        )
    base = getattr(layer, attr)
    if not layer.lora_enabled:
        return base
    return ops.cast(ops.add(base, _delta(layer, name)), layer.compute_dtype)


def enable(layer, attr, name, constraint_attr, rank, lora_alpha, a_initializer, b_initializer):
    """`layer.enable_lora(...)`: adds `lora_<name>_a` / `lora_<name>_b` and freezes
    `layer.<attr>`."""
    if getattr(layer, constraint_attr, None):
        raise ValueError(
            f'Layer "{layer.name}": LoRA is incompatible with {name} constraints. In order to '
            f"enable lora on this layer, remove the `{constraint_attr}` argument."
        )
    if not layer.built:
        raise ValueError(
            f'Layer "{layer.name}": cannot enable lora on a layer that isn\'t yet built.'
        )
    if layer.lora_enabled:
        raise ValueError(
            f'Layer "{layer.name}": lora is already enabled. This can only be done once per layer.'
        )
    if isinstance(rank, bool) or not isinstance(rank, numbers.Integral) or rank <= 0:
        raise ValueError(
            f'Layer "{layer.name}": `rank` must be a positive int. Received: rank={rank!r}'
        )
    _check_alpha(layer, lora_alpha)
    base = getattr(layer, attr)
    # The logical weight's shape (a packed int4 weight unpacks to it).
    shape = tuple(getattr(layer, name).shape)
    regularizer = getattr(layer, f"{name}_regularizer", None)
    # float32 factors (as Keras 3): no underflow / overflow while fine-tuning in low precision.
    a = layer.add_weight(
        name=f"lora_{name}_a",
        shape=shape[:-1] + (int(rank),),
        initializer=initializers.get(a_initializer),
        dtype="float32",
        regularizer=regularizer,
    )
    b = layer.add_weight(
        name=f"lora_{name}_b",
        shape=(int(rank), shape[-1]),
        initializer=initializers.get(b_initializer),
        dtype="float32",
        regularizer=regularizer,
    )
    setattr(layer, f"lora_{name}_a", a)
    setattr(layer, f"lora_{name}_b", b)
    base.trainable = False
    layer.lora_enabled = True
    layer.lora_rank = int(rank)
    layer.lora_alpha = lora_alpha if lora_alpha is not None else int(rank)


def saved_variables(layer, variables, attr):
    """The variables `layer` saves, as Keras 3 saves them (its float layer's
    `variable_serialization_spec`): the base weight `attr`, then the spec's others that exist
    (e.g. `bias`); never the LoRA factors, nor variables a subclass adds (`variables`, the
    layer's own, are returned as they are before `build`)."""
    if not layer.built:
        return variables
    return [v for v in (getattr(layer, name, None) for name in layer._SPEC[None]) if v is not None]


def _unsaved(layer, attr):
    """A built layer's own variables that its `save_own_variables` does not write: those a
    subclass adds (the LoRA factors aside)."""
    skip = {id(v) for v in layer._saved_variables()}
    if layer.lora_enabled:
        skip.update(id(v) for v in _factors(layer, attr.lstrip("_")))
    return [v for v in layer._own_weights() if id(v) not in skip]


def _saved_names(layer):
    return [
        name.lstrip("_") for name in layer._SPEC[None] if getattr(layer, name, None) is not None
    ]


def save(layer, store, attr, name):
    """`save_own_variables`: the base weight (merged with the LoRA update when enabled, in
    the base weight's dtype) under `"0"`, then the others; a subclass's own variables are not
    written, as Keras 3 (with a warning naming them)."""
    if not layer.built:
        return
    base = getattr(layer, attr)
    for i, variable in enumerate(layer._saved_variables()):
        if variable is base and layer.lora_enabled:
            variable = ops.convert_to_numpy(
                ops.cast(ops.add(base, _delta(layer, name)), base.dtype)
            )
        store[str(i)] = variable
    unsaved = _unsaved(layer, attr)
    if unsaved:
        warnings.warn(
            f"Layer '{layer.name}' ({type(layer).__name__}): variables "
            f"{[v.name for v in unsaved]} are not saved: a {_base_class(layer)} saves only "
            f"{_saved_names(layer)}, as Keras 3 (whose loading then expects every variable). "
            "Override `save_own_variables` and `load_own_variables` to keep them.",
            stacklevel=2,
        )


def _base_class(layer):
    return next(
        c.__name__ for c in type(layer).__mro__ if c.__module__.startswith("unikeras.layers.")
    )


def checked_store(layer, store, attr):
    """`store` for the float layer's `load_own_variables`, checked as Keras 3 checks it: a
    layer with variables beyond the saved ones (a subclass's own) needs an entry for every
    variable (without LoRA), and loads the saved ones from the first entries.

    Raises:
        ValueError: naming the layer, when the file has fewer entries than the layer has
            variables (a file written by Keras 3 or unikeras, which save only the spec's).
    """
    if not layer.built:
        return store
    unsaved = _unsaved(layer, attr)
    if not unsaved:
        return store
    saved = layer._saved_variables()
    if not layer.lora_enabled:
        every = saved + unsaved
        if len(store.keys()) != len(every):
            raise ValueError(
                f"Layer '{layer.name}' expected {len(every)} variables, but received "
                f"{len(store.keys())} variables during loading. Expected: "
                f"{[v.name for v in every]}. A {_base_class(layer)} saves only "
                f"{_saved_names(layer)}, as Keras 3 (which refuses such a file as well): a "
                f"subclass that adds variables ({[v.name for v in unsaved]}) must override "
                "`save_own_variables` and `load_own_variables` to keep them."
            )
    if len(store.keys()) <= len(saved):
        return store
    return {str(i): store[str(i)] for i in range(len(saved))}


def reset(layer):
    """After loading: zeros in the LoRA factors (the file's weight is already merged)."""
    if not layer.lora_enabled:
        return
    name = "kernel" if hasattr(layer, "lora_kernel_a") else "embeddings"
    for factor in _factors(layer, name):
        factor.assign(ops.zeros(factor.shape, dtype=factor.dtype))


def lora_config(layer):
    """`{"lora_rank", "lora_alpha"}` for `get_config` when a rank is set, else `{}`."""
    if not layer.lora_rank:
        return {}
    return {"lora_rank": layer.lora_rank, "lora_alpha": layer.lora_alpha}
