"""OpenVINO backend: random ops, drawn on the host with the reference NumPy generator.

Random numbers serve weight initialization and training-time layers, not deployed graphs, so
the reference backend's implementations are reused and their arrays wrapped as tensors.
"""

import functools

from unikeras.backend.hookspec import hookimpl
from unikeras.backend.numpy import random as reference
from unikeras.utils import tree

from keras_openvino.graph import OpenVINOTensor, host_array

_OPS = ("random_uniform", "random_normal", "random_truncated_normal", "random_randint",
        "random_categorical", "random_dropout", "random_shuffle", "random_gamma",
        "random_binomial", "random_beta")


def _host(value):
    return host_array(value) if isinstance(value, OpenVINOTensor) else value


def _wrapped(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        args, kwargs = tree.map_structure(_host, (args, kwargs))
        return OpenVINOTensor(data=host_array(fn(*args, **kwargs)))

    return hookimpl(wrapper)


for _name in _OPS:
    if hasattr(reference, _name):
        globals()[_name] = _wrapped(getattr(reference, _name).__wrapped__
                                    if hasattr(getattr(reference, _name), "__wrapped__")
                                    else getattr(reference, _name))
