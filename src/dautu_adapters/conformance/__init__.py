"""The conformance kit for storage adapters: subclass, give it a store, run pytest.

::

    import pytest
    from dautu_adapters.conformance import EventStoreConformance

    class TestMyStore(EventStoreConformance):
        supports_reopen = True
        supports_concurrent_processes = True

        @pytest.fixture
        def store(self, tmp_path):
            store = MyStore(tmp_path / "data")
            yield store
            store.close()

        def opener(self, store):
            return functools.partial(MyStore, store.path)

The same kit runs against every builtin store in dautu's own test suite, and
``dautu check-adapter URL`` runs it against the store at a URL (:func:`run_conformance`).
Needs the ``testing`` extra (pytest, hypothesis).
"""

import pytest

# The kit's asserts are the adapter author's error messages: let pytest rewrite them so a
# failure shows the values compared, as it does in the author's own test modules.
pytest.register_assert_rewrite(
    "dautu_adapters.conformance.base",
    "dautu_adapters.conformance.checkpoint_tests",
    "dautu_adapters.conformance.contract",
    "dautu_adapters.conformance.kit",
    "dautu_adapters.conformance.roundtrip",
    "dautu_adapters.conformance.sharing",
)

from dautu_adapters.conformance.diagnose import (  # noqa: E402
    append_or_explain,
    chain_problem,
    check_stream,
    stream_problem,
)
from dautu_adapters.conformance.kit import EventStoreConformance  # noqa: E402
from dautu_adapters.conformance.records import (  # noqa: E402
    UNUSUAL_PROJECT_CODES,
    approval,
    chain,
    chain_after,
    old_record,
    unique_code,
    violation,
)
from dautu_adapters.conformance.roundtrip import assert_round_trip, kit_settings  # noqa: E402
from dautu_adapters.conformance.runner import (  # noqa: E402
    CAPABILITIES,
    Capabilities,
    UrlStoreConformance,
    default_capabilities,
    run_conformance,
)

__all__ = [
    "CAPABILITIES",
    "UNUSUAL_PROJECT_CODES",
    "Capabilities",
    "EventStoreConformance",
    "UrlStoreConformance",
    "append_or_explain",
    "approval",
    "assert_round_trip",
    "chain",
    "chain_after",
    "chain_problem",
    "check_stream",
    "default_capabilities",
    "kit_settings",
    "old_record",
    "run_conformance",
    "stream_problem",
    "unique_code",
    "violation",
]
