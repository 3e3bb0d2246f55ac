"""The auditor's commands end to end on a SQLite file: history, explain, keygen, checkpoint,
verify, export audit-bundle and verify-bundle, in Vietnamese and English."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import attrs
import pytest

from audit.samples import at, correction, project_commands
from dautu_adapters.cli.audit_commands import parse_date, parse_moment
from dautu_adapters.cli.main import main
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core.events import DelayRecorded
from dautu_core.vocab import CorrectionAction


@pytest.fixture
def url(tmp_path: Path) -> str:
    """Two projects; DA-0001's delay (v2) later amended by an inspector (v6)."""
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    store = open_store(url)
    service = ProjectService(store)
    for code in ("DA-0001", "DA-0002"):
        service.execute_batch(project_commands(code))
    delay = store.read_stream("DA-0001")[1].event()
    assert isinstance(delay, DelayRecorded)
    service.execute(
        correction(
            "DA-0001",
            2,
            date(2024, 6, 1),
            at(date(2024, 6, 1)),
            action=CorrectionAction.AMEND,
            replacement=attrs.evolve(delay, reason="Chậm bàn giao đất"),
            reason="Ghi sai lý do chậm",
        )
    )
    store.close()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_history_in_vietnamese_shows_corrections_with_who_and_why(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--store", url, "history", "DA-0001")
    assert code == 0
    assert "Lịch sử dự án DA-0001" in out
    assert "hiệu lực 15/03/2022" in out and "căn cứ: Điều 32 61/2020/QH14" in out
    assert "văn bản: 1234/QĐ-UBND (15/03/2022)" in out
    assert "(đã được sửa đổi)" in out and "bị đính chính bởi phiên bản 6" in out
    assert "nay ghi: Ghi nhận chậm tiến độ: Khởi công xây dựng: Chậm bàn giao đất" in out
    assert "Trần Thị Lan (Thanh tra Sở Tài chính)" in out and "Ghi sai lý do chậm" in out


def test_history_as_known_before_the_correction_in_english_json(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(
        capsys,
        "--store",
        url,
        "--lang",
        "en",
        "history",
        "DA-0001",
        "--known-at",
        "2024-05-31T12:00",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert [e["version"] for e in data["events"]] == [1, 2, 3, 4, 5]
    delay = data["events"][1]
    assert delay["status"] == "recorded" and delay["summary"].startswith("Delay recorded")
    assert delay["actor"]["name"] == "Nguyễn Văn Bình"
    assert data["events"][0]["legal_basis"][0]["cite"] == "61/2020/QH14, Art. 32"
    code, out = run(capsys, "--store", url, "history", "DA-0001", "--format", "json")
    later = json.loads(out)["events"]
    assert later[1]["status"] == "amended" and later[1]["corrected_by"] == [6]
    assert later[5]["corrects"] == 6 - 4 and later[5]["reason"] == "Ghi sai lý do chậm"


def test_explain_names_versions_and_the_rule_with_its_citation(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--store", url, "explain", "DA-0002", "--as-of", "21/02/2024")
    assert code == 0
    assert "tình trạng tính đến ngày 21/02/2024 (bộ quy tắc vn.law-61-2020)" in out
    assert "Giãn tiến độ: đã dùng 12/24 tháng, còn 12 tháng  [phiên bản 4]" in out
    assert "căn cứ: khoản 4 Điều 41 61/2020/QH14" in out
    code, out = run(
        capsys,
        "--store",
        url,
        "--lang",
        "en",
        "explain",
        "DA-0002",
        "--as-of",
        "2024-02-21",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["status"] == "approved"
    extension = next(line for line in data["lines"] if line["topic"] == "extension")
    assert extension["versions"] == [4]
    assert extension["citations"][0]["cite"] == "61/2020/QH14, Art. 41(4)"


def test_an_unknown_project_is_a_clear_error(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--store", url, "history", "DA-9999")
    assert code == 1 and "DA-9999" in out


def test_keygen_checkpoint_verify_and_tampering(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, cp = tmp_path / "ky.pem", tmp_path / "cp.json"
    code, out = run(capsys, "keygen", "--out", str(key))
    assert code == 0 and (tmp_path / "ky.pem.pub").exists() and "Mã khoá" in out
    code, out = run(capsys, "--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    assert code == 0 and "11 bản ghi" in out
    public = str(tmp_path / "ky.pem.pub")
    code, out = run(
        capsys, "--store", url, "verify", "--checkpoint", str(cp), "--public-key", public
    )
    assert code == 0 and "KẾT QUẢ: TOÀN VẸN" in out and "chữ ký hợp lệ" in out
    code, out = run(capsys, "--store", url, "verify", "--checkpoint", str(cp))
    assert code == 1 and "--public-key" in out, "a checkpoint needs the authority's key"
    code, out = run(capsys, "--store", url, "verify", "--checkpoint", str(cp), "--allow-unsigned")
    assert code == 0 and "chữ ký CHƯA được kiểm tra" in out
    assert "chỉ kiểm tra tính toàn vẹn, KHÔNG xác thực" in out

    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as con:
        state = bytes(con.execute("SELECT state FROM stored_events WHERE rowid=7").fetchone()[0])
        con.execute(
            "UPDATE stored_events SET state=? WHERE rowid=7",
            (state.replace("giải phóng".encode(), "giai phóng".encode()),),
        )
    con.close()
    code, out = run(
        capsys, "--store", url, "verify", "--checkpoint", str(cp), "--public-key", public
    )
    assert code == 1
    assert "PHÁT HIỆN SAI LỆCH" in out
    assert "Đầu tiên: dự án DA-0002, phiên bản 2, vị trí 7: bị sửa đổi" in out
    code, out = run(capsys, "--store", url, "--lang", "en", "verify", "--format", "json")
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    assert data["findings"][0]["project_code"] == "DA-0002" and data["findings"][0]["version"] == 2


def test_checkpoint_with_a_new_key(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "new.pem"
    code, _ = run(
        capsys,
        "--store",
        url,
        "checkpoint",
        "--new-key",
        "--key",
        str(key),
        "--out",
        str(tmp_path / "c.json"),
    )
    assert code == 0 and key.exists()
    signed = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert signed["signature"] and signed["log_size"] == 11


def test_export_and_verify_bundle(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, cp, out_dir = tmp_path / "k.pem", tmp_path / "cp.json", tmp_path / "bundle"
    run(capsys, "keygen", "--out", str(key))
    run(capsys, "--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    public = str(tmp_path / "k.pem.pub")
    code, out = run(
        capsys,
        "--store",
        url,
        "export",
        "audit-bundle",
        "--project",
        "DA-0001",
        "--checkpoint",
        str(cp),
        "--public-key",
        public,
        "--out",
        str(out_dir),
    )
    assert code == 0 and "records.jsonl" in out
    code, out = run(capsys, "verify-bundle", str(out_dir), "--public-key", public)
    assert code == 0 and "KẾT QUẢ: HỢP LỆ" in out and "6 bản ghi" in out
    # The key shipped in the bundle is never enough: a forger ships their own.
    code, out = run(capsys, "verify-bundle", str(out_dir), "--require-signature")
    assert code == 1 and "KẾT QUẢ: HỢP LỆ" not in out
    code, out = run(capsys, "--lang", "en", "verify-bundle", str(out_dir), "--allow-unsigned")
    assert code == 0 and "integrity only, not authenticity" in out and "VALID (" not in out
    records = out_dir / "records.jsonl"
    lines = records.read_text("utf-8").splitlines()
    records.write_text("\n".join(lines[:-1]) + "\n", "utf-8")
    code, out = run(capsys, "--lang", "en", "verify-bundle", str(out_dir), "--public-key", public)
    assert code == 1 and "RESULT: INVALID" in out and "project DA-0001, version 6" in out


def test_export_names_the_installed_exporters_when_asked_for_another(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--store", url, "export", "no-such", "--out", str(tmp_path / "x"))
    assert code == 1 and "audit-bundle" in out
    code, out = run(capsys, "--store", url, "export", "audit-bundle", "--out", str(tmp_path / "y"))
    assert code == 1 and "--project" in out


def test_dates_and_times_on_the_command_line() -> None:
    assert parse_date("21/02/2024") == parse_date("2024-02-21") == date(2024, 2, 21)
    moment = parse_moment("2024-02-21T09:00")
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert parse_moment("2024-02-21") == parse_moment("2024-02-21T23:59:59.999999+07:00")
    assert parse_moment("2024-02-21T02:00+00:00") == datetime.fromisoformat(
        "2024-02-21T09:00+07:00"
    )


def test_verify_reads_the_log_once_and_cross_checks_streams_only_when_asked(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Re-reading every project's stream costs one query per project: `--cross-check`."""
    from dautu_adapters.audit import trail

    calls: list[int] = []
    real = trail._check_streams

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trail, "_check_streams", counted)
    code, out = run(capsys, "--store", url, "verify")
    assert code == 0 and "KẾT QUẢ: TOÀN VẸN" in out and calls == []
    assert "Bảo đảm hạn chế" in out and "bản ghi cuối của mỗi dự án" in out
    code, out = run(capsys, "--store", url, "verify", "--cross-check")
    assert code == 0 and calls == [1]


def test_times_are_shown_in_vietnam_time_and_today_is_vietnams() -> None:
    from dautu_adapters.audit.render import show_time
    from dautu_adapters.cli.common import vietnam_now as _now

    utc = datetime.fromisoformat("2024-02-21T20:30+00:00")
    assert show_time(utc, "vi") == "22/02/2024 03:30 (giờ Việt Nam, UTC+07:00)"
    assert show_time(utc, "en") == "2024-02-22 03:30 (ICT, UTC+07:00)"
    now = _now()
    assert now.utcoffset() is not None and now.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise io.UnsupportedOperation("no file")

    monkeypatch.setattr("sys.stdout", Closed())
    assert main(["--store", url, "history", "DA-0001"]) == 0


def test_diff_lists_what_was_learned_between_two_points(tmp_path: Path) -> None:
    """``dautu diff``: the records learned between two known-at points and the fields moved."""
    dautu = Path(sys.executable).with_name("dautu")
    url = f"sqlite:///{tmp_path / 'diff.db'}"
    demo = subprocess.run(
        [str(dautu), "--store", url, "demo"], capture_output=True, text=True, check=False
    )
    assert demo.returncode == 0, demo.stderr
    run = subprocess.run(
        [str(dautu), "--store", url, "diff", "DA-HD-005", "--from", "2023-01-01",
         "--to", "2024-03-01", "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    change = json.loads(run.stdout)
    learned = [item["version"] for item in change["learned"]]
    assert learned and learned == sorted(learned)
    assert all(v in learned for v in change["appeared"])
    fields = {c["field"] for c in change["changes"]}
    assert "last_recorded_at" not in fields and "history" not in fields
    nothing = subprocess.run(
        [str(dautu), "--store", url, "diff", "DA-HD-005", "--from", "2024-03-01",
         "--to", "2024-03-01"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert nothing.returncode == 0 and "Không có thay đổi" in nothing.stdout
