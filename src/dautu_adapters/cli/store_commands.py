"""``dautu plugins`` and the ``--store URL`` helper the other commands use.

``dautu plugins`` answers "what is installed and where does it come from": every plugin with its
distribution and version, and the store schemes, exporters and rulebooks it registered, plus
the plugins that failed to load and why. An exporter whose Python dependency is missing
(declared with :func:`dautu_adapters.hookspecs.requires`) is marked unavailable, with what to
install, rather than listed as if it worked. Vietnamese by default (``--lang en`` for English);
``--json`` for scripts.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import warnings
from typing import Any

from dautu_adapters.cli.common import bilingual
from dautu_adapters.hookspecs import exporter_requires
from dautu_adapters.plugins import (
    BUILTIN_CORE,
    DautuPluginManager,
    PluginInfo,
    PluginWarning,
    exporter_registry,
    get_plugin_manager,
    review_rulebook_registry,
    rulebook_registry,
    store_registry,
)
from dautu_adapters.stores import Store, open_store

__all__ = ["open_store_from_args", "plugins_report", "register"]

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Plugin của dautu",
        "stores": "Kho lưu trữ",
        "exporters": "Trình xuất dữ liệu",
        "rulebooks": "Bộ quy tắc",
        "review_rulebooks": "Bộ quy tắc rà soát",
        "failed": "LỖI, đã bỏ qua",
        "none": "(không đăng ký gì)",
        "builtin_core": "bộ quy tắc có sẵn của lõi",
        "help": "liệt kê các plugin đã cài và những gì chúng đăng ký",
        "json_help": "xuất JSON",
        "unavailable": "KHÔNG DÙNG ĐƯỢC: thiếu {modules}; cài: {install}",
    },
    "en": {
        "title": "dautu plugins",
        "stores": "Stores",
        "exporters": "Exporters",
        "rulebooks": "Rulebooks",
        "review_rulebooks": "Review rulebooks",
        "failed": "FAILED, ignored",
        "none": "(registers nothing)",
        "builtin_core": "rulebooks built into the core",
        "help": "list installed plugins and what they registered",
        "json_help": "print JSON",
        "unavailable": "UNAVAILABLE: {modules} missing; install: {install}",
    },
}


def register(subparsers: Any) -> None:
    """Add ``dautu plugins`` to the command line."""
    parser = subparsers.add_parser(
        "plugins",
        help=bilingual(LABELS["vi"]["help"], LABELS["en"]["help"]),
        description=bilingual(LABELS["vi"]["help"], LABELS["en"]["help"]),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=bilingual(LABELS["vi"]["json_help"], LABELS["en"]["json_help"]),
    )
    parser.set_defaults(func=plugins_command)


def open_store_from_args(args: argparse.Namespace, **options: Any) -> Store:
    """The store named by the global ``--store URL`` (default ``$DAUTU_STORE``, else
    ``sqlite:///dautu.db``), opened with ``options``."""
    url = getattr(args, "store", None) or None
    return open_store(url, **options)


def _entry(info: PluginInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "distribution": info.distribution,
        "version": info.version,
        "module": info.module,
        "entry_point": info.entry_point,
        "status": "loaded",
        "problems": [],
        "stores": [],
        "exporters": [],
        "rulebooks": [],
        "review_rulebooks": [],
    }


def _missing(modules: tuple[str, ...]) -> list[str]:
    missing = []
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(module)
    return missing


def plugins_report(pm: DautuPluginManager) -> list[dict[str, Any]]:
    """Every plugin (loaded or failed) and what it registered, as JSON-ready dicts.

    The core's own rulebooks come first (as ``dautu_core``), then plugins in load order
    (dautu's builtins before third-party ones). ``status`` is ``loaded`` or ``failed``;
    ``problems`` lists what went wrong (import errors, refused registrations). Each exporter
    says whether it can run here (``available``) and, if not, which modules are ``missing``
    and what to ``install``.
    """
    report: dict[str, dict[str, Any]] = {BUILTIN_CORE.name: _entry(BUILTIN_CORE)}
    for info in pm.attempted:
        report.setdefault(info.name, _entry(info))
    registries: list[tuple[str, Any]] = [
        ("stores", store_registry(pm)),
        ("exporters", exporter_registry(pm)),
        ("review_rulebooks", review_rulebook_registry(pm)),
    ]
    for key, registry in registries:
        for registration in registry:
            entry = report.setdefault(registration.plugin.name, _entry(registration.plugin))
            item: dict[str, Any] = {
                "name": registration.name,
                "description": registration.description,
            }
            if key == "exporters":
                item["options"] = [option.as_dict() for option in registration.options]
                modules, install = exporter_requires(registration.value)
                missing = _missing(modules)
                item["available"] = not missing
                item["missing"] = missing
                if missing:
                    item["install"] = f'pip install "{install}"'
            entry[key].append(item)
    for registration in rulebook_registry(pm).registrations:
        entry = report.setdefault(registration.plugin.name, _entry(registration.plugin))
        entry["rulebooks"].append(
            {"name": registration.name, "description": registration.description}
        )
    for failure in pm.failures:
        entry = report.setdefault(failure.plugin.name, _entry(failure.plugin))
        if failure.disabled:
            entry["status"] = "failed"
        if failure.error not in entry["problems"]:
            entry["problems"].append(failure.error)
    return list(report.values())


def _print_text(report: list[dict[str, Any]], lang: str) -> None:
    labels = LABELS.get(lang, LABELS["vi"])
    print(f"{labels['title']}:")
    for entry in report:
        origin = " ".join(str(p) for p in (entry["distribution"], entry["version"]) if p)
        where = entry["module"] or ""
        if entry["name"] == BUILTIN_CORE.name:
            where = labels["builtin_core"]
        print(f"\n{entry['name']} — {origin or '?'} ({where})")
        if entry["status"] == "failed":
            print(f"  {labels['failed']}")
        for problem in entry["problems"]:
            print(f"  ! {problem}")
        sections = [k for k in ("stores", "exporters", "rulebooks", "review_rulebooks") if entry[k]]
        if not sections and entry["status"] == "loaded":
            print(f"  {labels['none']}")
        for key in sections:
            print(f"  {labels[key]}:")
            for item in entry[key]:
                name = f"{item['name']}://" if key == "stores" else item["name"]
                description = f" — {item['description']}" if item["description"] else ""
                print(f"    {name}{description}")
                if item.get("missing"):
                    modules = ", ".join(item["missing"])
                    line = labels["unavailable"].format(modules=modules, install=item["install"])
                    print(f"      {line}")
                for option in item.get("options", ()):
                    print(f"      {option_line(option, lang)}")


def option_line(option: dict[str, Any], lang: str) -> str:
    """An exporter option of the JSON report as one line of text."""
    extra = []
    if option["required"]:
        extra.append("bắt buộc" if lang == "vi" else "required")
    elif option["default"] is not None:
        extra.append(f"{'mặc định' if lang == 'vi' else 'default'} {option['default']}")
    tail = f"; {', '.join(extra)}" if extra else ""
    help_text = f" — {option['help']}" if option["help"] else ""
    kind = option.get("type_vi", option["type"]) if lang == "vi" else option["type"]
    return f"{option['flag']} ({kind}{tail}){help_text}"


def plugins_command(args: argparse.Namespace) -> int:
    """``dautu plugins [--json]``."""
    with warnings.catch_warnings():
        # Failures are part of the report; do not print them twice.
        warnings.simplefilter("ignore", PluginWarning)
        pm = get_plugin_manager()
        report = plugins_report(pm)
    if getattr(args, "json", False):
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_text(report, getattr(args, "lang", "vi"))
    return 0
