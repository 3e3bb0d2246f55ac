"""``dautu export oc4ids --out FILE.json [--project CODE] [--as-of DATE]``: an OC4IDS 0.9
project package for open-data users.

Why OC4IDS: it is the open standard for infrastructure projects that open-data portals and
civil-society tools read (Open Contracting for Infrastructure Data Standard, 0.9.5 schemas).
It was made for public works, not for private investment approvals, so the mapping is lossy;
``docs/exports.md`` says what goes where and what cannot be carried (suspension, violations and
sanctions, extensions and their grounds, corrections, legal bases, the review's tracks): the
record itself goes out whole with ``dautu export events``.

Each project is the state as of ``as_of`` (default today) as the record knows it now
(corrections applied). The package's ``publishedDate`` is the recorded time of the latest
record exported, so exporting an unchanged store again gives the same file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dautu_adapters.audit.render import EVENT_LABELS
from dautu_adapters.exporters.files import export_target, whole_file
from dautu_adapters.exporters.options import ExporterOption
from dautu_adapters.workbook.places import location_now, location_text
from dautu_core import events as ev
from dautu_core.codec import NO_UPCASTERS
from dautu_core.dates import VIETNAM_TIME, add_months, format_vi_date
from dautu_core.errors import UnknownProject
from dautu_core.ports import EventStore
from dautu_core.replay import Recorded, effective_events, from_records, state_at
from dautu_core.review.rules import milestone_label
from dautu_core.state import ProjectState
from dautu_core.values import Milestone
from dautu_core.vocab import MilestoneKind, ProjectStatus

__all__ = [
    "DEFAULT_PREFIX",
    "OC4IDS_OPTIONS",
    "OC4IDS_VERSION",
    "export_oc4ids",
    "oc4ids_package",
    "oc4ids_project",
]

OC4IDS_VERSION = "0.9"
"""The package's ``version`` (major.minor of the 0.9.5 schemas)."""

DEFAULT_PREFIX = "oc4ids-xxxxxx"
"""A placeholder project-id prefix: a publisher registers its own with the Open Contracting
Partnership and passes it with ``--option prefix=oc4ids-…``."""

OC4IDS_OPTIONS: tuple[ExporterOption, ...] = (
    ExporterOption("project", str, "chỉ dự án này / only this project (default every project)"),
    ExporterOption(
        "as_of", date, "trạng thái tính đến ngày (mặc định hôm nay) / state as of (default today)"
    ),
    ExporterOption(
        "prefix",
        str,
        "tiền tố mã dự án OC4IDS đã đăng ký / the registered OC4IDS project id prefix",
        default=DEFAULT_PREFIX,
    ),
    ExporterOption(
        "publisher",
        str,
        "cơ quan công bố (mặc định cơ quan chấp thuận, nếu chỉ có một) / the publishing body "
        "(default the approving authority, when there is only one)",
    ),
    ExporterOption(
        "uri",
        str,
        "URI của gói dữ liệu / the package URI (default urn:dautu:oc4ids:PREFIX)",
    ),
)

_MILESTONE_CODES: dict[MilestoneKind, str] = {
    MilestoneKind.CONSTRUCTION_START: "commencement",
    MilestoneKind.OPERATION_START: "commissioning",
}
"""OC4IDS milestone codes where one fits; capital contribution and phases have none."""

_LABELS = {
    "vi": {
        "approval": "Chấp thuận dự án",
        "budget": "Tổng vốn đầu tư đăng ký",
        "planned": "Kế hoạch ban đầu",
        "now_due": "hạn hiện tại",
        "terminated": "Chấm dứt hoạt động dự án",
        "partial": "Chấm dứt một phần",
        "now": "nay là",
    },
    "en": {
        "approval": "Project approved",
        "budget": "Registered total investment capital",
        "planned": "Originally planned",
        "now_due": "now due",
        "terminated": "Project terminated",
        "partial": "Partly terminated",
        "now": "now",
    },
}


def _moment(day: date) -> str:
    """An OC4IDS date-time for a legal date: the start of that day in Vietnam."""
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM_TIME).isoformat()


def _day(day: date, lang: str) -> str:
    return format_vi_date(day) if lang == "vi" else day.isoformat()


