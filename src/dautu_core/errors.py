"""One exception hierarchy for everything dautu refuses.

Why bilingual: the people who read these messages are clerks and inspectors in a provincial
department (Vietnamese) as well as the developers embedding the library (English). Every error
names the project code, the field and the rule so that a refusal can be acted on without
reading source code.

Why every error of the library is defined here, adapters' included: an embedder catches them
from one import (``from dautu_core.errors import InvalidValue, StorageError, ...``), whatever
part of dautu raised them. They are plain exception classes with no dependency, so the pure
core can hold them; the modules that raise them (``dautu_adapters.stores.errors``,
``dautu_adapters.plugins``, ``dautu_adapters.audit.trail``, ``dautu_core.projections``) import
them from here and still export them under their old names.

Every public call raises these and nothing else for bad input, wrong types included (a
project code that is not text is an :class:`InvalidValue`, not a ``TypeError``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from dautu_core.audit.verify import AuditReport

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def visible(text: str) -> str:
    """``text`` with every control character (newline and tab included) and lone surrogate
    written as an escape (``\\x1b``, ``\\n``, ``\\ud800``).

    Why: an error message goes to a terminal and quotes what it was given (a project code
    typed on the command line, a stored text). A raw ESC sequence there would drive the
    terminal, a newline would make one error look like two lines.
    """
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


__all__ = [
    "AuditFailed",
    "ConcurrencyConflict",
    "CopyRefused",
    "DautuError",
    "InvalidValue",
    "MissingDependency",
    "PluginError",
    "ProjectionGap",
    "RuleViolation",
    "SealingMismatch",
    "StorageError",
    "StreamCorrupted",
    "UnknownProject",
    "visible",
]


class DautuError(Exception):
    """Base of every error raised by dautu.

    ``message_vi`` and ``message_en`` say the same thing in Vietnamese and English; ``str(err)``
    shows both, on one line, with no raw control character (see :func:`visible`). ``project_code``, ``field`` and ``rule_id`` are machine-readable for callers who
    want to map refusals onto their own forms.
    """

    def __init__(
        self,
        message_vi: str,
        message_en: str,
        *,
        project_code: str | None = None,
        field: str | None = None,
        rule_id: str | None = None,
        citation: str | None = None,
    ) -> None:
        self.message_vi = message_vi
        self.message_en = message_en
        self.project_code = project_code
        self.field = field
        self.rule_id = rule_id
        self.citation = citation
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.project_code is not None:
            where.append(f"dự án/project {self.project_code}")
        if self.field is not None:
            where.append(f"trường/field {self.field}")
        if self.rule_id is not None:
            where.append(f"quy tắc/rule {self.rule_id}")
        if self.citation:
            where.append(f"căn cứ/basis {self.citation}")
        prefix = f"[{'; '.join(where)}] " if where else ""
        return visible(f"{prefix}{self.message_vi} / {self.message_en}")

    def with_context(self, *, project_code: str | None = None, field_prefix: str = "") -> Self:
        """Return a copy that also names the project (and a dotted field prefix).

        Value objects are validated before they know which project they belong to; the boundary
        that does know (a command, an importer row) adds that context here.
        """
        field = self.field
        if field_prefix:
            field = f"{field_prefix}.{field}" if field else field_prefix
        clone = type(self).__new__(type(self))
        DautuError.__init__(
            clone,
            self.message_vi,
            self.message_en,
            project_code=project_code if project_code is not None else self.project_code,
            field=field,
            rule_id=self.rule_id,
            citation=self.citation,
        )
        return clone

    def as_dict(self) -> dict[str, str | None]:
        """A JSON-friendly view, used by the CLI's ``--format json`` error output."""
        return {
            "error": type(self).__name__,
            "project_code": self.project_code,
            "field": self.field,
            "rule_id": self.rule_id,
            "citation": self.citation,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }


class InvalidValue(DautuError, ValueError):
    """Input that is malformed on its own (empty name, negative money, mojibake text...)."""


class RuleViolation(DautuError):
    """A command that is well-formed but not allowed by the rulebook or the project's state."""


