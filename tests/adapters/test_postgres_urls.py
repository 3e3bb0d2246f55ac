"""A PostgreSQL URL that cannot give a store says why in one bilingual line, password hidden."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg")

from dautu_adapters.stores import StorageError, open_store


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
    server = postgres_url.partition("?")[0]
    base = server.rpartition("/")[0]
    user_part, _, host_part = base.partition("://")[2].rpartition("@")
    url = f"postgresql://{user_part or 'dautu'}:bi-mat@{host_part}/khong_co_csdl"
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
