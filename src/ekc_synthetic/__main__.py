import sys

from ekc_synthetic.cli import main

sys.exit(main())
