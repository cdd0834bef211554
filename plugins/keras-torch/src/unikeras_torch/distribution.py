"""`keras.distribution` on PyTorch: `DataParallel` through `torch.distributed`.

One process per device (started with `torchrun`, or with `keras.distribution.initialize`):
`initialize` joins the process group (gloo on CPU, nccl on CUDA). Under `DataParallel`
every variable starts from rank 0's value (a broadcast at creation), each rank reads and
trains on its own shard of the data, and the gradients are averaged over the ranks
(all-reduce) before each optimizer step, as `DistributedDataParallel` does, so every rank
holds the weights single-process training on the global batch would give.

How `fit` shards its data over the `world` ranks (`shard_fit_arguments`):
- arrays (NumPy, torch tensors; `validation_split` is taken first): `batch_size` is the
  global batch; rank `r` reads samples `r, r + world, ...` in batches of
  `batch_size // world`, so step `i` of all ranks together covers the global batch `i`
  (padded by wrapping around to a multiple of `world`, as `DistributedSampler` does);
- a `torch.utils.data.DataLoader` gets a `DistributedSampler` (its `batch_size` is the
  per-rank batch; shuffling follows the loader's, reseeded every epoch);
- generators and `PyDataset`s: rank `r` takes batches `r, r + world, ...` (a global step
  is `world` consecutive batches; an incomplete last group is dropped);
- a `tf.data.Dataset` is `shard`ed by rank.
Validation data is evaluated whole on every rank. Only rank 0 prints the progress bar and,
under `DataParallel`, runs `ModelCheckpoint` callbacks (every rank holds the same weights).

`ModelParallel` (a `LayoutMap`) through `torch.distributed.tensor` (DTensor): a variable
whose layout splits it over mesh axes stores its value as a DTensor on a torch
`DeviceMesh` of the ranks (placements `Shard(dim)` on the mesh axes its layout names,
`Replicate()` on the others; the initial value is scattered from rank 0), so each rank
holds only its shard, and the variable's `value` is that DTensor: the compute runs on the
shards, and no rank holds a whole copy of a sharded variable unless an op needs one (a
kernel split on the batch mesh axis, FSDP-like, is gathered for its matmul). A call of a model with
sharded variables (`sharded_call`, used by `fit`, `evaluate`, `predict` and `model(x)`)
makes its input tensors DTensors (split on the `batch_dim_name` mesh axis, replicated on
the others) and runs its layers as DTensor ops, torch's sharding propagation choosing the
placements and the collectives: a replicated input times a kernel split on its columns
gives an output split alike; that output times a kernel split on its rows gives partial
sums, all-reduced where an op needs the whole value. Plain tensors met on the way
(replicated variables, constants) count as replicated (`implicit_replication`). The
outputs come back as plain tensors (this rank's batch shard, whole on the other axes), so
losses and metrics are plain tensors. The backward pass runs on the shards as well: the
gradient of a sharded variable is a DTensor placed as its storage, and the optimizer
updates each rank's shard in place (the optimizer slots, e.g. Adam moments, are sharded
alike; the fused Adam is skipped for DTensor storage). The step differentiates the sum of
the losses over the batch mesh axis; gradients are divided by its size (the mean).
Sharded models run eagerly (`jit_compile` is ignored for them).

Reading a sharded variable as NumPy (`get_weights`, `numpy()`, saving) all-gathers it,
a collective: every rank calls `save` / `save_weights` (and keeps its `ModelCheckpoint`
callbacks), rank 0 writes the file and the others write a temporary copy they delete. A
single-device `.keras` file loads into a sharded model (each rank keeps its slice of the
saved values) and a sharded model's file loads on one device.

On CUDA, `initialize` joins an `nccl` process group and binds each process to its GPU
(`torch.cuda.set_device(LOCAL_RANK)`, as `torchrun` sets it, else the rank modulo the GPU
count); on CPU it uses `gloo`. A process group joined here is destroyed at interpreter exit
(a gloo group left alive aborts the process while Python tears down).
"""

import atexit
import contextlib
import gc
import os

import torch
import torch.distributed as dist

from unikeras.backend.api import distribute_data, hookimpl


