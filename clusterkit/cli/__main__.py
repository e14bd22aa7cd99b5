"""``python -m clusterkit.cli``."""

import sys

from clusterkit.cli.app import main

sys.exit(main())
