"""Writing an export file whole or not at all.

Why: an export interrupted half-way (a full disk, a store error on the last page, Ctrl-C) must
not leave a file that looks complete to whoever publishes it. The file is written beside its
target under a temporary name and renamed over the target only once complete; on failure the
temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["export_target", "whole_file"]


def export_target(out: Path, default_name: str) -> Path:
    """``out`` itself, or ``out/default_name`` when ``out`` is an existing folder."""
    out = Path(out)
    return out / default_name if out.is_dir() else out


def _mode(path: Path) -> int:
    """The permissions the file would have if simply created (the temporary file is private
    while it is written): the target's own when it exists, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def whole_file(path: Path) -> Iterator[IO[str]]:
    """A text handle (UTF-8, ``\\n`` line ends) whose content replaces ``path`` when the block
    ends without an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
