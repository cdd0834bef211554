"""`keras.distribution`: device meshes, tensor layouts and the distributions that place a
model's variables and input batches over them.

The objects here are backend-neutral descriptions. The work (listing devices, building the
engine's mesh and sharding, placing tensors, starting a multi-process job) is done by the
active backend through the contract's optional distribution hooks (`list_devices`,
`initialize_distribution`, `process_info`, `distribute_tensor`, `distribute_variable`,
`distribute_data_input`); a backend that leaves them out raises a `NotImplementedError`
naming the backend and the missing hook.
"""

import collections.abc
import contextlib
import math
import os
import re
import threading
import warnings

import numpy as np

from unikeras.backend import global_state, registry
from unikeras.backend import api as _backend_api
from unikeras.backend import variable as _backend_variable

DEFAULT_BATCH_DIM_NAME = "batch"

_STATE = threading.local()


def _hook(name, what):
    """The active backend's optional distribution hook `name`, or a clear error."""
    implementation = registry.optional_hook(name)
    if implementation is None:
        raise NotImplementedError(
            f"{what} is not supported by the unikeras backend {registry.backend()!r}: it does "
            f"not implement the distribution hook `{name}`. `keras.distribution` runs on the "
            "'jax' and 'torch' backends (DataParallel and ModelParallel), and on "
            "'tensorflow' (DataParallel): install `unikeras-jax`, `unikeras-torch` or `unikeras-tf` and set "
            "UNIKERAS_BACKEND."
        )
    return implementation


def list_devices(device_type=None):
    """Returns all the available devices of one type.

    In a multi-process setting, the global devices are returned.

    Args:
        device_type: `"cpu"`, `"gpu"` or `"tpu"`. Defaults to `"gpu"` or `"tpu"` when
            available, else `"cpu"`.

    Returns:
        A list of strings `"<device_type>:<id>"`, e.g. `["gpu:0", "gpu:1"]`.
    """
    if device_type is not None:
        device_type = str(device_type).lower()
        if device_type not in ("cpu", "gpu", "tpu"):
            raise ValueError(
                "`keras.distribution.list_devices`: `device_type` must be one of 'cpu', "
                f"'gpu', 'tpu' or None. Received: device_type={device_type!r}"
            )
    return list(_hook("list_devices", "`keras.distribution.list_devices`")(device_type))


