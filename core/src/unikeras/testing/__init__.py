"""`unikeras.testing`: the conformance kit for backend plugins (see `plugin.py`)."""
