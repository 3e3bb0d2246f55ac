"""Never a traceback for an expected failure: one line in Vietnamese and English and a non-zero
exit; Ctrl-C is exit 130; ``--debug`` shows the traceback; every ``--out`` is checked alike;
an argument that is not UTF-8 is refused by name."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dautu_adapters.cli.main import EXIT_INTERRUPTED, main

DAUTU = Path(sys.executable).with_name("dautu")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_an_expected_failure_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "export", "no-such-exporter", "--out", str(tmp_path / "x"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("dautu: ") and "no exporter named 'no-such-exporter'" in err
    assert "Không có trình xuất" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "x")
    for argv in (
        ["--debug", "export", "no-such-exporter", "--out", out],
        ["export", "no-such-exporter", "--out", out, "--debug"],
    ):
        code, _, err = _run(capsys, *argv)
        assert code == 1
        assert "Traceback (most recent call last)" in err
        assert err.rstrip().splitlines()[-1].startswith("dautu: ")


# Each command's way of writing a file, with a missing folder.
OUTPUTS = [
    ("--output", ["review", "--as-of", "21/02/2024", "--output", "{out}"]),
    ("--out", ["keygen", "--out", "{out}"]),
    ("--out", ["checkpoint", "--unsigned", "--out", "{out}"]),
    ("--out", ["export", "review-csv", "--out", "{out}"]),
    ("--out", ["template", "--out", "{out}"]),
    ("--errors", ["import", "{workbook}", "--dry-run", "--errors", "{out}"]),
]


def _argv(template: list[str], out: Path, tmp_path: Path) -> list[str]:
    workbook = Path(__file__).resolve().parents[2] / "examples/workbook/mau-nhap-lieu.xlsx"
    values = {"out": str(out), "workbook": str(workbook)}
    return ["--store", f"sqlite:///{tmp_path / 'kho.db'}", *(w.format(**values) for w in template)]


@pytest.mark.parametrize(("option", "template"), OUTPUTS, ids=[t[1][0] for t in OUTPUTS])
def test_an_output_in_a_missing_folder_is_refused_alike_by_every_command(
    option: str, template: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "khong-co" / "ket-qua.dat"
    code, _, err = _run(capsys, *_argv(template, out, tmp_path))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert f"{option} {out}: the folder {out.parent} does not exist" in err
    assert "không tồn tại" in err
    assert not out.parent.exists()
    assert not (tmp_path / "kho.db").exists()  # refused before the store was opened


@pytest.mark.parametrize(("option", "template"), OUTPUTS, ids=[t[1][0] for t in OUTPUTS])
def test_an_output_under_a_file_is_refused_alike_by_every_command(
    option: str, template: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "tep-thuong"
    blocker.write_text("not a folder")
    out = blocker / "ket-qua.dat"
    code, _, err = _run(capsys, *_argv(template, out, tmp_path))
    assert code == 1
    assert f"{option} {out}: {blocker} is not a folder" in err
    assert blocker.read_text() == "not a folder"


def test_a_file_output_that_is_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "keygen", "--out", str(tmp_path))
    assert code == 1
    assert "this is a folder, a file name is needed" in err


def test_a_project_code_that_is_not_utf8_is_refused_by_the_real_command(tmp_path: Path) -> None:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "DAUTU_STORE": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [str(DAUTU), "history", b"DA-\xff\xfe-01"],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "argument 2 (DA-\\xff\\xfe-01) is not valid UTF-8 text" in err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("code_text", "shown"), [("DA-\udc80", "DA-\\x80"), ("DA-\ud800", "DA-\\ud800")]
)
def test_a_lone_surrogate_is_refused(
    code_text: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "--store", "memory://", "explain", code_text)
    assert code == 1
    assert f"argument 4 ({shown}) is not valid UTF-8 text" in err


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path) -> None:
    # The review is made to wait, so that the interrupt arrives while the command runs.
    script = textwrap.dedent(
        """
        import sys, time
        import dautu_adapters.cli.review_commands as review

        def slow(*args, **kwargs):
            print("ready", file=sys.stderr, flush=True)
            time.sleep(60)

        review.review_store = slow
        from dautu_adapters.cli.main import main
        sys.exit(main(["--store", "memory://", "review", "--as-of", "21/02/2024"]))
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert child.stderr is not None
        assert child.stderr.readline().strip() == "ready"
        child.send_signal(signal.SIGINT)
        code = child.wait(timeout=30)
        err = child.stderr.read()
    finally:
        child.kill()
    assert code == EXIT_INTERRUPTED
    assert err.strip().splitlines() == [
        "dautu: đã dừng theo yêu cầu (Ctrl-C) / interrupted (Ctrl-C)"
    ]


def test_a_usage_error_is_exit_2_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "review", "--as-of", "31/02/2024")
    assert code == 2
    assert "does not exist (day 31, month 2, year 2024)" in err
    assert "Traceback" not in err