def get_device_count(device_type=None):
    """Returns the number of available devices of one type (see `list_devices`).

    Args:
        device_type: `"cpu"`, `"gpu"` or `"tpu"`; defaults as in `list_devices`.

    Returns:
        The number of devices (an int).
    """
    return len(list_devices(device_type))


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Initializes the backend's runtime for a multi-host / multi-process run.

    Call it before any computation. Arguments left as `None` are read from the environment
    variables `KERAS_DISTRIBUTION_JOB_ADDRESSES`, `KERAS_DISTRIBUTION_NUM_PROCESSES` and
    `KERAS_DISTRIBUTION_PROCESS_ID`.

    Args:
        job_addresses: Comma-separated addresses of all the jobs of the cluster; on JAX only
            the first one (the coordinator, process 0) is needed.
        num_processes: int, the number of processes of the cluster.
        process_id: int in `[0, num_processes)`, the index of this process (0 is the
            coordinator).
    """
    env = os.environ
    if job_addresses is None and "KERAS_DISTRIBUTION_JOB_ADDRESSES" in env:
        job_addresses = env["KERAS_DISTRIBUTION_JOB_ADDRESSES"]
    if num_processes is None and "KERAS_DISTRIBUTION_NUM_PROCESSES" in env:
        num_processes = int(env["KERAS_DISTRIBUTION_NUM_PROCESSES"])
    if process_id is None and "KERAS_DISTRIBUTION_PROCESS_ID" in env:
        process_id = int(env["KERAS_DISTRIBUTION_PROCESS_ID"])
    if num_processes is not None and process_id is not None and not 0 <= process_id < num_processes:
        raise ValueError(
            "`keras.distribution.initialize`: `process_id` must be in [0, num_processes). "
            f"Received: process_id={process_id}, num_processes={num_processes}"
        )
    _hook("initialize_distribution", "`keras.distribution.initialize`")(
        job_addresses, num_processes, process_id
    )


class DeviceMesh:
    """A cluster of computation devices for distributed computation (aligned with
    `jax.sharding.Mesh`).

    Args:
        shape: Tuple or list of ints, the shape of the mesh, e.g. `(8,)` for data parallel
            only, or `(2, 4)` for data + model parallel.
        axis_names: List of strings, the logical name of each mesh axis (as many as the
            mesh has dimensions); `TensorLayout`s refer to them.
        devices: Optional list (or array) of devices. Defaults to all the available devices
            from `keras.distribution.list_devices()`.
    """

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError(
                "DeviceMesh: `shape` and `axis_names` cannot be empty. Received: "
                f"shape={shape}, axis_names={axis_names}"
            )
        if len(shape) != len(axis_names):
            raise ValueError(
                "DeviceMesh: `shape` and `axis_names` should have the same size. Received: "
                f"shape={shape}, axis_names={axis_names}"
            )
        if devices is None:
            devices = list_devices()
        devices = np.array(devices)
        if math.prod(shape) != devices.size:
            raise ValueError(
                "DeviceMesh: `shape` does not match the number of devices. Received: "
                f"shape={shape}; devices.shape={devices.shape}"
            )
        self._shape = shape
        self._axis_names = axis_names
        self._devices = np.reshape(devices, shape)

    @property
    def shape(self):
        """The mesh's shape: the number of devices along each axis."""
        return self._shape

    @property
    def axis_names(self):
        """The names of the mesh's axes (e.g. `["batch", "model"]`)."""
        return self._axis_names

    @property
    def devices(self):
        """The devices, as an array of the mesh's shape."""
        return self._devices

    def __repr__(self):
        return f"<{type(self).__name__} shape={self.shape}, axis_names={self.axis_names}>"

    __str__ = __repr__


class TensorLayout:
    """How a tensor is split over a `DeviceMesh` (aligned with
    `jax.sharding.NamedSharding`).

    Args:
        axes: Tuple of mesh axis names, one per tensor dimension; `None` for a dimension
            that is not split.
        device_mesh: Optional `DeviceMesh`; until it is set, the layout is abstract (a
            `LayoutMap` sets it to its own mesh).
    """

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def axes(self):
        """The mesh axis (or None: replicated) of each tensor axis."""
        return self._axes

    @property
    def device_mesh(self):
        """The device mesh of the layout (None until it is set)."""
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        if self._device_mesh is not None:
            raise ValueError(
                "TensorLayout: cannot override `device_mesh` once it is set. Existing: "
                f"{self._device_mesh}, new: {device_mesh}"
            )
        self._device_mesh = device_mesh
        self._validate_axes()

    def _validate_axes(self):
        if self._device_mesh is not None:
            valid = set(self._device_mesh.axis_names)
            names = set(self._axes) - {None}
            if names - valid:
                raise ValueError(
                    f"TensorLayout: invalid axis names. Valid axis names: {valid}, "
                    f"received: {names}"
                )

    def __repr__(self):
        return f"<{type(self).__name__} axes={self.axes}, device_mesh={self.device_mesh}>"

    __str__ = __repr__


