"""``python -m bench``: the whole benchmark run (see bench.driver)."""

import sys

from bench.driver import main

sys.exit(main())