_GLOO_DTYPES = (
    torch.float16,
    torch.bfloat16,
    torch.float32,
    torch.float64,
    torch.int8,
    torch.uint8,
    torch.int32,
    torch.int64,
)


def _world():
    """`(world size, rank)` of the process group, `(1, 0)` without one. A process started
    by `torchrun` (RANK and WORLD_SIZE > 1 in the environment) joins its group here, so
    `keras.distribution.initialize()` is optional under `torchrun`."""
    if not dist.is_available():
        return 1, 0
    if (
        not dist.is_initialized()
        and "RANK" in os.environ
        and int(os.environ.get("WORLD_SIZE", "1")) > 1
        and "MASTER_ADDR" in os.environ
    ):
        initialize_distribution(None, None, None)
    if dist.is_initialized():
        return dist.get_world_size(), dist.get_rank()
    return 1, 0


def _device_type():
    return "gpu" if torch.cuda.is_available() else "cpu"


@hookimpl
def list_devices(device_type):
    kind = device_type or _device_type()
    if kind == "tpu" or (kind == "gpu" and not torch.cuda.is_available()):
        return []
    world, _ = _world()
    if world > 1:  # one device per process
        return [f"{kind}:{i}" for i in range(world)]
    if kind == "gpu":
        return [f"gpu:{i}" for i in range(torch.cuda.device_count())]
    return ["cpu:0"]


@hookimpl
def initialize_distribution(job_addresses, num_processes, process_id):
    if dist.is_initialized():
        return
    if job_addresses:
        host, _, port = job_addresses.split(",")[0].strip().rpartition(":")
        os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = host or "localhost", port
    kwargs = {}
    if num_processes is not None:
        kwargs["world_size"] = num_processes
    if process_id is not None:
        kwargs["rank"] = process_id
    if torch.cuda.is_available():  # one GPU per process: this process' GPU
        rank = process_id if process_id is not None else int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", rank % max(torch.cuda.device_count(), 1)))
        torch.cuda.set_device(local)
    dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo", **kwargs)
    atexit.register(_destroy_process_group)


def _destroy_process_group():
    # A gloo group alive at interpreter exit aborts the process now and then ("terminate
    # called without an active exception"): its worker threads outlive Python. Destroy
    # every group while the interpreter is alive, the cached device meshes' subgroups too
    # (a mesh keeps its group's threads running while referenced).
    _TORCH_MESHES.clear()
    if dist.is_initialized():
        dist.destroy_process_group()
    gc.collect()


@hookimpl
def process_info():
    return _world()


_TORCH_MESHES = {}


def _mesh_ranks(device_mesh):
    """The rank of each device of a `keras.distribution.DeviceMesh` (an int array of the
    mesh's shape): device `"cpu:3"` is rank 3 (one device per process)."""
    import numpy as np

    def rank_of(index, device):
        _, _, number = str(device).rpartition(":")
        return int(number) if number.isdigit() else index

    devices = np.asarray(device_mesh.devices)
    flat = [rank_of(i, d) for i, d in enumerate(devices.reshape(-1))]
    return np.array(flat, dtype=np.int64).reshape(devices.shape)


def _torch_mesh(device_mesh):
    """The `torch.distributed.device_mesh.DeviceMesh` of a Keras `DeviceMesh` (cached)."""
    from torch.distributed.tensor import DeviceMesh

    key = id(device_mesh)
    cached = _TORCH_MESHES.get(key)
    if cached is not None and cached[0] is device_mesh:
        return cached[1]
    world, _ = _world()
    ranks = _mesh_ranks(device_mesh)
    if sorted(ranks.reshape(-1).tolist()) != list(range(world)):
        raise ValueError(
            f"ModelParallel on torch: the device mesh {device_mesh} must hold each of the "
            f"{world} ranks (one device per process, e.g. `keras.distribution.list_devices()`)"
            f"; its devices are {device_mesh.devices.reshape(-1).tolist()}."
        )
    mesh = DeviceMesh(
        "cuda" if torch.cuda.is_available() else "cpu",
        torch.as_tensor(ranks),
        mesh_dim_names=tuple(device_mesh.axis_names),
    )
    _TORCH_MESHES[key] = (device_mesh, mesh)
    return mesh


