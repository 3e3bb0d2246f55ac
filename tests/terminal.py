"""Running a command with its stderr on a pseudo-terminal, as a person at a terminal sees it
(progress bars are drawn only there)."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios

__all__ = ["on_terminal"]


def on_terminal(argv: list[str], timeout: float = 300) -> tuple[int, bytes]:
    """``argv``'s exit code and what it wrote to a 100-column terminal (its stderr)."""
    primary, secondary = os.openpty()
    # a terminal of 100 columns (a new pseudo-terminal has 0, where tqdm draws nothing)
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        done = subprocess.run(
            argv, stdout=subprocess.PIPE, stderr=secondary, timeout=timeout, check=False
        )
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other end is closed
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
    return done.returncode, shown
