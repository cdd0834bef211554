"""`keras.distribution` on TensorFlow: `tf.distribute.MirroredStrategy` and
`MultiWorkerMirroredStrategy` behind `keras.distribution.DataParallel`.

- `DataParallel` over the devices of its mesh is a `MirroredStrategy` (created once per
  distribution); after `keras.distribution.initialize()` (or with `TF_CONFIG` set) it is the
  process' `MultiWorkerMirroredStrategy`, one worker per process.
- Variables created under the distribution, or inside a user's own `strategy.scope()` as in
  tf.keras, are the strategy's `MirroredVariable`s. Their aggregation follows the unikeras
  variable's: `"sum"` (metric totals) and `"mean"` (optimizer slots) as named, `"none"` and
  `"only_first_replica"` as `ONLY_FIRST_REPLICA` (every replica computes the same update of
  them, from the all-reduced gradients).
- `fit` runs the train step with `strategy.run`: each replica takes its contiguous slice of
  the global batch, the gradients are averaged over the replicas (`all_reduce`), so the
  weights equal single-device training on the global batch. `evaluate` and `predict` run
  the step on the whole batch in the strategy's cross-replica context.

Sharding variables over mesh axes (`ModelParallel` layouts) is not implemented on this
backend: it raises a `NotImplementedError` naming the layout. (TensorFlow's route,
`tf.experimental.dtensor`, refuses ops that mix a DTensor with a regular tensor other than
a small constant, in eager mode and in `tf.function`: every input batch, every tensor our
ops create and every variable (metrics, optimizer, seed states) would have to live on the
DTensor mesh, and a `tf.function` cannot hold both kinds.)
"""

import contextlib
import json
import os

import tensorflow as tf

from unikeras.backend.api import hookimpl, tree

_MULTI_WORKER = {"strategy": None}  # the MultiWorkerMirroredStrategy of `initialize`

_AGGREGATIONS = {
    "sum": tf.VariableAggregation.SUM,
    "mean": tf.VariableAggregation.MEAN,
    "only_first_replica": tf.VariableAggregation.ONLY_FIRST_REPLICA,
    "none": tf.VariableAggregation.ONLY_FIRST_REPLICA,
}


_COLLECTIVE_DTYPES = (tf.bool, tf.float16, tf.float32, tf.float64, tf.int32, tf.int64)


def _tf_config():
    raw = os.environ.get("TF_CONFIG", "")
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError as e:
        raise ValueError(
            f"keras.distribution on TensorFlow: TF_CONFIG is not valid JSON "
            f"({e}). Received: {raw!r}"
        ) from None


def _workers():
    """`(number of workers, this worker's index)` of the multi-worker cluster."""
    if _MULTI_WORKER["strategy"] is None:
        return 1, 0
    config = _tf_config()
    cluster = config.get("cluster", {})
    count = len(cluster.get("chief", [])) + len(cluster.get("worker", []))
    task = config.get("task", {})
    index = int(task.get("index", 0))
    if task.get("type") == "worker" and cluster.get("chief"):
        index += len(cluster["chief"])
    return max(count, 1), index


def _local_kind(device_type):
    if device_type is not None:
        return device_type
    return "gpu" if tf.config.list_logical_devices("GPU") else "cpu"


@hookimpl
def list_devices(device_type):
    kind = _local_kind(device_type)
    if kind == "tpu":
        return []
    # After `initialize`, TensorFlow lists the devices of every worker of the cluster.
    return [f"{kind}:{i}" for i in range(len(tf.config.list_logical_devices(kind.upper())))]


@hookimpl
def initialize_distribution(job_addresses, num_processes, process_id):
    if _MULTI_WORKER["strategy"] is not None:
        return
    if job_addresses:
        addresses = [a.strip() for a in job_addresses.split(",") if a.strip()]
        if num_processes is not None and len(addresses) != num_processes:
            raise ValueError(
                "`keras.distribution.initialize` on TensorFlow needs the address of every "
                f"worker: {num_processes} processes, received {len(addresses)} addresses "
                f"({job_addresses!r})."
            )
        os.environ["TF_CONFIG"] = json.dumps(
            {
                "cluster": {"worker": addresses},
                "task": {"type": "worker", "index": int(process_id or 0)},
            }
        )
    elif not _tf_config().get("cluster"):
        raise ValueError(
            "`keras.distribution.initialize` on TensorFlow needs the cluster: pass "
            "`job_addresses` (every worker's host:port, comma-separated) with `process_id`, "
            "or set TF_CONFIG."
        )
    _MULTI_WORKER["strategy"] = tf.distribute.MultiWorkerMirroredStrategy()


@hookimpl
def process_info():
    return _workers()


def _check_replicated(layout, what):
    if any(axis is not None for axis in layout.axes):
        raise NotImplementedError(
            f"{what}: the unikeras backend 'tensorflow' implements `DataParallel` only "
            "(tf.distribute.MirroredStrategy); sharding over mesh axes (layout axes "
            f"{layout.axes}) needs the 'jax' or 'torch' backend."
        )


@hookimpl
def distribute_tensor(tensor, layout):
    _check_replicated(layout, "`keras.distribution.distribute_tensor`")
    return tensor


