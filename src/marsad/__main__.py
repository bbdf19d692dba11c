import sys

from marsad.cli import main

sys.exit(main())
