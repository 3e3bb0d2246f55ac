"""Declared exporter options: unknown, malformed or misplaced options are refused with the
accepted ones named, defaults are filled, help and ``dautu plugins`` list them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dautu_adapters.exporters.options import ExporterOption, option_key, resolve_options
from dautu_adapters.plugins import PluginWarning, exporter_registry, get_plugin_manager
from dautu_core.errors import InvalidValue
from exports.conftest import run

DECLARED = (
    ExporterOption("as_of", date, "review date"),
    ExporterOption("project", str, "project code"),
    ExporterOption("limit", int, "at most", default=10),
    ExporterOption("full", bool, "everything", default=False),
    ExporterOption("style", str, "how", choices=("plain", "fancy")),
)


def test_defaults_are_filled_and_text_is_converted() -> None:
    assert resolve_options("x", DECLARED, {}) == {"limit": 10, "full": False}
    resolved = resolve_options(
        "x", DECLARED, [("as-of", "21/02/2024"), ("LIMIT", "3"), ("full", "có"), ("style", "fancy")]
    )
    assert resolved == {"as_of": date(2024, 2, 21), "limit": 3, "full": True, "style": "fancy"}


def test_an_unknown_option_is_refused_naming_the_accepted_ones() -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_options("review-csv", DECLARED, {"asof": "2024-02-21"})
    assert caught.value.rule_id == "export_option_known" and caught.value.field == "asof"
    assert "--as-of, --project, limit, full, style" in caught.value.message_en
    # a shared flag the exporter does not declare is named as the flag
    with pytest.raises(InvalidValue, match="does not take option --checkpoint"):
        resolve_options("review-csv", DECLARED, {"checkpoint": Path("cp.json")})
    with pytest.raises(InvalidValue, match="it takes no options"):
        resolve_options("bare", (), {"project": "DA-1"})


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("as_of", "2024-13-01", "date"),
        ("limit", "ten", "integer"),
        ("full", "maybe", "true/false"),
        ("style", "loud", "plain|fancy"),
    ],
)
def test_a_malformed_option_is_refused_naming_its_type(key: str, value: str, expected: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_options("x", DECLARED, {key: value})
    assert caught.value.rule_id == "export_option_type" and caught.value.field == key
    assert f"option {key} must be {expected}" in caught.value.message_en


def test_an_option_given_twice_or_a_required_one_missing_is_refused() -> None:
    with pytest.raises(InvalidValue, match="given twice"):
        resolve_options("x", DECLARED, [("as_of", "2024-01-01"), ("as-of", "2024-02-01")])
    required = (ExporterOption("project", str, "code", required=True),)
    with pytest.raises(InvalidValue, match="needs option --project CODE"):
        resolve_options("audit-bundle", required, {})


def test_declarations_themselves_are_checked() -> None:
    for bad in ("as-of", "As_of", "lang", "now", "1st"):
        with pytest.raises(ValueError):
            ExporterOption(bad)
    with pytest.raises(ValueError, match="required option has no default"):
        ExporterOption("project", required=True, default="DA-1")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_a_date_option_reads_both_spellings_and_keeps_a_date(day: date) -> None:
    option = DECLARED[0]
    assert option.convert(day.strftime("%d/%m/%Y"), "x") == day
    assert option.convert(day.isoformat(), "x") == day
    assert option.convert(day, "x") == day


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=12))
def test_an_option_key_is_known_whatever_its_spelling(name: str) -> None:
    key = option_key(name)
    if not key.isidentifier():
        return
    declared = (ExporterOption(key, str, ""),)
    assert resolve_options("x", declared, {name.upper(): "v"}) == {key: "v"}


def test_a_plugin_with_malformed_options_is_refused_with_a_warning(install) -> None:  # type: ignore[no-untyped-def]
    install(
        "dautu-bad-options",
        """
        from dautu_adapters.hookspecs import ExporterOption, hookimpl
        def exporter(store, out, options):
            return []
        @hookimpl
        def dautu_register_exporters(register):
            register("good", exporter, "ok", options=[ExporterOption("level", int, "n")])
            register("twice", exporter, "bad", options=[ExporterOption("a"), ExporterOption("a")])
            register("not-an-option", exporter, "bad", options=[{"name": "a"}])
        """,
    )
    with pytest.warns(PluginWarning) as warned:
        registry = exporter_registry(get_plugin_manager())
    messages = " ".join(str(w.message) for w in warned)
    assert "'twice' is refused: option 'a' is declared twice" in messages
    assert "'not-an-option' is refused: {'name': 'a'} is not a dautu ExporterOption" in messages
    good = registry.get("good")
    assert good is not None and [o.name for o in good.options] == ["level"]
    assert "twice" not in registry and "not-an-option" not in registry


# --- through the command line -----------------------------------------------------------


def test_a_mistyped_option_is_refused_and_nothing_is_written(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.csv"
    code, text = run(
        capsys, "--store", demo_url, "export", "review-csv", "--out", str(out),
        "--option", "asof=2024-02-21",
    )  # fmt: skip
    assert code == 1 and "asof" in text and "--as-of" in text and "review_round" in text
    assert "Traceback" not in text and not out.exists()


def test_flags_an_exporter_does_not_declare_are_refused_before_the_store_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "none.db"
    for argv in (
        ["export", "workbook", "--as-of", "2024-02-21"],
        ["export", "review-json", "--checkpoint", "cp.json"],
        ["export", "audit-bundle", "--project", "DA-1", "--option", "allow_gaps=perhaps"],
    ):
        code, text = run(capsys, "--store", f"sqlite:///{db}", *argv, "--out", str(tmp_path / "o"))
        assert code == 1 and "export_option" in text, text
    assert not db.exists(), "a refused export creates no store"


def test_project_and_as_of_are_honoured_by_the_review_exports(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(
        capsys, "--store", demo_url, "review", "--as-of", "2024-02-21", "--format", "json"
    )
    assert code == 0
    out = tmp_path / "all.json"
    run(
        capsys,
        "--store",
        demo_url,
        "export",
        "review-json",
        "--as-of",
        "21/02/2024",
        "--out",
        str(out),
    )
    everything = json.loads(out.read_text("utf-8"))
    assert everything["as_of"] == "2024-02-21" and len(everything["projects"]) == 78
    code_ = everything["projects"][5]["code"]
    one = tmp_path / "one.json"
    code, _ = run(
        capsys, "--store", demo_url, "export", "review-json", "--option", "as_of=2024-02-21",
        "--project", code_, "--out", str(one),
    )  # fmt: skip
    assert code == 0
    single = json.loads(one.read_text("utf-8"))
    assert [p["code"] for p in single["projects"]] == [code_]
    assert single["projects"][0] == everything["projects"][5]
    code, text = run(
        capsys, "--store", demo_url, "export", "review-json", "--project", "KHONG-CO",
        "--out", str(tmp_path / "none.json"),
    )  # fmt: skip
    assert code == 1 and "KHONG-CO" in text and "project_known" in text


def test_export_name_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "--lang", "en", "export", "audit-bundle", "--help")
    assert code == 0
    assert "--project CODE (text; required)" in text
    assert "--option allow_gaps=VALUE (true/false; default false)" in text
    assert "Not accepted: --as-of" in text
    code, text = run(capsys, "export", "review-csv", "-h")
    assert code == 0 and "--as-of DATE (ngày dd/mm/yyyy)" in text and "review_round" in text
    code, text = run(capsys, "export", "--help")
    assert code == 0 and "review-xlsx" in text and "audit-bundle" in text
    code, text = run(capsys, "export", "no-such", "--help")
    assert code == 1 and "review-csv" in text


def test_dautu_plugins_shows_each_exporters_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "plugins", "--json")
    assert code == 0
    exporters = {e["name"]: e for p in json.loads(text) for e in p["exporters"]}
    assert [o["name"] for o in exporters["review-csv"]["options"]] == [
        "as_of",
        "project",
        "review_round",
    ]
    bundle = {o["name"]: o for o in exporters["audit-bundle"]["options"]}
    assert bundle["project"]["required"] and bundle["allow_gaps"]["default"] == "false"
    code, text = run(capsys, "--lang", "en", "plugins")
    assert "--option review_round=VALUE (text)" in text


def test_an_export_of_a_store_that_does_not_exist_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "khong-co.db"
    code, text = run(capsys, "--store", f"sqlite:///{db}", "export", "events",
                     "--out", str(tmp_path / "e.jsonl"))  # fmt: skip
    assert code == 1 and "store_missing" in text and str(db) in text
    assert not db.exists() and not (tmp_path / "e.jsonl").exists()


def test_a_builtin_missing_from_old_installed_metadata_still_loads_before_third_parties(
    install,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dautu_adapters import plugins

    install(
        "dautu-late",
        """
        from dautu_adapters.hookspecs import hookimpl
        @hookimpl
        def dautu_register_exporters(register):
            register("oc4ids", lambda store, out, options: [], "a take-over")
        """,
    )
    found = plugins._sorted_entry_points
    # an editable install made before the exporters plugin existed
    monkeypatch.setattr(
        plugins,
        "_sorted_entry_points",
        lambda: [ep for ep in found() if ep.value != "dautu_adapters.exporters.plugin"],
    )
    with pytest.warns(PluginWarning, match="'oc4ids' is already registered"):
        registry = exporter_registry(get_plugin_manager())
    oc4ids = registry.get("oc4ids")
    assert oc4ids is not None and oc4ids.plugin.distribution == "dautu"
    assert oc4ids.plugin.module == "dautu_adapters.exporters.plugin"
