"""dautu-jsonl: a storage adapter for dautu on append-only JSON-lines files.

A complete third-party adapter: a store implementing dautu's ports
(:class:`~dautu_core.ports.EventStore`, :class:`~dautu_core.ports.CheckpointStore`), a plugin
offering the ``jsonl://`` URL scheme, and tests that run dautu's conformance kit against it.
"""

from dautu_jsonl.framing import JsonlCorrupted
from dautu_jsonl.store import JsonlStore
from dautu_jsonl.urls import jsonl_url, open_jsonl_store, parse_jsonl_url

__version__ = "0.1.0"

__all__ = [
    "JsonlCorrupted",
    "JsonlStore",
    "__version__",
    "jsonl_url",
    "open_jsonl_store",
    "parse_jsonl_url",
]