@hookimpl
def distribute_variable(value, layout):
    # The MirroredVariable itself is made by `create_variable`, under the strategy.
    _check_replicated(layout, "Creating a Variable under a distribution")
    return value


@hookimpl
def distribute_data_input(batch, layout, batch_dim_name):
    return batch  # each replica slices its part inside `strategy.run` (`replicated_step`)


def _device_name(name):
    kind, _, index = str(name).partition(":")
    return f"/device:{kind.upper()}:{int(index or 0)}"


def strategy_of(distribution):
    """The `tf.distribute` strategy of a `keras.distribution` distribution (cached on it)."""
    strategy = getattr(distribution, "_tf_strategy", None)
    if strategy is None:
        if _MULTI_WORKER["strategy"] is not None:
            strategy = _MULTI_WORKER["strategy"]
        else:
            devices = [_device_name(d) for d in distribution.device_mesh.devices.flatten()]
            strategy = tf.distribute.MirroredStrategy(devices)
        distribution._tf_strategy = strategy
    return strategy


def current_strategy(variables=()):
    """The strategy to run under: the active `keras.distribution`'s, else the user's
    `strategy.scope()`, else the one holding `variables`; `None` without any."""
    from unikeras import distribution as distribution_lib  # the public `keras.distribution`

    current = distribution_lib.distribution()
    if current is not None:
        return strategy_of(current)
    if tf.distribute.has_strategy():
        return tf.distribute.get_strategy()
    for variable in variables:
        native = getattr(variable, "native", None)
        if isinstance(native, tf.distribute.DistributedValues):
            return native.distribute_strategy
    return None


def scope(variables=()):
    """The scope of `current_strategy(variables)` (a no-op context without one)."""
    strategy = current_strategy(variables)
    if strategy is None or (
        tf.distribute.has_strategy() and tf.distribute.get_strategy() is strategy
    ):
        return contextlib.nullcontext()
    return strategy.scope()


def create_variable(variable, value):
    """The `tf.Variable` of a unikeras Variable: a `MirroredVariable` under a strategy."""
    strategy = current_strategy()
    if strategy is None:
        return tf.Variable(value, trainable=variable.trainable, name=variable.name)
    if (
        _MULTI_WORKER["strategy"] is strategy
        and tf.as_dtype(getattr(value, "dtype", tf.float32)) not in _COLLECTIVE_DTYPES
    ):
        # A multi-worker strategy broadcasts initial values with collectives, which refuse
        # e.g. uint32 (seed generator states): such a variable stays local to each worker
        # (seeded alike on every worker; one replica per worker updates it).
        from tensorflow.python.ops.resource_variable_ops import ResourceVariable

        return ResourceVariable(value, trainable=variable.trainable, name=variable.name)
    aggregation = _AGGREGATIONS.get(
        str(variable.aggregation).lower(), tf.VariableAggregation.ONLY_FIRST_REPLICA
    )
    with scope():
        return tf.Variable(
            value, trainable=variable.trainable, name=variable.name, aggregation=aggregation
        )


def _in_replicas(native):
    if not isinstance(native, tf.distribute.DistributedValues):
        return False
    context = tf.distribute.get_replica_context()
    return context is not None and context.num_replicas_in_sync > 1


def assign(variable, native, value):
    """Assigns `value` to `native`. In a replica context a `"sum"` variable receives the
    sum of the replicas' increments (a metric total adds every replica's batch part)."""
    if str(variable.aggregation).lower() == "sum" and _in_replicas(native):
        native.assign_add(value - native.read_value())
    else:
        native.assign(value)


def all_reduce_gradients(grads):
    """`grads` averaged over the replicas of the current strategy (in a replica context
    with several replicas; unchanged otherwise)."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return grads
    present = [i for i, grad in enumerate(grads) if grad is not None]
    reduced = context.all_reduce(tf.distribute.ReduceOp.MEAN, [grads[i] for i in present])
    grads = list(grads)
    for i, grad in zip(present, reduced):
        grads[i] = grad
    return grads


def _check_divisible(data, replicas):
    for leaf in tree.flatten(data):
        shape = getattr(leaf, "shape", None)
        if shape is not None and len(shape) and shape[0] is not None and shape[0] % replicas:
            raise ValueError(
                f"DataParallel on TensorFlow: a batch of {shape[0]} samples does not split "
                f"evenly over {replicas} replicas; use a batch size (and a dataset size) "
                f"divisible by {replicas}."
            )


def replicated_step(step, strategy):
    """`step(data)` run on every replica of `strategy` with `strategy.run`, each replica on
    its contiguous slice of the global batch; returns the first replica's results (the
    metric results, equal on every replica after the aggregated updates)."""
    replicas = strategy.num_replicas_in_sync

    def on_replica(data):
        context = tf.distribute.get_replica_context()
        index = context.replica_id_in_sync_group

        def local(leaf):
            if not isinstance(leaf, tf.Tensor) or leaf.shape.rank in (None, 0):
                return leaf
            share = tf.shape(leaf)[0] // replicas
            return leaf[index * share : (index + 1) * share]

        return step(tree.map_structure(local, data))

    def run(data):
        _check_divisible(data, replicas)
        outputs = strategy.run(on_replica, args=(data,))
        return tree.map_structure(lambda out: strategy.experimental_local_results(out)[0], outputs)

    return run
