"""``python -m sqcorpus``: the ``sqcorpus`` command."""

import sys

from .cli import main

sys.exit(main())
