"""`keras.dtype_policies`: a layer's variable dtype and compute dtype.

`"mixed_float16"` and `"mixed_bfloat16"` keep variables in float32 and compute in 16 bits:
layers cast floating inputs to the compute dtype and read their autocast variables in it
(see `unikeras.backend.variable.AutocastScope`).
"""

import re

from unikeras.backend import config, dtypes, global_state

_QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")
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
            name = _global_policy().name
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
        """Returns the policy's config: `{"name": ...}`."""
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        """Creates a policy from its config (the output of `get_config`)."""
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<{type(self).__name__} "{self._name}">'


class FloatDTypePolicy(DTypePolicy):
    """Alias of `DTypePolicy` kept for compatibility (a float, non-quantized policy)."""


class QuantizedDTypePolicy(DTypePolicy):
    """Policy of a quantized layer: weights stored in the quantized form of `mode`, the
    rest of the layer (and its outputs) in the float policy `source_name`.

    Args:
        mode: `"int8"`, `"int4"`, `"float8"`, `"gptq"` or `"awq"`.
        source_name: The float policy the layer had before quantization (default: the
            global policy).
    """

    def __init__(self, mode, source_name=None):
        if source_name is None:
            source_name = _global_policy().name
        source = DTypePolicy(source_name)
        self._variable, self._compute = source.variable_dtype, source.compute_dtype
        if mode not in _QUANTIZATION_MODES:
            raise ValueError(
                f"Invalid quantization mode. Expected one of {_QUANTIZATION_MODES}. "
                f"Received: mode={mode}"
            )
        if self._compute == "float16" and mode == "int8":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'."
            )
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    @property
    def quantization_mode(self):
        """The quantization mode (`"int8"`, `"int4"`, ...)."""
        return self._quantization_mode

    def get_config(self):
        """Returns the policy's config: the quantization mode and source policy name."""
        return {"mode": self._quantization_mode, "source_name": self._source_name}

    def __eq__(self, other):
        return type(other) is type(self) and other.get_config() == self.get_config()

    def __hash__(self):
        return hash(self._name)


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """Policy of a float8-trained layer, with the length of its amax histories.

    Args:
        mode: `"float8"`.
        source_name: The float source policy.
        amax_history_length: Length of the scaling histories (default 1024).
    """

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int):
            raise TypeError(
                "`amax_history_length` must be an integer. "
                f"Received: amax_history_length={amax_history_length}"
            )
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self):
        """The length of the amax history window used to compute float8 scales."""
        return self._amax_history_length

    def get_config(self):
        """Returns the policy's config, with the amax history length."""
        config = super().get_config()
        config["amax_history_length"] = self._amax_history_length
        return config


def _mode_ints(cls_name, mode, base, fmt):
    parts = mode.split("/")
    if len(parts) != fmt.count("/") + 1 or parts[0] != base:
        raise ValueError(f"Invalid mode for {cls_name}. Expected format '{fmt}', but got '{mode}'.")
    try:
        return [int(p) for p in parts[1:]]
    except ValueError:
        raise ValueError(
            f"Invalid mode for {cls_name}. Expected format '{fmt}' with integers, but got '{mode}'."
        ) from None


def _check_group(value, mode, what):
    if value < -1 or value == 0:
        raise ValueError(
            f"Invalid {what} in mode. Supported values are -1 or a positive integer, "
            f"but got {value} from '{mode}'."
        )


