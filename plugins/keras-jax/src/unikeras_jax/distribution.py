"""`keras.distribution` on JAX: `jax.sharding.Mesh` / `NamedSharding` placement and
`jax.distributed` for multi-process runs.

A `DeviceMesh` becomes a `jax.sharding.Mesh` of the named devices and a `TensorLayout` a
`NamedSharding` with the layout's axes as its `PartitionSpec` (both cached on the unikeras
object). Variables created under a distribution are `jax.device_put` with their layout's
sharding, input batches with the data layout's sharding (built from each process' local
part with `jax.make_array_from_process_local_data` in a multi-process run), and the jitted
train/eval/predict steps keep the variables' shardings on the state they return
(`keep_shardings`), so XLA's SPMD partitioner does the rest.
"""

import jax
import numpy as np

from unikeras.backend.api import distribute_data, hookimpl


def _device_type(device):
    return "gpu" if device.platform in ("gpu", "cuda", "rocm") else device.platform


@hookimpl
def list_devices(device_type):
    if device_type is None:
        devices = jax.devices()
    else:
        try:
            devices = jax.devices(device_type)
        except RuntimeError:
            return []
    return [f"{_device_type(d)}:{d.id}" for d in devices]


@hookimpl
def initialize_distribution(job_addresses, num_processes, process_id):
    coordinator = job_addresses.split(",")[0].strip() if job_addresses else None
    jax.distributed.initialize(
        coordinator_address=coordinator, num_processes=num_processes, process_id=process_id
    )


@hookimpl
def process_info():
    return jax.process_count(), jax.process_index()


def _to_device(name):
    """A `jax.Device` from a unikeras device name (`"cpu:3"`), or the device itself."""
    if not isinstance(name, str):
        return name
    kind, _, index = name.partition(":")
    index = int(index or 0)
    for device in jax.devices(kind):
        if device.id == index:
            return device
    raise ValueError(
        f"keras.distribution: no JAX device named {name!r}; available: "
        f"{[f'{_device_type(d)}:{d.id}' for d in jax.devices()]}"
    )


def backend_mesh(device_mesh):
    """The `jax.sharding.Mesh` of a `keras.distribution.DeviceMesh` (cached on it)."""
    mesh = getattr(device_mesh, "_jax_mesh", None)
    if mesh is None:
        devices = np.vectorize(_to_device, otypes=[object])(device_mesh.devices)
        mesh = jax.sharding.Mesh(devices, tuple(device_mesh.axis_names))
        device_mesh._jax_mesh = mesh
    return mesh


def backend_layout(layout):
    """The `jax.sharding.NamedSharding` of a `TensorLayout` (a JAX `Sharding` passes)."""
    if isinstance(layout, jax.sharding.Sharding):
        return layout
    if layout.device_mesh is None:
        raise ValueError(
            f"keras.distribution: cannot create a sharding for {layout}: its device mesh "
            "is not set (put it in a LayoutMap or give `device_mesh=`)."
        )
    sharding = getattr(layout, "_jax_sharding", None)
    if sharding is None:
        sharding = jax.sharding.NamedSharding(
            backend_mesh(layout.device_mesh), jax.sharding.PartitionSpec(*layout.axes)
        )
        layout._jax_sharding = sharding
    return sharding


def _place(tensor, sharding):
    if isinstance(tensor, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(tensor, sharding)
    if isinstance(tensor, jax.Array) and tensor.sharding.is_equivalent_to(sharding, tensor.ndim):
        return tensor
    return jax.device_put(tensor, sharding)


@hookimpl
def distribute_tensor(tensor, layout):
    return _place(tensor, backend_layout(layout))


@hookimpl
def distribute_variable(value, layout):
    return _place(value, backend_layout(layout))


@hookimpl
def distribute_data_input(batch, layout, batch_dim_name):
    sharding = backend_layout(layout)
    mesh = sharding.mesh
    if jax.process_count() > 1:
        local = np.asarray(batch) if not isinstance(batch, jax.Array) else batch
        return jax.make_array_from_process_local_data(sharding, local)
    split = mesh.shape[batch_dim_name] if batch_dim_name in mesh.shape else 1
    if batch.shape[0] % split:
        # A last, smaller batch that does not split evenly: replicate it instead.
        sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())
    return _place(batch, sharding)


def active():
    """Whether a `keras.distribution` distribution is set."""
    from unikeras import distribution as distribution_lib  # the public `keras.distribution`

    return distribution_lib.distribution() is not None


def shard_batch(data):
    """An input batch of a train/eval/predict step sharded over the batch axis."""
    return distribute_data(data)


def keep_shardings(values, shardings):
    """Inside a traced step: `values` constrained to `shardings` (`None` entries left free)."""
    return [
        value if sharding is None else jax.lax.with_sharding_constraint(value, sharding)
        for value, sharding in zip(values, shardings)
    ]


def shardings_of(values):
    """The `NamedSharding` of each array of `values` (else `None`)."""
    return [
        v.sharding if isinstance(getattr(v, "sharding", None), jax.sharding.NamedSharding) else None
        for v in values
    ]
