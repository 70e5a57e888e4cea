"""Writing a file so that a reader sees the old contents or the new, never half of either.

The one atomic writer of the project: saves, the load cache, settings and recordings all use it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes, *, durable: bool = True, mode: int | None = None) -> Path:
    """Write `data` to a temp file in `target`'s folder, then rename it over `target`.

    Args:
        target: the file to replace; its folder is created when missing.
        data: the whole new contents.
        durable: flush the file to disk before the rename (a save must survive a power cut; a
            cache entry need not, and skips the cost).
        mode: permission bits for the new file (e.g. 0o600); None keeps the temp file's 0o600.

    Returns:
        `target`.

    Raises:
        OSError: the folder or file could not be written; the temp file is removed first.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise
    return target
