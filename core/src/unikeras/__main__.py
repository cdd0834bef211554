"""`python -m unikeras info` and `python -m unikeras check-plugin NAME`: see `unikeras.info`."""

import sys

from unikeras.info import main

sys.exit(main())
