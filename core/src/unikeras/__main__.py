"""`python -m unikeras info`: see `unikeras.info`."""

import sys

from unikeras.info import main

sys.exit(main())
