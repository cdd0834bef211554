"""`keras.datasets`: small standard datasets, downloaded once into `~/.keras/datasets`
(or `$KERAS_HOME/datasets`); a file already there is used without network access."""

from unikeras.datasets import (  # noqa: F401
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)
