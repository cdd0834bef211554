"""`keras.dtype_policies`: a layer's variable dtype and compute dtype."""

from unikeras.backend import config, dtypes

_GLOBAL = [None]


class DTypePolicy:
    """The dtypes a layer uses.

    Args:
        name: `"float32"` (or any float dtype: variables and computation in it),
            `"mixed_float16"` / `"mixed_bfloat16"` (float32 variables, 16-bit computation),
            or `None` for the global policy.
    """

    def __init__(self, name=None):
        if name is None:
            name = global_policy().name
        if isinstance(name, DTypePolicy):
            name = name.name
        if name == "mixed_float16":
            self._variable, self._compute = "float32", "float16"
        elif name == "mixed_bfloat16":
            self._variable, self._compute = "float32", "bfloat16"
        else:
            try:
                dtype = dtypes.standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"Cannot interpret {name!r} as a dtype policy. Expected a dtype name, "
                    "'mixed_float16' or 'mixed_bfloat16'."
                ) from None
            self._variable = self._compute = dtype
            name = dtype
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def variable_dtype(self):
        return self._variable

    @property
    def compute_dtype(self):
        return self._compute

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
        return f'<DTypePolicy "{self._name}">'


def global_policy():
    """Returns the global dtype policy (default: `floatx()`)."""
    if _GLOBAL[0] is None:
        return DTypePolicy(config.floatx())
    return _GLOBAL[0]


def set_global_policy(policy):
    """Sets the global dtype policy, e.g. `"mixed_float16"`; `None` resets it."""
    _GLOBAL[0] = None if policy is None else get(policy)


def get(identifier):
    """Returns a `DTypePolicy` from a policy, a name, a config dict, or `None` (global)."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy(identifier.get("config", identifier).get("name"))
    return DTypePolicy(identifier)
