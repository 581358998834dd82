"""``python -m incident_kit`` is the ``incident-kit`` command."""

import sys

from .cli import main

sys.exit(main())
