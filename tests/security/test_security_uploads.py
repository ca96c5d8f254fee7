"""Uploads: hostile file names are neutralised (nothing written outside a private temporary
folder, messages show only a safe base name) and oversized bodies are refused with 413
before they are read in full."""

from __future__ import annotations

import contextlib
import select
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from jointfund.http.limits import MAX_BODY_BYTES
from tests.http.api.conftest import Fund

from .security_roles import browser

API_UPLOADS = ["/api/filings", "/api/licences", "/api/fx"]
PROBE = "jf-traversal-probe.csv"
HOSTILE_NAMES = [
    f"../../../../../../tmp/{PROBE}",
    f"/tmp/{PROBE}",
    f"..\\..\\..\\tmp\\{PROBE}",
    f"evil\x00{PROBE}",
    f"....//....//tmp/{PROBE}",
    "../../etc/passwd",
]
BAD_CSV = b"licence_id,period\nnot,enough\n"


def _safe(name: str | None) -> bool:
    return name is not None and not any(c in name for c in "/\\\x00") and not name.startswith(".")


@pytest.fixture(autouse=True)
def no_probe() -> None:
    Path("/tmp", PROBE).unlink(missing_ok=True)


@pytest.mark.parametrize("path", API_UPLOADS)
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_api_upload_names_cannot_escape_or_leak_paths(fund: Fund, path: str, name: str) -> None:
    with fund.client("admin") as http:
        got = http.post(path, files={"file": (name, BAD_CSV, "text/csv")})
    assert got.status_code == 422, got.text
    problems = got.json()["error"]["problems"]
    assert problems and all(_safe(p["file"]) for p in problems), problems
    assert "jointfund-upload-" not in got.text, "the temporary path leaked"
    assert "/etc/passwd" not in got.text and "/tmp/" not in got.text
    assert not Path("/tmp", PROBE).exists()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_web_upload_names_cannot_escape_or_leak_paths(fund: Fund, name: str) -> None:
    with browser(fund, "admin") as (client, csrf):
        got = client.post(
            "/filings/upload",
            params={"format": "json"},
            data={"csrf_token": csrf},
            files={"file": (name, BAD_CSV, "text/csv")},
        )
    assert got.status_code == 422, got.text
    upload = got.json()["upload"]
    assert _safe(upload["file"]), upload["file"]
    assert "jf-upload-" not in got.text and "/tmp/" not in got.text
    assert "/etc/passwd" not in got.text
    assert not Path("/tmp", PROBE).exists()


def _raw_post(base: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    """Send headers and the first bytes of a body, then read whatever the server answers."""
    where = urlsplit(base)
    with socket.create_connection((where.hostname, where.port), timeout=10) as conn:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: test\r\n{head}\r\n".encode() + body)
        return conn.recv(65536)


def test_an_oversized_api_upload_is_refused_from_its_declared_length(fund: Fund) -> None:
    started = time.monotonic()
    answer = _raw_post(
        fund.base,
        "/api/filings",
        {
            "Authorization": f"Bearer {fund.tokens['admin']}",
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(MAX_BODY_BYTES + 1),
        },
        b"--x\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"payload_too_large" in answer
    assert time.monotonic() - started < 5, "it did not wait for the body"


def test_an_oversized_web_upload_is_refused_from_its_declared_length(fund: Fund) -> None:
    with browser(fund, "admin") as (client, _):
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    answer = _raw_post(
        fund.base,
        "/filings/upload",
        {
            "Cookie": cookie,
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(MAX_BODY_BYTES + 1),
        },
        b"--x\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_streamed_upload_is_cut_off_once_it_passes_the_limit(fund: Fund) -> None:
    where = urlsplit(fund.base)
    chunk = b"a" * (1024 * 1024)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\n'
    sent = 0
    answer = b""
    with socket.create_connection((where.hostname, where.port), timeout=10) as conn:
        conn.sendall(
            (
                "POST /api/filings HTTP/1.1\r\nHost: test\r\n"
                f"Authorization: Bearer {fund.tokens['admin']}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                "Transfer-Encoding: chunked\r\n\r\n"
            ).encode()
            + f"{len(part):x}\r\n".encode()
            + part
            + b"\r\n"
        )
        while sent < 3 * MAX_BODY_BYTES:
            readable, _, _ = select.select([conn], [], [], 0)
            if readable:
                break
            try:
                conn.sendall(framed)
            except OSError:
                break
            sent += len(chunk)
        conn.settimeout(10)
        with contextlib.suppress(OSError):
            answer = conn.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 2 * MAX_BODY_BYTES, "the server read on long past the limit"
