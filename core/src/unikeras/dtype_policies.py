"""`keras.dtype_policies`: a layer's variable dtype and compute dtype.

`"mixed_float16"` and `"mixed_bfloat16"` keep variables in float32 and compute in 16 bits:
layers cast floating inputs to the compute dtype and read their autocast variables in it
(see `unikeras.backend.variable.AutocastScope`).
"""

from unikeras.backend import config, dtypes, global_state

_GLOBAL = [None]
_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


class DTypePolicy:
    """The dtypes a layer uses: `variable_dtype` for its weights, `compute_dtype` for its
    computation.

    Args:
        name: `"float32"` (or any dtype name: variables and computation in it),
            `"mixed_float16"` / `"mixed_bfloat16"` (float32 variables, 16-bit computation),
            or `None` for the global policy.
    """

    def __init__(self, name=None):
        if name is None:
            name = global_policy().name
        if isinstance(name, DTypePolicy):
            name = name.name
        if not isinstance(name, str):
            raise TypeError(
                "'name' must be a string, such as 'mixed_float16'. "
                f"Received: name={name} (of type {type(name)})"
            )
        if name in _MIXED:
            self._variable, self._compute = "float32", _MIXED[name]
        else:
            try:
                dtype = dtypes.standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"Cannot convert {name!r} to a mixed precision DTypePolicy. Valid "
                    "policies include 'mixed_float16', 'mixed_bfloat16', and the name of "
                    "any float dtype such as 'float32'."
                ) from None
            self._variable = self._compute = dtype
            name = dtype
        self._name = name

    @property
    def name(self):
        """The policy's name (`"float32"`, `"mixed_float16"`, ...)."""
        return self._name

    @property
    def variable_dtype(self):
        """The dtype of the layer's weights."""
        return self._variable

    @property
    def compute_dtype(self):
        """The dtype of the layer's computation and outputs."""
        return self._compute

    @property
    def quantization_mode(self):
        """`None`: float policies are not quantized."""
        return None

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<{type(self).__name__} "{self._name}">'


class FloatDTypePolicy(DTypePolicy):
    """Alias of `DTypePolicy` kept for compatibility (a float, non-quantized policy)."""


def global_policy():
    """Returns the global dtype policy (default: `DTypePolicy(floatx())`)."""
    if _GLOBAL[0] is None:
        return DTypePolicy(config.floatx())
    return _GLOBAL[0]


def set_global_policy(policy):
    """Sets the global dtype policy used by layers created afterwards.

    Args:
        policy: A `DTypePolicy` or a policy name such as `"mixed_float16"`; `None` resets it
            to `floatx()`.
    """
    if policy is not None and not isinstance(policy, (DTypePolicy, str)):
        raise ValueError(
            "Invalid `policy` argument. Expected the string name of a policy (such as "
            f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy!r} "
            f"(of type {type(policy)})"
        )
    _GLOBAL[0] = None if policy is None else get(policy)


def serialize(dtype_policy):
    """Returns the Keras config dict of a `DTypePolicy`."""
    return {
        "module": "keras",
        "class_name": type(dtype_policy).__name__,
        "config": dtype_policy.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None):
    """Rebuilds a `DTypePolicy` from `serialize()` output."""
    from unikeras.saving import serialization

    return serialization.deserialize_keras_object(config, custom_objects=custom_objects)


def get(identifier):
    """Returns a `DTypePolicy` from a policy, a name, a config dict, or `None` (global)."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        if "class_name" in identifier:
            return deserialize(identifier)
        return DTypePolicy(identifier.get("name"))
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(dtypes.standardize_dtype(identifier))
    except (TypeError, ValueError):
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an instance of "
            f"DTypePolicy. Received: dtype={identifier!r}"
        ) from None


@global_state.on_clear_session
def _reset_global_policy():
    set_global_policy(None)
