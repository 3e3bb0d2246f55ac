"""The OC4IDS 0.9.5 schemas, loaded offline from ``../shared/schemas/oc4ids/`` (the folder
beside the repository; ``DAUTU_OC4IDS_SCHEMAS`` names another), as a jsonschema validator
that also checks the ``date-time`` and ``uri`` formats."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(os.environ.get("DAUTU_OC4IDS_SCHEMAS") or ROOT.parent / "shared/schemas/oc4ids")

FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    moment = datetime.fromisoformat(value)
    if "T" not in value or moment.tzinfo is None:
        raise ValueError(f"{value!r} is not an RFC 3339 date-time with an offset")
    return True


@FORMATS.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    if isinstance(value, str) and not urlparse(value).scheme:
        raise ValueError(f"{value!r} has no scheme")
    return True


def package_validator() -> jsonschema.Draft4Validator:
    """A validator of OC4IDS project packages; fails the test if the schemas are missing."""
    package_path = SCHEMAS / "project-package-schema.json"
    if not package_path.exists():
        pytest.fail(f"the OC4IDS schemas are not at {SCHEMAS} (set DAUTU_OC4IDS_SCHEMAS)")
    package = json.loads(package_path.read_text("utf-8"))
    project = json.loads((SCHEMAS / "project-schema.json").read_text("utf-8"))
    registry: Registry[Any] = Registry().with_resources(
        [(package["id"], Resource(package, DRAFT4)), (project["id"], Resource(project, DRAFT4))]
    )
    return jsonschema.Draft4Validator(package, registry=registry, format_checker=FORMATS)


def schema_errors(document: object) -> list[str]:
    """Every way ``document`` breaks the package schema, as ``path: message``."""
    return [f"{e.json_path}: {e.message}" for e in package_validator().iter_errors(document)]


def codelist(name: str) -> set[str]:
    """The codes of one of the schemas' codelists (``partyRole.csv``)."""
    import csv

    with (SCHEMAS / "codelists" / name).open(encoding="utf-8") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}