def _placements(layout):
    """The DTensor placements (one per mesh axis) of a `TensorLayout`, or None when the
    layout splits nothing (every named mesh axis has size 1, or no axis is named)."""
    from torch.distributed.tensor import Replicate, Shard

    mesh = layout.device_mesh
    sizes = dict(zip(mesh.axis_names, mesh.shape))
    dims = {}
    for dim, axis in enumerate(layout.axes):
        for name in axis if isinstance(axis, (tuple, list)) else (axis,):
            if name is None:
                continue
            if name in dims:
                raise ValueError(
                    f"TensorLayout {layout.axes}: mesh axis {name!r} appears on two tensor "
                    "dimensions; a mesh axis can split one dimension only."
                )
            dims[name] = dim
    if not any(sizes[name] > 1 for name in dims):
        return None
    return [Shard(dims[name]) if name in dims else Replicate() for name in mesh.axis_names]


@hookimpl
def distribute_tensor(tensor, layout):
    # Inside a sharded model's call (a DTensor, see the module docstring) the tensor is
    # redistributed to the layout's placements; a plain tensor is left as it is (each
    # rank computes its own value: a placement hint).
    if not SHARDED[0] or not hasattr(tensor, "redistribute") or layout.device_mesh is None:
        return tensor
    from torch.distributed.tensor import Replicate

    mesh = _torch_mesh(layout.device_mesh)
    if tensor.device_mesh is not mesh:
        return tensor
    placements = _placements(layout) or [Replicate()] * mesh.ndim
    if tuple(tensor.placements) == tuple(placements):
        return tensor
    return tensor.redistribute(mesh, placements)


def _wire(value):
    """`value` in a dtype gloo can send (e.g. uint32 seed states travel as int64)."""
    return value.detach().to(value.dtype if value.dtype in _GLOO_DTYPES else torch.int64)


@hookimpl
def distribute_variable(value, layout):
    world, _ = _world()
    placements = _placements(layout)
    if placements is not None and world == 1:
        raise ValueError(
            f"ModelParallel on torch: the layout {layout.axes} splits a variable over the "
            f"mesh {layout.device_mesh}, but this process is alone (torch runs one process "
            "per device): start one process per mesh device, e.g. `torchrun "
            f"--nproc-per-node {layout.device_mesh.devices.size} train.py`."
        )
    if placements is not None:  # sharded storage: scattered from rank 0's value
        from torch.distributed.tensor import distribute_tensor as to_dtensor

        wire = _wire(value).contiguous()
        sharded = to_dtensor(wire, _torch_mesh(layout.device_mesh), placements)
        return sharded if wire.dtype == value.dtype else sharded.to(value.dtype)
    if world > 1:  # every replica starts from rank 0's weights
        buffer = _wire(value).clone()
        dist.broadcast(buffer, src=0)
        value = buffer.to(value.dtype)
    return value


class _ShardedVariable:
    """Methods of a variable whose storage is a DTensor shard (mixed into the backend's
    Variable class by `shard_variable`)."""

    _sharded = True

    def _sharded_value(self):
        storage = self._value
        want = self._wants_grad(storage)
        if storage.requires_grad != want:
            storage.requires_grad_(want)
        return storage

    def _direct_assign(self, value):
        from torch.distributed.tensor import DTensor, distribute_tensor as to_dtensor

        from unikeras_torch.convert import convert_to_tensor

        storage = self._value
        with torch.no_grad():
            if isinstance(value, DTensor):  # computed on the shards (the optimizer step)
                value = value.detach().to(storage.dtype)
                if tuple(value.placements) != tuple(storage.placements):
                    value = value.redistribute(storage.device_mesh, storage.placements)
                local = value.to_local()
            else:  # a full value (set_weights, loading): this rank's slice, no communication
                value = convert_to_tensor(value, dtype=self._dtype).detach()
                local = to_dtensor(
                    value, storage.device_mesh, storage.placements, src_data_rank=None
                ).to_local()
            storage.to_local().copy_(local)

    @property
    def trainable(self):
        return self.__dict__.get("_trainable", True)

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)  # the storage's requires_grad follows on read


