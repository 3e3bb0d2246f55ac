"""One exception hierarchy for everything dautu refuses.

Why bilingual: the people who read these messages are clerks and inspectors in a provincial
department (Vietnamese) as well as the developers embedding the library (English). Every error
names the project code, the field and the rule so that a refusal can be acted on without
reading source code.
"""

from __future__ import annotations

from typing import Self

__all__ = [
    "ConcurrencyConflict",
    "DautuError",
    "InvalidValue",
    "RuleViolation",
    "UnknownProject",
]


class DautuError(Exception):
    """Base of every error raised by dautu.

    ``message_vi`` and ``message_en`` say the same thing in Vietnamese and English; ``str(err)``
    shows both. ``project_code``, ``field`` and ``rule_id`` are machine-readable for callers who
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
        return f"{prefix}{self.message_vi} / {self.message_en}"

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
