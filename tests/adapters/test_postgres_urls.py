"""A PostgreSQL URL that cannot give a store says why in one bilingual line, password hidden."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg")

from dautu_adapters.cli.main import main
from dautu_adapters.stores import StorageError, open_store


def _missing_database_url(postgres_url: str) -> str:
    server = postgres_url.partition("?")[0]
    base = server.rpartition("/")[0]
    user_part, _, host_part = base.partition("://")[2].rpartition("@")
    return f"postgresql://{user_part or 'dautu'}:bi-mat@{host_part}/khong_co_csdl"


@pytest.mark.parametrize("port", ["99999", "0", "65536", "abc", "-1"])
def test_a_port_out_of_range_is_refused_naming_the_url(port: str) -> None:
    url = f"postgresql://dautu:bi-mat@127.0.0.1:{port}/dautu"
    with pytest.raises(StorageError) as caught:
        open_store(url)
    message = str(caught.value)
    assert f"postgresql://dautu:***@127.0.0.1:{port}/dautu" in message
    assert "bi-mat" not in message
    assert "from 1 to 65535" in message and "từ 1 đến 65535" in message
    assert "\n" not in message
    assert caught.value.rule_id == "store_url_format"


def test_a_missing_database_is_named_not_a_pool_timeout(postgres_url: str) -> None:
    url = _missing_database_url(postgres_url)
    with pytest.raises(StorageError) as caught:
        open_store(url)
    message = str(caught.value)
    assert 'database "khong_co_csdl" does not exist' in message
    assert 'cơ sở dữ liệu "khong_co_csdl" không tồn tại' in message
    assert "couldn't get a connection" not in message
    assert "bi-mat" not in message and ":***@" in message
    assert "\n" not in message
    assert caught.value.rule_id == "store_connection"


def test_a_write_timeout_that_is_not_a_positive_number_is_refused(postgres_url: str) -> None:
    from dautu_core.errors import InvalidValue

    for value in ("0", "-3", "abc"):
        with pytest.raises(InvalidValue, match="write_timeout"):
            open_store(f"{postgres_url}&write_timeout={value}")


@pytest.mark.parametrize("read_only", [False, True])
def test_a_missing_database_is_named_when_opened_for_reading_too(
    postgres_url: str, read_only: bool
) -> None:
    with pytest.raises(StorageError, match='database "khong_co_csdl" does not exist'):
        open_store(_missing_database_url(postgres_url), read_only=read_only)


@pytest.mark.parametrize("argv", [["review"], ["verify"], ["history", "DA-1"]])
def test_the_command_line_says_it_in_one_line_without_a_traceback(
    postgres_url: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for url, expected in (
        ("postgresql://dautu:bi-mat@127.0.0.1:99999/dautu", "from 1 to 65535"),
        (_missing_database_url(postgres_url), 'database "khong_co_csdl" does not exist'),
    ):
        assert main(["--store", url, *argv]) == (2 if argv == ["verify"] else 1)
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1
        assert expected in captured.err and " / " in captured.err and "bi-mat" not in captured.err