class Distribution:
    """Base class of the distributions: places the model's variables and the input data
    over a `DeviceMesh`.

    Args:
        device_mesh: A `DeviceMesh`.
        batch_dim_name: Optional string, the mesh axis the batch dimension is split over.
        auto_shard_dataset: Whether each process reads only its shard of the dataset in a
            multi-process run. Defaults to `True`.
    """

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        info = registry.optional_hook("process_info")
        self._num_processes, self._process_id = info() if info is not None else (1, 0)
        self._is_multi_process = self._num_processes > 1

    @property
    def num_processes(self):
        """Total number of processes in the cluster."""
        return self._num_processes

    @property
    def num_model_replicas(self):
        """The number of model replicas (data-parallel groups)."""
        raise NotImplementedError

    @property
    def data_shard_id(self):
        """The index of the data shard this process reads."""
        replicas = self.num_model_replicas
        if replicas >= self.num_processes:
            return self._process_id
        return self._process_id // (self.num_processes // replicas)

    def get_data_layout(self, data_shape):
        """The `TensorLayout` of an input batch of shape `data_shape`."""
        raise NotImplementedError

    def get_variable_layout(self, variable):
        """The `TensorLayout` of `variable`."""
        raise NotImplementedError

    def get_tensor_layout(self, path):
        """The `TensorLayout` of the intermediate tensor at `path`, or `None`."""
        raise NotImplementedError

    @contextlib.contextmanager
    def scope(self):
        """Context manager making this distribution the current one."""
        original = distribution()
        set_distribution(self)
        try:
            yield
        finally:
            set_distribution(original)

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self):
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, auto_shard_dataset):
        self._auto_shard_dataset = auto_shard_dataset

    def distribute_dataset(self, dataset):
        """The part of `dataset` this process reads: `dataset` itself in a single-process
        run (or with `auto_shard_dataset=False`); a `tf.data.Dataset` is sharded by
        `data_shard_id` in a multi-process run."""
        if not self._is_multi_process or not self.auto_shard_dataset:
            return dataset
        if type(dataset).__module__.startswith("tensorflow") and hasattr(dataset, "shard"):
            shards = (
                self.num_model_replicas
                if self.num_model_replicas < self.num_processes
                else self.num_processes
            )
            return dataset.shard(shards, self.data_shard_id)
        raise ValueError(
            f"{type(self).__name__}: only `tf.data.Dataset` is auto-sharded over processes. "
            f"Received: {type(dataset)}. Shard the data yourself and pass "
            "`auto_shard_dataset=False`."
        )

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"

    __str__ = __repr__


class DataParallel(Distribution):
    """Data-parallel distribution: variables are replicated on every device and each
    input batch is split over the devices along its first dimension.

    Give either a 1D `device_mesh` or a list of `devices` (not both); with neither, all
    the devices of `keras.distribution.list_devices()` form a 1D mesh.

    Args:
        device_mesh: Optional `DeviceMesh`. With several axes, the first one is the data
            axis (and a warning is raised).
        devices: Optional list of devices.
        auto_shard_dataset: Whether each process reads only its shard of the dataset in a
            multi-process run. Defaults to `True`.
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(
                    "DataParallel: expected `device_mesh` to be a `DeviceMesh`. Received: "
                    f"device_mesh={device_mesh} (of type {type(device_mesh)})"
                )
            super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)
            if device_mesh.devices.ndim != 1:
                warnings.warn(
                    "DataParallel: expected a 1D device mesh, received one with "
                    f"{device_mesh.devices.ndim} dimensions. The first axis is used for "
                    "data-parallel sharding.",
                    stacklevel=2,
                )
            return
        devices = np.array(devices if devices is not None and len(devices) else list_devices())
        mesh = DeviceMesh(shape=devices.shape, axis_names=[DEFAULT_BATCH_DIM_NAME], devices=devices)
        super().__init__(mesh, DEFAULT_BATCH_DIM_NAME, auto_shard_dataset)

    @property
    def num_model_replicas(self):
        return self.device_mesh.devices.size

    def get_data_layout(self, data_shape):
        return _batch_layout(self, data_shape)

    def get_variable_layout(self, variable):
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path):
        return None  # data parallelism leaves intermediate tensors alone


class ModelParallel(Distribution):
    """Distribution that shards variables (by a `LayoutMap`) as well as the input data.

    ```python
    mesh = DeviceMesh((2, 4), ("batch", "model"), devices=list_devices())
    layout_map = LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map[".*dense.*bias"] = ("model",)
    distribution = ModelParallel(layout_map=layout_map, batch_dim_name="batch")
    ```

    Variables that no key of the layout map matches are replicated. List a model's
    variable paths (`[v.path for v in model.variables]`) to write the keys.

    Args:
        layout_map: `LayoutMap` from variable paths to their `TensorLayout`; its
            `device_mesh` is the distribution's mesh.
        batch_dim_name: Optional string, the mesh axis input batches are split over.
            Defaults to the mesh's first axis.
        auto_shard_dataset: Whether each process reads only its shard of the dataset in a
            multi-process run. Defaults to `True`.
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True, **kwargs):
        kwargs.pop("device_mesh", None)  # accepted for compatibility: the map's mesh wins
        if kwargs:
            raise TypeError(f"ModelParallel: unexpected arguments {sorted(kwargs)}")
        if layout_map is None:
            raise ValueError("ModelParallel: you must specify a `layout_map` argument.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(
                "ModelParallel: argument `layout_map` must be a `LayoutMap` instance. "
                f"Received: layout_map={layout_map}"
            )
        mesh = layout_map.device_mesh
        batch_dim_name = batch_dim_name or mesh.axis_names[0]
        if batch_dim_name not in mesh.axis_names:
            raise ValueError(
                f"ModelParallel: `batch_dim_name` {batch_dim_name!r} is not an axis of the "
                f"device mesh (axis_names={mesh.axis_names})."
            )
        super().__init__(mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map
        if (
            self._is_multi_process
            and self.num_processes > self.num_model_replicas
            and self.num_processes % self.num_model_replicas != 0
        ):
            raise ValueError(
                "ModelParallel: if `num_processes` is greater than `num_model_replicas`, "
                "`num_processes` must be divisible by `num_model_replicas`. Got "
                f"num_processes={self.num_processes}, "
                f"num_model_replicas={self.num_model_replicas}."
            )

    @property
    def num_model_replicas(self):
        index = list(self.device_mesh.axis_names).index(self.batch_dim_name)
        return self.device_mesh.shape[index]

    def get_data_layout(self, data_shape):
        return _batch_layout(self, data_shape)

    def get_variable_layout(self, variable):
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        layout = self._layout_map[variable.path]
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path):
        return self._layout_map[path]


