"""Holding Python's cyclic garbage collector off around large folds and batches.

One definition for every place that needs it: a batch of commands (``ProjectService``), the
portfolio's catch-up and the review (``dautu_adapters.review``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_PAUSED = [0]
"""How many callers are inside :func:`collector_paused` with the collector held off."""
_PAUSE_LOCK = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Automatic garbage collection held off for the duration of the block.

    Why: a fold or a batch makes several objects per record (events, states, records, rows,
    timeline entries) that live until it ends, and none of them is in a reference cycle; the
    collector, triggered by the count of objects made, walked them again and again for nothing
    (a tenth of the time of a batch of 10,000 records, more than the fold itself on a large
    log). Freed objects are still freed at once (that is reference counting, not the
    collector), and a collection due meanwhile runs once the last block is done.

    A program that turned automatic collection off keeps it off: it is held off only when it
    was on, and turned on again by the last block out (blocks may nest, and blocks of other
    threads may overlap).
    """
    with _PAUSE_LOCK:
        pause = _PAUSED[0] > 0 or gc.isenabled()
        if pause:
            if _PAUSED[0] == 0:
                gc.disable()
            _PAUSED[0] += 1
    try:
        yield
    finally:
        if pause:
            with _PAUSE_LOCK:
                _PAUSED[0] -= 1
                if _PAUSED[0] == 0:
                    gc.enable()