_SHARDED_CLASSES = {}
SHARDED = [False]  # whether any variable has DTensor storage (read by the fused optimizers)


def has_sharded_variables(model):
    """Whether `model` has a variable with DTensor storage (`ModelParallel`): its steps
    then run eagerly (DTensor dispatch, not `torch.compile`), and its calls convert their
    inputs and outputs at the model boundary (`sharded_call`).

    Args:
        model: The model whose step functions are being made.
    """
    return SHARDED[0] and any(getattr(v, "_sharded", False) for v in model.variables)


def shard_variable(variable, storage):
    """Makes `variable` (being initialized with the DTensor `storage`) a sharded variable:
    its value is `storage`, a DTensor whose local tensor is this rank's shard.

    Args:
        variable: The backend Variable being initialized.
        storage: The DTensor from `distribute_variable`.
    """
    base = type(variable)
    cls = _SHARDED_CLASSES.get(base)
    if cls is None:
        # `value` is defined on the class itself, so the core wraps it with autocasting.
        cls = type(
            f"Sharded{base.__name__}",
            (_ShardedVariable, base),
            {"value": property(_ShardedVariable._sharded_value), "__module__": __name__},
        )
        _SHARDED_CLASSES[base] = cls
    variable.__class__ = cls
    SHARDED[0] = True
    variable._value = torch.nn.Parameter(storage, requires_grad=False)


class _Boundary:
    depth = 0  # > 0 inside the outermost sharded model call


def _input_placements(mesh):
    """The placements of a model's input batch on the distribution's mesh: split on the
    batch axis (each rank holds its data shard), replicated on the others."""
    from torch.distributed.tensor import Replicate, Shard

    from unikeras import distribution as distribution_lib

    current = distribution_lib.distribution()
    batch = None if current is None else current.batch_dim_name
    sizes = dict(zip(mesh.mesh_dim_names, mesh.shape))
    return [
        Shard(0) if name == batch and sizes[name] > 1 else Replicate()
        for name in mesh.mesh_dim_names
    ]


def _sharded_mesh(model):
    for v in model.variables:
        if getattr(v, "_sharded", False):
            return v._value.device_mesh
    return None


def sharded_call(call, model, args, kwargs):
    """`call(*args, **kwargs)` (a model's `__call__`) computed on the shards of its
    variables: the tensors of the input batch become DTensors (split on the batch mesh
    axis, replicated on the others) and the layers run as DTensor ops (torch's sharding
    propagation: e.g. a replicated input times a kernel split on its columns gives an
    output split alike, with no copy of the whole kernel); the outputs come back as plain
    tensors (this rank's batch shard, whole on the other axes). Plain tensors met inside
    (replicated variables, constants) count as replicated (`implicit_replication`).

    Args:
        call: The model's `__call__` of the core.
        model: The model.
        args: Positional arguments of the call (the first is the inputs).
        kwargs: Keyword arguments of the call.

    Returns:
        The outputs of the call, as plain tensors.
    """
    import numpy as np

    from unikeras.backend.api import KerasTensor, tree

    leaves = tree.flatten(args[0]) if args else []
    if _Boundary.depth or any(isinstance(x, KerasTensor) for x in leaves):
        return call(*args, **kwargs)  # inside a sharded call, or a symbolic (graph) call
    mesh = _sharded_mesh(model)
    if mesh is None and not model.built and args and _model_parallel_world():
        # First call of a model built by its call: build it symbolically (creating its
        # sharded variables) before computing on the shards.
        def symbolic(x):
            if isinstance(x, torch.Tensor):
                return KerasTensor(tuple(x.shape), dtype=str(x.dtype).replace("torch.", ""))
            if isinstance(x, np.ndarray) and x.dtype.kind not in "USO":
                return KerasTensor(x.shape, dtype=str(x.dtype))
            return x

        call(tree.map_structure(symbolic, args[0]), *args[1:], **kwargs)
        mesh = _sharded_mesh(model)
    if mesh is None:
        return call(*args, **kwargs)
    from torch.distributed.tensor import DTensor, Replicate
    from torch.distributed.tensor.experimental import implicit_replication

    placements = _input_placements(mesh)

    def to_dtensor(x):
        if isinstance(x, np.ndarray) and x.dtype.kind not in "USO":
            from unikeras_torch.convert import convert_to_tensor

            x = convert_to_tensor(x)
        if isinstance(x, torch.Tensor) and not isinstance(x, DTensor):
            return DTensor.from_local(x, mesh, placements, run_check=False)
        return x

    def to_plain(y):
        if not isinstance(y, DTensor):
            return y
        want = placements if y.ndim else [Replicate()] * mesh.ndim  # a scalar: replicated
        if tuple(y.placements) != tuple(want):
            y = y.redistribute(mesh, want)
        return y.to_local()

    if args:
        args = (tree.map_structure(to_dtensor, args[0]),) + tuple(args[1:])
    elif "inputs" in kwargs:
        kwargs = dict(kwargs, inputs=tree.map_structure(to_dtensor, kwargs["inputs"]))
    _Boundary.depth += 1
    try:
        with implicit_replication():
            outputs = call(*args, **kwargs)
            return tree.map_structure(to_plain, outputs)
    finally:
        _Boundary.depth -= 1


