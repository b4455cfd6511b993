"""Pausing Python's cyclic garbage collector around work that makes many objects and frees none.

Building a large workbook, a batch of the daily snapshot's facts or an import's plan makes
hundreds of thousands of small objects that live until the work ends and hold no cycles: the
collector cannot free any of them, yet goes over the growing heap again and again (a third of
the time, measured). Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused, and resumed after (if it was running). Nested use, or overlapping
    work in another thread, leaves it as the outermost found it."""
    running = gc.isenabled()
    if running:
        gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
