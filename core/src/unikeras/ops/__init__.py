"""`keras.ops`: the ops of every namespace, flat (`unikeras.ops.add`, `unikeras.ops.relu`);
image ops stay under `unikeras.ops.image`, as in Keras 3."""

from unikeras.ops import core, image, linalg, math, nn, numpy
from unikeras.ops.core import *  # noqa: F401,F403
from unikeras.ops.linalg import *  # noqa: F401,F403
from unikeras.ops.math import *  # noqa: F401,F403
from unikeras.ops.nn import *  # noqa: F401,F403
from unikeras.ops.numpy import *  # noqa: F401,F403