def _model_parallel_world():
    """Whether a `ModelParallel` distribution is active over several processes."""
    from unikeras import distribution as distribution_lib

    return _world()[0] > 1 and isinstance(
        distribution_lib.distribution(), distribution_lib.ModelParallel
    )


def computing_on_shards():
    """A context in which plain tensors mixed with DTensors count as replicated (the
    gradients and the optimizer step of a sharded model); a null context otherwise."""
    if not SHARDED[0]:
        return contextlib.nullcontext()
    from torch.distributed.tensor.experimental import implicit_replication

    return implicit_replication()


@contextlib.contextmanager
def process_file(filepath):
    """The path this process writes when saving to `filepath`: with sharded variables or
    a `ModelParallel` distribution over several processes every rank saves (reading a
    sharded variable all-gathers it, a collective): rank 0 writes `filepath`, the others a
    temporary file deleted afterwards. `filepath` itself otherwise (then rank 0 alone may
    save, as under `DataParallel`).

    Args:
        filepath: The path given to `save` / `save_weights`.

    Yields:
        The path to write.
    """
    import tempfile

    world, rank = _world()
    if world == 1 or rank == 0 or not (SHARDED[0] or _model_parallel_world()):
        yield filepath
        return
    with tempfile.TemporaryDirectory() as scratch:
        yield os.path.join(scratch, os.path.basename(os.fspath(filepath)))


@hookimpl
def distribute_data_input(batch, layout, batch_dim_name):
    return batch  # each rank's batch is its own shard already (`shard_fit_arguments`)


def shard_batch(data):
    """This rank's slice of a global input batch (the batch itself without a
    distribution)."""
    return distribute_data(data)


def average_gradients(grads, variables=None):
    """`grads` averaged over the ranks (unchanged without a distribution or a process
    group).

    The gradient of a sharded variable (a DTensor, computed on the shards) is placed as
    the variable's storage; a replicated variable's DTensor gradient is gathered whole.
    A step on the shards differentiates the sum of the ranks' losses over the batch mesh
    axis, so its gradients are divided by that axis' size (the mean, as a plain gradient
    all-reduced over the ranks).

    Args:
        grads: The gradients (None where a variable has none).
        variables: The variables, in the order of `grads`.

    Returns:
        The list of averaged gradients.
    """
    from unikeras import distribution as distribution_lib  # the public `keras.distribution`

    world, rank = _world()
    if world == 1 or distribution_lib.distribution() is None:
        return grads
    sharded = SHARDED[0] and variables is not None
    shards = _data_shard(world, rank)[0] if sharded else world
    averaged = []
    for variable, grad in zip(variables or [None] * len(grads), grads):
        if sharded and grad is not None and hasattr(grad, "full_tensor"):  # a DTensor
            if getattr(variable, "_sharded", False):
                storage = variable._value
                if tuple(grad.placements) != tuple(storage.placements):
                    grad = grad.redistribute(storage.device_mesh, storage.placements)
            else:
                grad = grad.full_tensor()
            averaged.append(grad / shards if shards > 1 else grad)
            continue
        if grad is not None:
            grad = grad.detach().clone()
            dist.all_reduce(grad, op=dist.ReduceOp.SUM)
            grad /= world
        averaged.append(grad)
    return averaged


