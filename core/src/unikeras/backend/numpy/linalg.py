"""NumPy backend: `linalg` ops."""
