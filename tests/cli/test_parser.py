"""One way to type things: every command has a help line, an example that parses, help on each
option, and the global options before or after its name."""

from __future__ import annotations

import argparse
import shlex

import pytest

from dautu_adapters.cli.main import EXAMPLES, build_parser, main

PARSER = build_parser()
SUBPARSERS = next(a for a in PARSER._actions if isinstance(a, argparse._SubParsersAction))
COMMANDS: dict[str, argparse.ArgumentParser] = dict(SUBPARSERS.choices)


def _example(name: str) -> list[str]:
    words = shlex.split(EXAMPLES[name])
    assert words[:2] == ["dautu", name]
    return words[1:]


def test_every_command_is_listed_with_a_help_line() -> None:
    listed = {a.dest: a.help for a in SUBPARSERS._choices_actions}
    assert set(listed) == set(COMMANDS)
    assert all(help_line for help_line in listed.values()), listed
    assert set(EXAMPLES) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_a_help_line(name: str) -> None:
    missing = [
        a.option_strings or a.dest
        for a in COMMANDS[name]._actions
        if not a.help or a.help == argparse.SUPPRESS
    ]
    assert missing == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_ends_with_an_example_that_parses(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([name, "--help"]) == 0
    shown = capsys.readouterr().out
    assert "Ví dụ / example:" in shown
    last = shown.rstrip().splitlines()[-1].strip().removeprefix("Ví dụ / example:").strip()
    assert last.startswith(f"dautu {name} "), last
    args = PARSER.parse_args(shlex.split(last)[1:])
    assert args.func is not None
    assert PARSER.parse_args(_example(name)).func is args.func


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_global_options_work_before_and_after_the_command(name: str) -> None:
    example = _example(name)
    options = ["--store", "memory://", "--lang", "en", "--debug"]
    if name == "check-adapter":
        # Everything after the URL is taken as is; our own options come before it.
        after = [example[0], *options, *example[1:]]
    else:
        after = [*example, *options]
    for argv in ([*options, *example], after):
        args = PARSER.parse_args(argv)
        assert (args.store, args.lang, args.debug) == ("memory://", "en", True), argv
    plain = PARSER.parse_args(example)
    assert (plain.store, plain.lang, plain.debug) == (None, "vi", False)


def test_an_option_after_the_command_overrides_the_one_before() -> None:
    args = PARSER.parse_args(["--lang", "en", "review", "--lang", "vi"])
    assert args.lang == "vi"


def test_check_adapter_takes_the_global_options_after_the_url_too() -> None:
    from dautu_adapters.cli.kit_commands import _split_target

    args = PARSER.parse_args(["check-adapter", "memory://", "--lang", "en", "--", "-x"])
    assert _split_target(args) == ("memory://", ["-x"])
    assert args.lang == "en"


@pytest.mark.parametrize(
    "name", sorted(n for n, p in COMMANDS.items() if "--as-of" in p._option_string_actions)
)
def test_every_date_option_reads_both_forms_and_refuses_ambiguous_ones(name: str) -> None:
    base = _example(name)
    if "--as-of" in base:
        base = base[: base.index("--as-of")] + base[base.index("--as-of") + 2 :]
    day_first = PARSER.parse_args([*base, "--as-of", "21/02/2024"]).as_of
    iso = PARSER.parse_args([*base, "--as-of", "2024-02-21"]).as_of
    assert day_first == iso
    assert str(iso)[:10] == "2024-02-21"
    with pytest.raises(SystemExit):
        PARSER.parse_args([*base, "--as-of", "20240221"])