def _batch_layout(distribution_, data_shape):
    axes = [None] * len(data_shape)
    if axes:
        axes[0] = distribution_.batch_dim_name
    return TensorLayout(axes, distribution_.device_mesh)


class LayoutMap(collections.abc.MutableMapping):
    """A dict-like map from variable paths to `TensorLayout`s whose keys are regexes.

    Looking up a path returns the layout of the key equal to it, else of the one key that
    fully matches it as a regex (`ValueError` if several do), else `None`. Tuples of axis
    names are accepted as values and become `TensorLayout`s on the map's mesh.

    ```python
    layout_map = LayoutMap(device_mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map[".*dense.*bias"] = ("model",)
    layout_map["dense_1/kernel"]       # the (None, "model") layout
    layout_map["my_model/conv3d/bias"]  # None
    ```

    Args:
        device_mesh: The `keras.distribution.DeviceMesh` of the layouts.
    """

    def __init__(self, device_mesh):
        self._layout_map = collections.OrderedDict()
        self._device_mesh = device_mesh

    def __getitem__(self, key):
        """The layout for `key` (exact key, else the single fully matching regex key),
        or `None`."""
        if key in self._layout_map:
            return self._layout_map[key]
        matches = [pattern for pattern in self._layout_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(
                f"LayoutMap: path {key!r} matches multiple layout specification keys: "
                f"{matches}. Make sure each tensor/variable path matches at most one key."
            )
        return self._layout_map[matches[0]] if matches else None

    def __setitem__(self, key, layout):
        if key in self._layout_map:
            raise ValueError(
                f"LayoutMap: {key!r} already exists with value {self._layout_map[key]}. "
                "Do not use duplicated keys."
            )
        if isinstance(layout, (tuple, list)):
            layout = TensorLayout(axes=layout, device_mesh=None)
        if not isinstance(layout, TensorLayout):
            raise ValueError(
                f"LayoutMap: {layout} should be a TensorLayout (or a tuple of axis names), "
                f"got {type(layout)}"
            )
        if layout.device_mesh is None and self.device_mesh is not None:
            layout.device_mesh = self.device_mesh
        self._layout_map[key] = layout

    def __delitem__(self, key):
        return self._layout_map.pop(key)

    def __len__(self):
        return len(self._layout_map)

    def __iter__(self):
        return iter(self._layout_map)

    @property
    def device_mesh(self):
        """The device mesh the layouts refer to."""
        return self._device_mesh


LayoutMap.get.__doc__ = LayoutMap.__getitem__.__doc__


def distribute_tensor(tensor, layout):
    """Changes the layout of a tensor (inside a jitted function: a sharding constraint).

    Args:
        tensor: A tensor (a symbolic `KerasTensor` is returned unchanged).
        layout: The `TensorLayout` to apply.

    Returns:
        A new value with the given layout.
    """
    from unikeras.backend.keras_tensor import KerasTensor

    if isinstance(tensor, KerasTensor):
        return tensor
    return _hook("distribute_tensor", "`keras.distribution.distribute_tensor`")(tensor, layout)


def distribution():
    """Returns the current distribution (or `None`).

    Returns:
        The active `keras.distribution.Distribution`, or `None`.
    """
    return getattr(_STATE, "distribution", None)


def set_distribution(value):
    """Sets the global distribution.

    Args:
        value: A `Distribution` instance, or `None` to remove it.
    """
    if value is not None:
        if not isinstance(value, Distribution):
            raise ValueError(
                "`keras.distribution.set_distribution` expects a `Distribution` (e.g. "
                f"`DataParallel`, `ModelParallel`) or None. Received: {value!r}"
            )
        for name in ("distribute_variable", "distribute_data_input"):
            _hook(name, "`keras.distribution.set_distribution`")
    _STATE.distribution = value


# --- used by the core and the backends --------------------------------------------------


def _place_variable(variable, value):
    """`value` (a new Variable's initial tensor) placed with the variable's layout."""
    current = distribution()
    layout = variable._layout
    if layout is None:
        layout = current.get_variable_layout(variable)
        variable._layout = layout
    if isinstance(layout, (tuple, list)):
        if current is None:
            raise ValueError(
                f"Variable {variable.path!r}: a layout given as axis names {layout} needs "
                "an active distribution for its device mesh."
            )
        layout = TensorLayout(layout, current.device_mesh)
        variable._layout = layout
    if isinstance(layout, TensorLayout) and layout.device_mesh is None:
        if current is None:
            raise ValueError(
                f"Variable {variable.path!r}: its TensorLayout has no device mesh and no "
                "distribution is active."
            )
        layout.device_mesh = current.device_mesh
    if isinstance(layout, TensorLayout) and len(layout.axes) != len(variable.shape):
        raise ValueError(
            f"Variable {variable.path!r}: layout axes {layout.axes} do not match the "
            f"variable's rank {len(variable.shape)} (shape {variable.shape})."
        )
    if isinstance(layout, TensorLayout):
        mesh = layout.device_mesh
        sizes = dict(zip(mesh.axis_names, mesh.shape))
        for dim, axis in zip(variable.shape, layout.axes):
            names = axis if isinstance(axis, (tuple, list)) else (axis,)
            split = math.prod(sizes.get(name, 1) for name in names if name is not None)
            if dim % split:
                raise ValueError(
                    f"Variable {variable.path!r} of shape {tuple(variable.shape)} cannot "
                    f"take the layout axes {layout.axes}: a dimension of size {dim} does "
                    f"not split evenly over mesh axis {axis!r} of size {split}."
                )
    return _hook("distribute_variable", "Creating a Variable under a distribution")(value, layout)


def _distribute_data(batch):
    """An input batch placed over the current distribution's mesh (each leaf split along
    its first axis); the batch unchanged when no distribution is active."""
    current = distribution()
    if current is None:
        return batch
    from unikeras import tree

    place = _hook("distribute_data_input", "Sharding input data")

    def one(leaf):
        if leaf is None or not hasattr(leaf, "shape") or len(leaf.shape) == 0:
            return leaf
        return place(leaf, current.get_data_layout(leaf.shape), current.batch_dim_name)

    return tree.map_structure(one, batch)


@global_state.on_clear_session
def _reset_distribution():
    _STATE.distribution = None  # as Keras: the distribution is session state


def _placed_value(variable, value):
    if variable._layout is None and distribution() is None:
        return value
    return _place_variable(variable, value)


_backend_variable.set_variable_placement(_placed_value)
_backend_api.provide("distribute_data", _distribute_data)  # for backend plugins
