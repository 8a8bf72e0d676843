"""Where a project's files may be: the project itself, allowed data folders, the private area.

- `find_project`: the project a command works on, found from any folder.
- `check_configured_paths`: every path the config names resolves inside the project or
  inside a folder the config allows explicitly (`data_dirs`, e.g. real exports kept outside
  git), so `../` or a symlink cannot make a build read or write elsewhere.
- `secure_private_area`: row-level data live in a folder only their owner can enter (0700,
  files 0600), whatever the umask of the user who built them before.
- `regular_file_inside`: an incoming file is a regular file inside its folder, not a
  symlink to something else.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterator
from pathlib import Path

# Every build and update creates files for its owner only (row-level data among them).
UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
PROJECT_MARKERS = ("Snakefile", "workflow/rules")


class ConfiguredPathError(ValueError):
    pass


def is_project(folder: str | Path) -> bool:
    return all((Path(folder) / marker).exists() for marker in PROJECT_MARKERS)


def find_project(start: str | Path | None = None) -> Path | None:
    """The project folder holding `start` (default: the current folder), or None."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    return None


def _configured(config: dict) -> Iterator[tuple[str, str]]:
    """(where in the config, path) of every file or folder the config names."""
    for name, source in config.get("sources", {}).items():
        if "file" in source:
            yield f"sources.{name}.file", source["file"]
    for key in ("output_dir", "log_dir", "private_dir", "external_reference", "norms"):
        if isinstance(config.get(key), str):
            yield key, config[key]
    fidelity = config.get("fidelity", {})
    for i, pattern in enumerate(fidelity.get("published", [])):
        yield f"fidelity.published[{i}]", pattern
    if "not_in_data" in fidelity:
        yield "fidelity.not_in_data", fidelity["not_in_data"]
    texts = config.get("texts", [])
    for i, path in enumerate([texts] if isinstance(texts, str) else texts):
        yield f"texts[{i}]", path


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def allowed_folders(config: dict, root: str | Path) -> list[Path]:
    root = Path(root).resolve()
    return [root, *((root / Path(d).expanduser()).resolve() for d in config.get("data_dirs", []))]


def check_configured_paths(config: dict, root: str | Path) -> None:
    """Refuse a config that names a file outside the project and its allowed data folders."""
    folders = allowed_folders(config, root)
    outside = []
    for where, configured in _configured(config):
        # Symlinks are followed: what counts is where the data really are.
        for path in glob.glob(str(folders[0] / configured)) or [folders[0] / configured]:
            if not any(_inside(Path(path).resolve(), folder) for folder in folders):
                outside.append(f"{where}: {configured} -> {Path(path).resolve()}")
    if outside:
        raise ConfiguredPathError(
            "the config names paths outside the project and its allowed data folders:\n  "
            + "\n  ".join(outside)
            + "\nKeep them inside the project, or list the folder that holds them under "
            "`data_dirs:` in the config (e.g. real exports kept outside git)."
        )


def secure_private_area(folder: str | Path, skip: tuple[str, ...] = (".staging",)) -> Path:
    """Create the private area 0700 and make what is in it owner-only (0700 / 0600)."""
    folder = Path(folder)
    folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    os.chmod(folder, PRIVATE_DIR_MODE)
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not (Path(parent) == folder and d in skip)]
        for name in dirs:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, PRIVATE_DIR_MODE)
        for name in files:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, PRIVATE_FILE_MODE)
    return folder


def regular_file_inside(path: str | Path, folder: str | Path) -> bool:
    """Whether `path` is a regular file (not a symlink, fifo or device) inside `folder`."""
    path = Path(path)
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    if not stat.S_ISREG(mode):
        return False
    return _inside(path.resolve(), Path(folder).resolve())
