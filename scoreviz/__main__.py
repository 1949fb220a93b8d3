"""``python -m scoreviz`` runs the command line."""

import sys

from scoreviz.cli import main

sys.exit(main())
