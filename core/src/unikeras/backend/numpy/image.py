"""NumPy backend: `image` ops."""