# --- per-rank data for `fit` ------------------------------------------------------------


def _data_parallel_world():
    """`(world, rank)` when a distribution is active over several processes, else None."""
    from unikeras import distribution as distribution_lib

    world, rank = _world()
    if world == 1 or distribution_lib.distribution() is None:
        return None
    return world, rank


def _data_shard(world, rank):
    """`(number of data shards, this rank's shard)`: the size of the distribution's batch
    mesh axis and this rank's coordinate on it (`(world, rank)` under `DataParallel`)."""
    import numpy as np

    from unikeras import distribution as distribution_lib

    current = distribution_lib.distribution()
    if current is None or current.batch_dim_name not in current.device_mesh.axis_names:
        return world, rank
    mesh = current.device_mesh
    axis = list(mesh.axis_names).index(current.batch_dim_name)
    where = np.argwhere(_mesh_ranks(mesh) == rank)
    if not len(where):
        return world, rank
    return int(mesh.shape[axis]), int(where[0][axis])


def _shard_arrays(arrays, world, rank):
    """Rank `rank`'s strided share of array data (padded by wrapping to `world`)."""
    import numpy as np

    from unikeras.backend.api import tree

    leaves = [a for a in tree.flatten(arrays) if a is not None]
    count = len(leaves[0]) if leaves else 0
    indices = np.arange(-(-count // world) * world) % max(count, 1)
    indices = indices[rank::world]

    def one(array):
        if array is None:
            return None
        if isinstance(array, torch.Tensor):
            return array[torch.as_tensor(indices, device=array.device)]
        return np.asarray(array)[indices]

    return tree.map_structure(one, arrays)


def _every_nth(iterable, world, rank):
    """Yields items `rank, rank + world, ...` of `iterable`, dropping an incomplete last
    group of `world` items (every rank makes the same number of steps)."""
    import itertools

    iterator = iter(iterable)
    while True:
        group = list(itertools.islice(iterator, world))
        if len(group) < world:
            return
        yield group[rank]


def _rank_py_dataset(dataset, world, rank):
    """A `PyDataset` of the batches `rank, rank + world, ...` of `dataset`."""
    from unikeras.utils import PyDataset

    class RankPyDataset(PyDataset):
        def __init__(self):
            super().__init__(
                workers=dataset.workers,
                use_multiprocessing=dataset.use_multiprocessing,
                max_queue_size=dataset.max_queue_size,
            )

        @property
        def num_batches(self):
            total = dataset.num_batches
            return None if total is None else total // world

        def __len__(self):
            return self.num_batches

        def __getitem__(self, index):
            return dataset[index * world + rank]

        def on_epoch_begin(self):
            dataset.on_epoch_begin()

        def on_epoch_end(self):
            dataset.on_epoch_end()

    return RankPyDataset()


def _distributed_loader(loader, world, rank):
    """`loader` with a `DistributedSampler` (a new `DataLoader` over the same dataset)."""
    from torch.utils import data as torch_data

    if isinstance(loader.sampler, torch_data.DistributedSampler):
        return loader
    if isinstance(loader.dataset, torch_data.IterableDataset):
        return _every_nth(loader, world, rank)
    if loader.batch_size is None:
        raise ValueError(
            "DataParallel on torch: a DataLoader with a custom `batch_sampler` cannot be "
            "sharded automatically; give it a `DistributedSampler` yourself."
        )

    class EpochSampler(torch_data.DistributedSampler):
        """Reshuffles every epoch (`set_epoch` at each new pass)."""

        def __iter__(self):
            self.set_epoch(getattr(self, "_passes", 0))
            self._passes = getattr(self, "_passes", 0) + 1
            return super().__iter__()

    sampler = EpochSampler(
        loader.dataset,
        num_replicas=world,
        rank=rank,
        shuffle=isinstance(loader.sampler, torch_data.RandomSampler),
        drop_last=loader.drop_last,
    )
    options = dict(
        batch_size=loader.batch_size,
        sampler=sampler,
        num_workers=loader.num_workers,
        collate_fn=loader.collate_fn,
        pin_memory=loader.pin_memory,
        drop_last=loader.drop_last,
        timeout=loader.timeout,
        worker_init_fn=loader.worker_init_fn,
        persistent_workers=loader.persistent_workers,
    )
    if loader.num_workers:
        options["prefetch_factor"] = loader.prefetch_factor
    return torch_data.DataLoader(loader.dataset, **options)


def shard_fit_arguments(fit, model, args, kwargs):
    """The arguments of `model.fit` (the core's `fit` function) with this rank's shard of
    the training data, under a `DataParallel` distribution over several processes (see the
    module docstring); unchanged otherwise."""
    import inspect

    from unikeras.utils import PyDataset

    plan = _data_parallel_world()
    if plan is None:
        return args, kwargs
    world, rank = plan
    shards, shard = _data_shard(world, rank)  # ranks on one batch coordinate read alike
    bound = inspect.signature(fit).bind(model, *args, **kwargs)
    bound.apply_defaults()
    a = bound.arguments
    x = a["x"]
    from unikeras.backend.common import data_kinds as utils

    if isinstance(x, PyDataset):
        a["x"] = _rank_py_dataset(x, shards, shard)
    elif utils.is_tf_dataset(x):
        from unikeras import distribution as distribution_lib

        a["x"] = distribution_lib.distribution().distribute_dataset(x)
    elif utils.is_torch_dataloader(x):
        a["x"] = _distributed_loader(x, shards, shard)
    elif x is not None and (
        inspect.isgenerator(x) or (hasattr(x, "__next__") and hasattr(x, "__iter__"))
    ):
        a["x"] = _every_nth(x, shards, shard)
    elif x is not None:
        batch_size = a["batch_size"] or 32
        if batch_size % shards:
            raise ValueError(
                f"DataParallel on torch: the global batch_size {batch_size} does not split "
                f"evenly over {shards} data shards; use a multiple of {shards}."
            )
        if a["validation_split"] and a["validation_data"] is None:
            from unikeras.backend.api import train_validation_split

            (x, a["y"], a["sample_weight"]), a["validation_data"] = train_validation_split(
                (x, a["y"], a["sample_weight"]), a["validation_split"]
            )
            a["validation_split"] = 0.0
        a["x"], a["y"], a["sample_weight"] = _shard_arrays(
            (x, a["y"], a["sample_weight"]), shards, shard
        )
        a["validation_batch_size"] = a["validation_batch_size"] or batch_size
        a["batch_size"] = batch_size // shards
    if rank != 0:  # rank 0 logs and writes checkpoints for all (the weights are equal)
        from unikeras import distribution as distribution_lib
        from unikeras.callbacks import ModelCheckpoint

        a["verbose"] = 0
        # Under ModelParallel every rank saves (gathering sharded variables is a
        # collective), rank 0 alone writing the file (`process_file`).
        gathers = isinstance(distribution_lib.distribution(), distribution_lib.ModelParallel)
        if isinstance(a["callbacks"], (list, tuple)) and not gathers:
            a["callbacks"] = [c for c in a["callbacks"] if not isinstance(c, ModelCheckpoint)]
    a.pop("self")
    return (), a


def rank_zero_verbose(method, model, args, kwargs):
    """The arguments of `model.evaluate` / `model.predict` (the core's `method`) with
    `verbose=0` on the ranks other than 0 under a multi-process distribution (every rank
    evaluates the whole data: rank 0 prints for all); unchanged otherwise."""
    import inspect

    plan = _data_parallel_world()
    if plan is None or plan[1] == 0:
        return args, kwargs
    bound = inspect.signature(method).bind(model, *args, **kwargs)
    bound.arguments["verbose"] = 0
    arguments = dict(bound.arguments)
    arguments.pop("self")
    extra = arguments.pop("kwargs", {})
    return (), {**arguments, **extra}
