import sys

from ekc.generate.cli import main

sys.exit(main())