def _status(state: ProjectState) -> str:
    if state.status is ProjectStatus.TERMINATED:
        return "cancelled"
    met = {key.partition(":")[0] for key in state.milestones_met}
    if MilestoneKind.OPERATION_START.value in met:
        return "maintenance"
    if MilestoneKind.CONSTRUCTION_START.value in met:
        return "implementation"
    return "preparation"


def _milestone(m: Milestone, state: ProjectState, as_of: date, lang: str) -> dict[str, Any]:
    labels = _LABELS[lang]
    item: dict[str, Any] = {
        "id": m.key,
        "title": milestone_label(m.key, lang),
        "dueDate": _moment(m.due),
    }
    code = _MILESTONE_CODES.get(m.kind)
    if code is not None:
        item["code"] = code
    met = state.milestones_met.get(m.key)
    if met is not None:
        item["status"] = "met"
        item["dateMet"] = _moment(met)
    elif m.due < as_of or state.status is ProjectStatus.TERMINATED:
        item["status"] = "notMet"
    else:
        item["status"] = "scheduled"
    original = state.original_schedule.get(m.key) if state.original_schedule else None
    if original is not None and original.due != m.due:
        item["description"] = (
            f"{labels['planned']}: {_day(original.due, lang)}; {labels['now_due']}: "
            f"{_day(m.due, lang)}"
        )
    return item


def _location(state: ProjectState, as_of: date, now_word: str) -> dict[str, Any]:
    """Where the project is, as recorded, with its name after the 2025 reorganisation."""
    location = state.location
    assert location is not None
    where = location_text(location)
    now = location_now(location, as_of)
    address: dict[str, Any] = {"region": location.province, "countryName": "Việt Nam"}
    locality = ", ".join(p for p in (location.commune, location.district) if p)
    if locality:
        address["locality"] = locality
    return {
        "id": "1",
        "description": f"{where} ({now_word}: {now})" if now else where,
        "address": address,
    }


def _parties(state: ProjectState) -> list[dict[str, Any]]:
    parties: list[dict[str, Any]] = []
    for number, investor in enumerate(state.investors, start=1):
        party: dict[str, Any] = {
            "id": f"investor-{number}",
            "name": investor.name,
            "roles": ["funder"],
        }
        if investor.enterprise_code:
            party["identifier"] = {"id": investor.enterprise_code, "legalName": investor.name}
        parties.append(party)
    if state.authority is not None:
        parties.append(
            {"id": "authority", "name": state.authority.name, "roles": ["administrativeEntity"]}
        )
    return parties


def _documents(recorded: Sequence[Recorded], as_of: date, lang: str) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for version, event in effective_events(recorded, as_of=as_of):
        label_vi, label_en = EVENT_LABELS.get(event.TYPE_NAME, (event.TYPE_NAME, event.TYPE_NAME))
        for number, doc in enumerate(event.documents, start=1):
            item: dict[str, Any] = {
                "id": f"{version}-{number}",
                "title": doc.title or doc.number,
                "description": f"{label_vi if lang == 'vi' else label_en}: {doc.number}, "
                f"{_day(doc.issued_on, lang)}",
                "datePublished": _moment(doc.issued_on),
                "language": "vi",
            }
            if doc.issuer:
                item["author"] = doc.issuer
            if isinstance(event, ev.ProjectTerminated):
                item["documentType"] = "termination"
            documents.append(item)
    return documents


