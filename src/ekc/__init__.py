"""ekc-pipeline: effect studies of Family Group Conferences (Eigen Kracht-conferenties)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ekc-pipeline")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"
