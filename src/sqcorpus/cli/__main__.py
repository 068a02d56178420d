"""``python -m sqcorpus.cli``: the ``sqcorpus`` command."""

import sys

from . import main

sys.exit(main())
