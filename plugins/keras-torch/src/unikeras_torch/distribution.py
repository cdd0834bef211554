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
Validation data is evaluated whole on every rank. Only rank 0 prints the progress bar and
runs `ModelCheckpoint` callbacks (every rank holds the same weights).

Sharding variables (`ModelParallel` layouts with mesh axes, which would need
`torch.distributed.tensor` DTensors) is not implemented on this backend: it raises a
`NotImplementedError`.
"""

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
    dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo", **kwargs)


@hookimpl
def process_info():
    return _world()


def _check_replicated(layout, what):
    if any(axis is not None for axis in layout.axes):
        raise NotImplementedError(
            f"{what}: the unikeras backend 'torch' implements `DataParallel` only; sharding "
            f"over mesh axes (layout axes {layout.axes}) with torch.distributed.tensor "
            "(DTensor) is not implemented: use the 'jax' backend for `ModelParallel`."
        )


@hookimpl
def distribute_tensor(tensor, layout):
    _check_replicated(layout, "`keras.distribution.distribute_tensor`")
    return tensor


@hookimpl
def distribute_variable(value, layout):
    _check_replicated(layout, "Creating a Variable under a distribution")
    if _world()[0] > 1:  # every replica starts from rank 0's weights
        dtype = value.dtype
        wire = dtype if dtype in _GLOO_DTYPES else torch.int64  # e.g. uint32 seed states
        buffer = value.detach().to(wire).clone()
        dist.broadcast(buffer, src=0)
        value = buffer.to(dtype)
    return value


@hookimpl
def distribute_data_input(batch, layout, batch_dim_name):
    return batch  # each rank's batch is its own shard already (`shard_fit_arguments`)


def shard_batch(data):
    """This rank's slice of a global input batch (the batch itself without a
    distribution)."""
    return distribute_data(data)


def average_gradients(grads):
    """`grads` averaged over the ranks (unchanged without a distribution or a process
    group)."""
    from unikeras import distribution as distribution_lib  # the public `keras.distribution`

    world, _ = _world()
    if world == 1 or distribution_lib.distribution() is None:
        return grads
    averaged = []
    for grad in grads:
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
    bound = inspect.signature(fit).bind(model, *args, **kwargs)
    bound.apply_defaults()
    a = bound.arguments
    x = a["x"]
    from unikeras.backend.common import data_kinds as utils

    if isinstance(x, PyDataset):
        a["x"] = _rank_py_dataset(x, world, rank)
    elif utils.is_tf_dataset(x):
        from unikeras import distribution as distribution_lib

        a["x"] = distribution_lib.distribution().distribute_dataset(x)
    elif utils.is_torch_dataloader(x):
        a["x"] = _distributed_loader(x, world, rank)
    elif x is not None and (
        inspect.isgenerator(x) or (hasattr(x, "__next__") and hasattr(x, "__iter__"))
    ):
        a["x"] = _every_nth(x, world, rank)
    elif x is not None:
        batch_size = a["batch_size"] or 32
        if batch_size % world:
            raise ValueError(
                f"DataParallel on torch: the global batch_size {batch_size} does not split "
                f"evenly over {world} processes; use a multiple of {world}."
            )
        if a["validation_split"] and a["validation_data"] is None:
            from unikeras.backend.api import train_validation_split

            (x, a["y"], a["sample_weight"]), a["validation_data"] = train_validation_split(
                (x, a["y"], a["sample_weight"]), a["validation_split"]
            )
            a["validation_split"] = 0.0
        a["x"], a["y"], a["sample_weight"] = _shard_arrays(
            (x, a["y"], a["sample_weight"]), world, rank
        )
        a["validation_batch_size"] = a["validation_batch_size"] or batch_size
        a["batch_size"] = batch_size // world
    if rank != 0:  # rank 0 logs and writes checkpoints for all (the weights are equal)
        from unikeras.callbacks import ModelCheckpoint

        a["verbose"] = 0
        if isinstance(a["callbacks"], (list, tuple)):
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
