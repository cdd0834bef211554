"""NumPy backend: `random` ops."""
