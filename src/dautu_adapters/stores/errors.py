"""Errors raised by the storage adapters, in dautu's own hierarchy.

Why a class of its own: a database that went away or a record that cannot be decrypted is
neither a bad value nor a refused rule; callers (the CLI, an embedding portal) want to tell
"try again later" from "the command is wrong". Every message about a failed write says what
happened to it: a clerk must know whether the command was recorded.
"""

from __future__ import annotations

from dautu_core.errors import DautuError

__all__ = ["StorageError"]


class StorageError(DautuError):
    """The store could not do what was asked (connection lost, unreadable record...).

    ``rule_id`` says which: ``store_connection`` (the database could not be reached or the
    connection dropped), ``record_unreadable`` (a stored record could not be decrypted or
    decompressed: wrong key or damaged data), ``store_options`` (unusable options).

    ``written`` is set for a failed append: ``False`` when the store was checked afterwards and
    holds nothing of it, ``True`` when the check found it recorded after all (the connection
    dropped after the commit), ``None`` when the check itself could not be made.
    """

    written: bool | None = None
