"""Pseudonymised case ids: a keyed hash (HMAC-SHA256) of the raw family key.

The key comes from the environment variable named in the config (default
`EKC_PSEUDONYM_KEY`) or from a key file outside the repository. The embedded demo data
use the documented demo key below; real data must never be processed with it, so the
workflow checks at start-up (`resolve_key`) that a build with the demo key reads only the
embedded exports (by their checksums in `EMBEDDED_CHECKSUMS`), and that a key file lies
outside the project and every folder the crate ships. Jobs load the key themselves
(`job_key`) and check it against the fingerprint the workflow started with: the fingerprint
is a parameter of every job that pseudonymises, so a new key reruns all of them.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DEMO_KEY = "ekc-pipeline-demo-key-not-secret"
# sha256sum-style list of every export shipped with the repository (`sha256sum -c` checks it).
EMBEDDED_CHECKSUMS = "resources/embedded_data.sha256"
_FINGERPRINT_MESSAGE = b"ekc-pipeline pseudonymisation key fingerprint"


class MissingPseudonymKey(RuntimeError):
    pass


class UnsafePseudonymKey(RuntimeError):
    """A key that would not keep the pseudonyms secret: the public demo key on real data, or
    a key file that can end up in git or in the crate."""


def how_to_set(env_var: str) -> str:
    return (
        f"Set a key of your own: `export {env_var}=<secret>` (make one with `python -c "
        '"import secrets; print(secrets.token_urlsafe(32))"`), or write it to a file outside '
        "the project, readable by you only (`chmod 600`), and name that file in the config's "
        "`pseudonymisation.key_file`. Keep the key: the same key gives the same pseudonyms."
    )


@dataclass(frozen=True)
class PseudonymKey:
    secret: bytes = field(repr=False)
    source: str

    @property
    def is_demo(self) -> bool:
        return self.secret == DEMO_KEY.encode()

    @property
    def fingerprint(self) -> str:
        """Names the key without revealing it (a keyed hash of a fixed text)."""
        return key_fingerprint(self.secret)


def key_fingerprint(secret: bytes) -> str:
    return hmac.new(secret, _FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_key_file(key_file: str | Path, forbidden: Iterable[str | Path]) -> Path:
    """The key file's absolute path; refused inside the project or a folder the crate ships,
    and when others may read it."""
    path = Path(key_file).expanduser().resolve()
    for folder in forbidden:
        folder = Path(folder).expanduser().resolve()
        if _inside(path, folder):
            raise UnsafePseudonymKey(
                f"the pseudonymisation key file {key_file} lies inside {folder}: files there "
                "can be committed to git or shipped in the reviewers' crate. Move it outside "
                "the project (e.g. ~/.config/ekc/pseudonym.key, `chmod 600`) and point "
                "`pseudonymisation.key_file` at it."
            )
    if path.is_file() and path.stat().st_mode & 0o077:
        raise UnsafePseudonymKey(
            f"the pseudonymisation key file {key_file} can be read by other users; "
            f"make it private: chmod 600 {key_file}"
        )
    return path


def _read_key(env_var: str, key_file: str | None, allow_demo_key: bool) -> PseudonymKey:
    if os.environ.get(env_var):
        return PseudonymKey(os.environ[env_var].encode(), f"environment variable {env_var}")
    if key_file and Path(key_file).expanduser().is_file():
        secret = Path(key_file).expanduser().read_text().strip().encode()
        return PseudonymKey(secret, f"key file {key_file}")
    if allow_demo_key:
        return PseudonymKey(DEMO_KEY.encode(), "demo key")
    raise MissingPseudonymKey(f"No pseudonymisation key. {how_to_set(env_var)}")


def load_key(
    env_var: str = "EKC_PSEUDONYM_KEY", key_file: str | None = None, allow_demo_key: bool = False
) -> bytes:
    """The key's bytes (environment variable, else key file, else the demo key if allowed)."""
    return _read_key(env_var, key_file, allow_demo_key).secret


def embedded_checksums(listing: str | Path) -> set[str]:
    """Checksums of the exports shipped with the repository (sha256sum format)."""
    path = Path(listing)
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_key(
    settings: dict,
    *,
    root: str | Path,
    shipped: Iterable[str | Path] = (),
    raw_files: Iterable[str | Path] = (),
    embedded: str | Path | None = None,
) -> PseudonymKey:
    """The key a build uses, checked before any job runs.

    `settings`: the config's `pseudonymisation`; `root`: the project; `shipped`: folders
    whose files the crate may carry (results, logs); `raw_files`: the configured exports,
    which must all be embedded ones (checksums listed in `embedded`) for the demo key."""
    root = Path(root).resolve()
    env_var = settings["key_env"]
    key_file = settings.get("key_file")
    if key_file:
        key_file = str(check_key_file(key_file, [root, *shipped]))
    key = _read_key(env_var, key_file, settings.get("allow_demo_key", False))
    if key.is_demo:
        known = embedded_checksums(embedded or root / EMBEDDED_CHECKSUMS)
        for raw in raw_files:
            path = root / raw
            # A missing export is the validation rule's to report; only data are checked here.
            if path.is_file() and _sha256(path) not in known:
                raise UnsafePseudonymKey(
                    f"{raw} is not one of the embedded demo exports, and the public demo key "
                    "must not pseudonymise other data (anyone could reverse its pseudonyms). "
                    + how_to_set(env_var)
                )
    return key


def job_key(settings: dict) -> bytes:
    """The key inside a job: the one the workflow checked at start-up (same fingerprint)."""
    key = _read_key(
        settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False)
    )
    expected = settings.get("key_fingerprint")
    if expected is not None and key.fingerprint != expected:
        raise UnsafePseudonymKey(
            f"the pseudonymisation key ({key.source}) is not the one the workflow started "
            f"with (fingerprint {key.fingerprint}, expected {expected}); run the workflow "
            "again with one key throughout."
        )
    return key.secret


# Cached: long tables repeat each case number once per moment, scale or child (8x faster
# there); 65,536 entries bound the memory.
@functools.lru_cache(maxsize=1 << 16)
def pseudonym(raw_key: str, key: bytes, prefix: str = "F") -> str:
    """Stable, non-reversible id for a case; equal raw keys give equal pseudonyms."""
    normalised = raw_key.strip().upper()
    digest = hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
    return f"{prefix}{digest[:12]}"
