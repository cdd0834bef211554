"""The version of unikeras (`unikeras.__version__`), in a module of its own so that any part
of the core can read it without importing the top-level package."""

__version__ = "0.1.0"
