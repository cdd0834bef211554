"""`keras.distribution` on PyTorch: `DataParallel` through `torch.distributed`.

One process per device (started with `torchrun`, or with `keras.distribution.initialize`):
`initialize` joins the process group (gloo on CPU, nccl on CUDA). Under `DataParallel`
every variable starts from rank 0's value (a broadcast at creation), each rank trains on its
contiguous slice of every global batch, and the gradients are averaged over the ranks
(all-reduce) before each optimizer step, as `DistributedDataParallel` does, so every rank
holds the weights single-process training on the global batch would give.

Sharding variables (`ModelParallel` layouts with mesh axes) is not implemented on this
backend: it raises a `NotImplementedError`.
"""

import os

import torch
import torch.distributed as dist

from unikeras.backend.hookspec import hookimpl


_GLOO_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int8,
                torch.uint8, torch.int32, torch.int64)


def _world():
    """`(world size, rank)` of the process group, `(1, 0)` without one."""
    if dist.is_available() and dist.is_initialized():
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
    dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo",
                            **kwargs)


@hookimpl
def process_info():
    return _world()


def _check_replicated(layout, what):
    if any(axis is not None for axis in layout.axes):
        raise NotImplementedError(
            f"{what}: the unikeras backend 'torch' implements `DataParallel` only; sharding "
            f"over mesh axes (layout axes {layout.axes}) needs the 'jax' backend.")


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
    world, rank = _world()
    if world == 1:
        return batch
    size = batch.shape[0]
    if size % world:
        raise ValueError(
            f"DataParallel on torch: a batch of {size} samples does not split evenly over "
            f"{world} processes; use a batch size (and a dataset size) divisible by {world}.")
    share = size // world
    return batch[rank * share:(rank + 1) * share]


def shard_batch(data):
    """This rank's slice of a global input batch (the batch itself without a
    distribution)."""
    from unikeras.distribution import distribution_lib

    return distribution_lib._distribute_data(data)


def average_gradients(grads):
    """`grads` averaged over the ranks (unchanged without a distribution or a process
    group)."""
    from unikeras.distribution import distribution_lib

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
