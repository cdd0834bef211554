"""`keras.ops`: the ops of every namespace, flat (`unikeras.ops.add`, `unikeras.ops.relu`);
image ops stay under `unikeras.ops.image`, as in Keras 3."""

from unikeras.ops import core, image, linalg, math, nn, numpy
from unikeras.ops.core import *  # noqa: F401,F403
from unikeras.ops.linalg import *  # noqa: F401,F403
from unikeras.ops.math import *  # noqa: F401,F403
from unikeras.ops.nn import *  # noqa: F401,F403
from unikeras.ops.numpy import *  # noqa: F401,F403

import sys as _sys  # noqa: E402

from unikeras.backend.keras_tensor import bind_ops as _bind_ops  # noqa: E402

_bind_ops(_sys.modules[__name__])  # the operators of KerasTensor and Variable call these ops
