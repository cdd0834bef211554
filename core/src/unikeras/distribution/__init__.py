"""`keras.distribution`: run a model over several devices or processes with the active
backend's own distributed runtime (see `distribution_lib`)."""

from unikeras.distribution.distribution_lib import (  # noqa: F401
    DataParallel,
    DeviceMesh,
    LayoutMap,
    ModelParallel,
    TensorLayout,
    distribute_tensor,
    distribution,
    get_device_count,
    initialize,
    list_devices,
    set_distribution,
)