def oc4ids_project(
    code: str, recorded: Sequence[Recorded], as_of: date, prefix: str, lang: str = "vi"
) -> dict[str, Any] | None:
    """One OC4IDS project from a project's records, or ``None`` if it was not yet approved
    on ``as_of``."""
    state = state_at(recorded, as_of=as_of)
    if state.approved_on is None or state.project_name is None:
        return None
    labels = _LABELS[lang]
    project: dict[str, Any] = {
        "id": f"{prefix}-{code}",
        "identifiers": [{"id": code, "scheme": "dautu project code"}],
        "language": "vi",
        "title": state.project_name,
        "status": _status(state),
    }
    updated = max((r.event.recorded_at for r in recorded), default=None)
    if updated is not None:
        project["updated"] = updated.astimezone(VIETNAM_TIME).isoformat()
    if state.objectives:
        project["description"] = state.objectives
    if state.capital is not None:
        project["budget"] = {
            "description": labels["budget"],
            "amount": {"amount": state.capital.dong, "currency": "VND"},
            "approvalDate": _moment(state.approved_on),
        }
    period: dict[str, Any] = {"startDate": _moment(state.approved_on)}
    if state.duration_years:
        end = add_months(state.approved_on, 12 * state.duration_years) - timedelta(days=1)
        period["endDate"] = _moment(end)
        period["durationInDays"] = (end - state.approved_on).days + 1
    project["period"] = period
    if state.location is not None:
        project["locations"] = [_location(state, as_of, labels["now"])]
    if state.sector:
        project["additionalClassifications"] = [
            {"scheme": "dautu sector", "id": state.sector, "description": state.sector}
        ]
    parties = _parties(state)
    if parties:
        project["parties"] = parties
    milestones = [
        {
            "id": "approval",
            "title": labels["approval"],
            "code": "projectApproval",
            "status": "met",
            "dateMet": _moment(state.approved_on),
        }
    ]
    if state.schedule is not None:
        milestones.extend(_milestone(m, state, as_of, lang) for m in state.schedule.milestones)
    project["milestones"] = milestones
    documents = _documents(recorded, as_of, lang)
    if documents:
        project["documents"] = documents
    if state.status is ProjectStatus.TERMINATED and state.terminated_on is not None:
        ground = state.termination_ground
        details = labels["terminated"] + (f": {ground.label(lang)}" if ground else "")
        project["completion"] = {"endDate": _moment(state.terminated_on), "endDateDetails": details}
    return project


def oc4ids_package(
    store: EventStore,
    *,
    as_of: date,
    project: str | None = None,
    prefix: str = DEFAULT_PREFIX,
    publisher: str | None = None,
    uri: str | None = None,
    lang: str = "vi",
) -> dict[str, Any]:
    """The OC4IDS project package of ``store`` (or of ``project`` alone) as of ``as_of``."""
    upcasters = getattr(store, "upcasters", NO_UPCASTERS)
    codes = store.project_codes()
    if project is not None:
        if project not in codes:
            raise UnknownProject.not_in_store(project)
        codes = [project]
    projects: list[dict[str, Any]] = []
    authorities: set[str] = set()
    latest: datetime | None = None
    for code in codes:
        recorded = from_records(store.read_stream(code), upcasters)
        item = oc4ids_project(code, recorded, as_of, prefix, lang)
        if item is None:
            continue
        projects.append(item)
        authorities.update(p["name"] for p in item.get("parties", ()) if p["id"] == "authority")
        for r in recorded:
            if latest is None or r.event.recorded_at > latest:
                latest = r.event.recorded_at
    if not projects:
        raise UnknownProject(
            f"Không có dự án nào đã được chấp thuận tính đến ngày {format_vi_date(as_of)}",
            f"no project was approved as of {as_of.isoformat()}",
            project_code=project,
            field="as_of",
            rule_id="oc4ids_projects",
        )
    name = publisher or (authorities.pop() if len(authorities) == 1 else "dautu")
    published = latest or datetime(as_of.year, as_of.month, as_of.day, tzinfo=VIETNAM_TIME)
    return {
        "uri": uri or f"urn:dautu:oc4ids:{prefix}",
        "publishedDate": published.astimezone(VIETNAM_TIME).isoformat(),
        "publisher": {"name": name},
        "version": OC4IDS_VERSION,
        "projects": projects,
    }


def _today(options: Mapping[str, Any]) -> date:
    now = options.get("now")
    if isinstance(now, datetime):
        return now.astimezone(VIETNAM_TIME).date()
    return datetime.now(VIETNAM_TIME).date()


def export_oc4ids(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """Write the package to ``out`` (a ``.json`` file; a folder gets ``oc4ids.json``)."""
    resolved = {o.name: o.convert(options[o.name], "oc4ids") for o in OC4IDS_OPTIONS
                if options.get(o.name) is not None}  # fmt: skip
    package = oc4ids_package(
        store,
        as_of=resolved.get("as_of") or _today(options),
        project=resolved.get("project"),
        prefix=resolved.get("prefix") or DEFAULT_PREFIX,
        publisher=resolved.get("publisher"),
        uri=resolved.get("uri"),
        lang=str(options.get("lang") or "vi"),
    )
    path = export_target(Path(out), "oc4ids.json")
    with whole_file(path) as handle:
        json.dump(package, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return [path]
