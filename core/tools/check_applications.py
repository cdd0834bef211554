"""Compares every `keras.applications` model of unikeras with Keras 3.15.1's.

Builds each registered variant with `weights=None` in both libraries and checks that the
parameter counts are equal (and, with `--outputs`, copies Keras' weights into ours with
`set_weights` and compares predictions on a random batch). Needs Keras 3 installed (the jax
env); run with e.g.

    KERAS_BACKEND=jax UNIKERAS_BACKEND=jax python core/tools/check_applications.py [--outputs]
        [--only ResNet50,VGG16]

Prints one line per variant and the number checked; exits 1 on any mismatch.
"""

import argparse
import gc
import sys

import numpy as np

# (name in keras.applications, keyword arguments, input size for --outputs). Families add
# their variants here.
REGISTRY = [
    ("ResNet50", {}, 64),
    ("ResNet101", {}, 64),
    ("ResNet152", {}, 64),
    ("ResNet50V2", {}, 64),
    ("ResNet101V2", {}, 64),
    ("ResNet152V2", {}, 64),
    ("VGG16", {}, 64),
    ("VGG19", {}, 64),
    ("Xception", {}, 71),
    ("InceptionV3", {}, 75),
    ("InceptionResNetV2", {}, 75),
    ("MobileNet", {}, 64),
    ("MobileNet", {"alpha": 0.5, "depth_multiplier": 2}, 64),
    ("MobileNetV2", {}, 64),
    ("MobileNetV2", {"alpha": 0.35}, 64),
    ("MobileNetV2", {"alpha": 1.3}, 64),
    ("MobileNetV3Small", {}, 64),
    ("MobileNetV3Small", {"minimalistic": True, "alpha": 0.75}, 64),
    ("MobileNetV3Large", {}, 64),
    ("MobileNetV3Large", {"minimalistic": True}, 64),
    ("NASNetMobile", {}, 64),
    ("NASNetLarge", {}, 64),
    ("ConvNeXtTiny", {}, 64),
    ("ConvNeXtSmall", {}, 64),
    ("ConvNeXtBase", {}, 64),
    ("ConvNeXtLarge", {}, 64),
    ("ConvNeXtXLarge", {}, 64),
    ("DenseNet121", {}, 64),
    ("DenseNet169", {}, 64),
    ("DenseNet201", {}, 64),
    ("EfficientNetB0", {}, 64),
    ("EfficientNetB1", {}, 64),
    ("EfficientNetB2", {}, 64),
    ("EfficientNetB3", {}, 64),
    ("EfficientNetB4", {}, 64),
    ("EfficientNetB5", {}, 64),
    ("EfficientNetB6", {}, 64),
    ("EfficientNetB7", {}, 64),
    ("EfficientNetV2B0", {}, 64),
    ("EfficientNetV2B1", {}, 64),
    ("EfficientNetV2B2", {}, 64),
    ("EfficientNetV2B3", {}, 64),
    ("EfficientNetV2S", {}, 64),
    ("EfficientNetV2M", {}, 64),
    ("EfficientNetV2L", {}, 64),
]


def _build(library, name, kwargs, size):
    shape = None if size is None else (size, size, 3)
    fn = getattr(library.applications, name)
    extra = {"input_shape": shape} if shape else {}
    return fn(weights=None, include_top=size is None, **kwargs, **extra)


def check(name, kwargs, size, outputs):
    """Returns (ok, message) for one variant."""
    import keras

    import unikeras

    theirs = getattr(keras.applications, name)(weights=None, **kwargs)
    ours = getattr(unikeras.applications, name)(weights=None, **kwargs)
    n_theirs, n_ours = theirs.count_params(), ours.count_params()
    ok = n_theirs == n_ours
    message = f"{name}{kwargs or ''}: params keras={n_theirs} unikeras={n_ours}"
    if ok and outputs:
        theirs = _build(keras, name, kwargs, size)
        ours = _build(unikeras, name, kwargs, size)
        ours.set_weights(theirs.get_weights())
        images = np.random.default_rng(0).uniform(0, 255, (2, size, size, 3)).astype("float32")
        diff = float(
            np.max(
                np.abs(
                    np.asarray(theirs.predict(images, verbose=0)) - ours.predict(images, verbose=0)
                )
            )
        )
        ok = diff <= 1e-4
        message += f", max |output difference| {diff:.2e} at {size}x{size} (no top)"
    return ok, message


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", action="store_true", help="also compare predictions")
    parser.add_argument("--only", default="", help="comma-separated model names")
    args = parser.parse_args(argv)
    only = {n for n in args.only.split(",") if n}
    failures = checked = 0
    for name, kwargs, size in REGISTRY:
        if only and name not in only:
            continue
        ok, message = check(name, kwargs, size, args.outputs)
        checked += 1
        failures += not ok
        print(("ok   " if ok else "FAIL ") + message, flush=True)
        gc.collect()
    print(f"{checked} variants checked, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
