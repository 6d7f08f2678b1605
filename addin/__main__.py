"""Run rolefit as ``python -m addin``."""

import sys

from .cli import main

sys.exit(main())
