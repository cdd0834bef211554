"""Op hook specifications, one module per `unikeras.ops` namespace (see `hookspec.py`)."""
