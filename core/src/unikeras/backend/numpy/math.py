"""NumPy backend: `math` ops."""