class UnknownProject(DautuError, LookupError):
    """A command or query for a project code that has no recorded history."""

    @classmethod
    def not_in_store(cls, project_code: str) -> UnknownProject:
        """The error for a ``project`` option naming a project the store does not hold: one
        wording wherever an export or a listing is asked for one project."""
        return cls(
            f"Không có dự án {project_code} trong kho",
            f"there is no project {project_code} in the store",
            project_code=project_code,
            field="project",
            rule_id="project_known",
        )


class ConcurrencyConflict(DautuError):
    """Someone else appended to the project's stream between our read and our write.

    ``expected_version`` is what the writer believed; ``actual_version`` what the store holds.
    """

    def __init__(self, project_code: str, expected_version: int, actual_version: int | None):
        self.expected_version = expected_version
        self.actual_version = actual_version
        actual = "?" if actual_version is None else str(actual_version)
        super().__init__(
            f"Hồ sơ dự án đã bị người khác cập nhật (phiên bản mong đợi {expected_version}, "
            f"phiên bản hiện có {actual}); hãy tải lại và thử lại",
            f"the project's record was changed by someone else (expected version "
            f"{expected_version}, found {actual}); reload and retry",
            project_code=project_code,
            field="version",
            rule_id="optimistic_concurrency",
        )


class StorageError(DautuError):
    """The store could not do what was asked (connection lost, unreadable record...).

    Why a class of its own: a database that went away or a record that cannot be decrypted
    is neither a bad value nor a refused rule; callers (the CLI, an embedding portal) want to
    tell "try again later" from "the command is wrong". Every message about a failed write
    says what happened to it: a clerk must know whether the command was recorded.

    ``rule_id`` says which: ``store_connection`` (the database could not be reached or the
    connection dropped), ``store_missing`` (a store opened for reading is not there: no
    file, no dautu table), ``store_read_only`` (a write to a store opened read-only, or to a
    read-only file), ``store_not_database`` (the file is not a database),
    ``record_unreadable`` (a stored record could not be decrypted or decompressed: wrong key
    or damaged data), ``store_options`` (unusable options), ``store_sealing``
    (:class:`SealingMismatch`), ``store_dependency`` (:class:`MissingDependency`),
    ``stream_contiguous`` (:class:`StreamCorrupted`).

    ``written`` is set for a failed append: ``False`` when the store was checked afterwards and
    holds nothing of it, ``True`` when the check found it recorded after all (the connection
    dropped after the commit), ``None`` when the check itself could not be made.
    """

    written: bool | None = None


class SealingMismatch(StorageError):
    """The store was opened with another encryption setting than the one it was written with
    (a key on a plain store, no key or another key on an encrypted one). Nothing is written."""


class MissingDependency(StorageError):
    """A Python package the backend needs (a database driver...) is not installed;
    ``package`` is what to ``pip install``."""

    package: str = ""


class StreamCorrupted(StorageError):
    """A project's stream read back with a hole or a repeated version: the store is damaged
    (it is not a concurrent write, and retrying does not help)."""


class CopyRefused(StorageError):
    """A copy between stores (``dautu copy``, :mod:`dautu_adapters.copying`) cannot go on
    without breaking the target's proof.

    ``rule_id``: ``copy_target_not_prefix`` (the target holds records that are not exactly the
    source's first records; nothing was written), ``copy_source_gap`` (the source's positions
    have a hole, which the target cannot reproduce), ``copy_target_moved`` (someone else wrote
    to the target during the copy). ``target_size`` is the target's ``max_position()`` when
    the copy stopped.
    """

    target_size: int = 0


class ProjectionGap(DautuError):
    """A projection was offered records that do not follow on from what it has folded."""


class PluginError(DautuError):
    """Raised instead of a plugin warning in strict mode (``DAUTU_STRICT_PLUGINS=1``)."""


class AuditFailed(DautuError):
    """The log does not verify, so it cannot be checkpointed or exported as proof."""

    def __init__(self, report: AuditReport, action_vi: str, action_en: str) -> None:
        self.report = report
        first = report.first
        assert first is not None
        super().__init__(
            f"Không thể {action_vi}: nhật ký không toàn vẹn — {first.message('vi')}",
            f"cannot {action_en}: the log does not verify — {first.message('en')}",
            project_code=first.project_code,
            rule_id="audit_verify",
        )
