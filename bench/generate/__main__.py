"""``python -m bench.generate --partners N``."""

import sys

from bench.generate import main

sys.exit(main())