class Int4DTypePolicy(QuantizedDTypePolicy):
    """Policy of an int4-quantized layer with its block size.

    Args:
        mode: `"int4/<block_size>"`: `-1` per channel, a positive int for groups of that
            many input rows.
        source_name: The float source policy.
    """

    def __init__(self, mode, source_name=None):
        (block_size,) = _mode_ints("Int4DTypePolicy", mode, "int4", "int4/<block_size>")
        _check_group(block_size, mode, "block_size")
        super().__init__(mode="int4", source_name=source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def get_config(self):
        """Returns the policy's config, with the int4 block size."""
        return {"mode": f"int4/{self.block_size}", "source_name": self._source_name}


class GPTQDTypePolicy(QuantizedDTypePolicy):
    """Policy of a GPTQ-quantized layer.

    Args:
        mode: `"gptq/<weight_bits>/<group_size>"` (bits 2, 3, 4 or 8; group -1 or > 0).
        source_name: The float source policy.
    """

    _base = "gptq"
    _bits = (2, 3, 4, 8)

    def __init__(self, mode, source_name=None):
        cls_name = type(self).__name__
        fmt = f"{self._base}/<weight_bits>/<group_size>"
        weight_bits, group_size = _mode_ints(cls_name, mode, self._base, fmt)
        if weight_bits not in self._bits:
            raise ValueError(
                f"Invalid weight_bits in mode. Supported values are {self._bits}, "
                f"but got {weight_bits} from '{mode}'."
            )
        _check_group(group_size, mode, "group_size")
        super().__init__(mode=self._base, source_name=source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode = self._base
        self.weight_bits = weight_bits
        self.group_size = group_size

    def get_config(self):
        """Returns the policy's config, with the GPTQ weight bits and group size."""
        return {
            "mode": f"{self._base}/{self.weight_bits}/{self.group_size}",
            "source_name": self._source_name,
        }


class AWQDTypePolicy(GPTQDTypePolicy):
    """Policy of an AWQ-quantized layer.

    Args:
        mode: `"awq/4/<group_size>"`.
        source_name: The float source policy.
    """

    _base = "awq"
    _bits = (4,)


def _quantized_policy_from_name(name):
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError(
            "Cannot convert `policy` into a valid pair (`mode`, `source_name`) to "
            f"instantiate `QuantizedDTypePolicy`. Received: policy={name}"
        )
    mode, source = parts
    if mode.startswith("int4") and "/" in mode:
        return Int4DTypePolicy(mode, source)
    if mode.startswith("gptq"):
        return GPTQDTypePolicy(mode, source)
    if mode.startswith("awq"):
        return AWQDTypePolicy(mode, source)
    if mode.startswith("float8"):
        return QuantizedFloat8DTypePolicy(mode, source)
    return QuantizedDTypePolicy(mode, source)


class DTypePolicyMap(DTypePolicy):
    """A mapping from layer paths to dtype policies, with a default policy.

    A key matches a path exactly, or else as a regular expression (`re.fullmatch`); a path
    matching several patterns raises an error, one matching none gets `default_policy`.

    Args:
        default_policy: Policy of unmatched paths (default: the global policy).
        policy_map: Optional dict of path (or pattern) to policy.
    """

    def __init__(self, default_policy=None, policy_map=None):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(
                "If specified, `policy_map` must be a dict. "
                f"Received: policy_map={policy_map} of type {type(policy_map)}"
            )
        self._default_policy_arg = default_policy
        self._default_policy = get(default_policy)
        self._policy_map = {k: get(v) for k, v in (policy_map or {}).items()}
        self._entries = {}  # path -> its policy, resolved once (cleared when the map changes)

    @property
    def name(self):
        return f"map_{self.default_policy.name}"

    @property
    def default_policy(self):
        """The policy of paths no key matches."""
        return self._default_policy

    @property
    def variable_dtype(self):
        return self.default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.default_policy.compute_dtype

    @property
    def quantization_mode(self):
        return self.default_policy.quantization_mode

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [p for p in self._policy_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple dtype policy specification keys: {matches}. "
                "Please make sure each path only matches at most one dtype policy "
                "specification key in the DTypePolicyMap."
            )
        if matches:
            return self._policy_map[matches[0]]
        return self.default_policy

    def __setitem__(self, key, policy):
        if key in self._policy_map:
            raise ValueError(
                f"{key} already exist in the DTypePolicyMap with value "
                f"{self._policy_map[key]}. Please make sure to not use duplicated keys."
            )
        try:
            policy = get(policy)
        except Exception:
            raise ValueError(
                "Cannot interpret the assigned value by `keras.dtype_policies.get`. "
                f"Received: {policy} of type {type(policy)}"
            ) from None
        self._policy_map[key] = policy
        self._entries.clear()

    def __delitem__(self, key):
        self._entries.clear()
        return self._policy_map.pop(key)

    def _entry(self, path):
        """The policy of a layer at `path` (the map's defaults without a path): `self[path]`,
        resolved once per path until the map changes (layers read it on every call)."""
        if not path:
            return self
        policy = self._entries.get(path)
        if policy is None:
            policy = self._entries[path] = self[path]
        return policy

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def keys(self):
        """The keys (paths or patterns) of the map."""
        return self._policy_map.keys()

    def values(self):
        """The policies of the map."""
        return self._policy_map.values()

    def items(self):
        """`(key, policy)` pairs."""
        return self._policy_map.items()

    def get_config(self):
        """Returns the map's config: the default policy and the policy of each layer path."""
        default = self._default_policy_arg
        if isinstance(default, DTypePolicy):
            default = serialize(default)
        return {
            "default_policy": default,
            "policy_map": {k: serialize(v) for k, v in self._policy_map.items()},
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates a map from its config (the output of `get_config`)."""
        config = dict(config)
        policy_map = config.get("policy_map") or {}
        if isinstance(policy_map, dict) and policy_map.get("class_name") == "__dict__":
            policy_map = policy_map["config"]
        config["policy_map"] = {
            k: deserialize(v, custom_objects) if isinstance(v, dict) else v
            for k, v in policy_map.items()
        }
        return cls(**config)

    def __eq__(self, other):
        return (
            isinstance(other, DTypePolicyMap)
            and other.default_policy == self.default_policy
            and other._policy_map == self._policy_map
        )

    def __hash__(self):
        return id(self)

    def __repr__(self):
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return (
            f"<DTypePolicyMap at {hex(id(self))} default_policy={self.default_policy.name}, "
            f"mapping={mapping}>"
        )


def _global_policy():
    """Returns the global dtype policy (default: `DTypePolicy(floatx())`).

    Returns:
        A `keras.DTypePolicy`.
    """
    if _GLOBAL[0] is None:
        return DTypePolicy(config.floatx())
    return _GLOBAL[0]


def _set_global_policy(policy):
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
    """Returns the Keras config dict of a `DTypePolicy`.

    Args:
        dtype_policy: A `DTypePolicy`.

    Returns:
        A dict with `"module"`, `"class_name"`, `"config"` and `"registered_name"`.
    """
    plain = type(dtype_policy) in (DTypePolicy, FloatDTypePolicy)
    return {
        "module": "keras" if plain else "keras.dtype_policies",
        "class_name": type(dtype_policy).__name__,
        "config": dtype_policy.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None):
    """Rebuilds a `DTypePolicy` from `serialize()` output.

    Args:
        config: A dict from `serialize`.
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The `DTypePolicy`.
    """
    from unikeras.saving import serialization

    return serialization._deserialize_object(config, custom_objects=custom_objects)


def get(identifier):
    """Returns a `DTypePolicy` from a policy, a name, a config dict, or `None` (global).

    Args:
        identifier: A `DTypePolicy` (returned as is), a policy name such as `"mixed_float16"`, a
            config dict, or `None` (the global policy).

    Returns:
        A `DTypePolicy`.
    """
    if identifier is None:
        return _global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        if "class_name" in identifier:
            return deserialize(identifier)
        return DTypePolicy(identifier.get("name"))
    if isinstance(identifier, str):
        if identifier.startswith(_QUANTIZATION_MODES):
            return _quantized_policy_from_name(identifier)
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
    _set_global_policy(None)
