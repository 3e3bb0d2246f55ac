"""Projection checkpoints (``supports_checkpoints``): a position and a state saved together."""

from __future__ import annotations

from dautu_adapters.conformance.base import KitBase
from dautu_adapters.conformance.records import unique_code
from dautu_core.ports import CheckpointStore, EventStore

__all__ = ["CheckpointTests"]


class CheckpointTests(KitBase):
    """What :class:`dautu_core.ports.CheckpointStore` promises."""

    def _checkpoints(self, store: EventStore) -> CheckpointStore:
        self._require("supports_checkpoints")
        assert isinstance(store, CheckpointStore), (
            "supports_checkpoints is True but the store lacks get_checkpoint, "
            "save_checkpoint or load_projection"
        )
        return store

    def test_checkpoint_starts_at_zero(self, store: EventStore) -> None:
        checkpoints = self._checkpoints(store)
        name = unique_code("projection")
        assert checkpoints.get_checkpoint(name) == 0
        assert checkpoints.load_projection(name) == (0, None)

    def test_checkpoint_round_trip(self, store: EventStore) -> None:
        checkpoints = self._checkpoints(store)
        name, other = unique_code("projection"), unique_code("projection")
        state = "Đã rà soát 78 dự án".encode() + bytes(range(256))
        checkpoints.save_checkpoint(name, 7, state)
        assert checkpoints.get_checkpoint(name) == 7
        assert checkpoints.load_projection(name) == (7, state), "a state must come back exactly"
        checkpoints.save_checkpoint(name, 12, b"")
        assert checkpoints.load_projection(name) == (12, b"")
        assert checkpoints.load_projection(other) == (0, None)

    def test_checkpoint_follows_each_save(self, store: EventStore) -> None:
        """A projection moves forward save by save; rebuilt from scratch it starts again at 0,
        so the latest save wins, whatever its position."""
        checkpoints = self._checkpoints(store)
        name = unique_code("projection")
        for position in (1, 2, 5, 40, 41):
            checkpoints.save_checkpoint(name, position, f"trạng thái {position}".encode())
            assert checkpoints.load_projection(name) == (
                position,
                f"trạng thái {position}".encode(),
            )
            assert checkpoints.get_checkpoint(name) == position
        checkpoints.save_checkpoint(name, 0, b"")
        assert checkpoints.load_projection(name) == (0, b""), "the latest save wins, even 0"

    def test_checkpoint_survives_reopen(self, store: EventStore) -> None:
        checkpoints = self._checkpoints(store)
        self._require("supports_reopen")
        name = unique_code("projection")
        checkpoints.save_checkpoint(name, 3, b"state")
        other = self.reopen(store)
        try:
            assert isinstance(other, CheckpointStore)
            assert other.load_projection(name) == (3, b"state")
        finally:
            other.close()
