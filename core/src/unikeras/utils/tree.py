"""Nested-structure helpers; they live in the backend leaf (`unikeras.backend.tree`) so that
every layer of the core and every plugin can use them. Re-exported here for old imports."""

from unikeras.backend.tree import (  # noqa: F401
    flatten,
    is_nested,
    map_structure,
    pack_sequence_as,
)
