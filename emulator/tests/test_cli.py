"""``python3 -m emulator``: arguments, the start line, the port file."""

import argparse
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from ebay_app import query_of, start_cli

from emulator.__main__ import parse_app

REPO_DIR = Path(__file__).resolve().parents[2]


def test_parse_app():
    assert parse_app("id:secret:ru:https://odoo.example/cb") == {
        "client_id": "id",
        "client_secret": "secret",
        "ru_name": "ru",
        "accept_url": "https://odoo.example/cb",
    }
    app = parse_app("id:s:ru:http://127.0.0.1:8069/cb?x=1:http://127.0.0.1:8069/no")
    assert app["accept_url"] == "http://127.0.0.1:8069/cb?x=1"
    assert app["decline_url"] == "http://127.0.0.1:8069/no"
    for bad in ("id:secret:ru", "id::ru:http://x", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_app(bad)


def test_command_line(contracts_dir):
    process, line, url = start_cli(
        "--host",
        "127.0.0.1",
        "--contracts",
        contracts_dir,
        "--app",
        "cid:csecret:cru:http://127.0.0.1:1/yes:http://127.0.0.1:1/no",
    )
    try:
        assert line == f"eBay emulator listening on {url}"
        assert requests.get(f"{url}/_emulator/health", timeout=5).json()["ok"]
        session = requests.Session()
        query = urlencode(
            {
                "client_id": "cid",
                "redirect_uri": "cru",
                "response_type": "code",
                "scope": "https://api.ebay.com/oauth/api_scope",
                "state": "s",
            }
        )
        page = session.get(f"{url}/oauth2/authorize?{query}", timeout=5)
        ticket = page.text.split("name='ticket' value='")[1].split("'")[0]
        declined = session.post(
            f"{url}/oauth2/authorize/decide",
            data={"ticket": ticket, "decision": "decline"},
            allow_redirects=False,
            timeout=5,
        )
        assert declined.headers["Location"].startswith("http://127.0.0.1:1/no?")
        assert query_of(declined.headers["Location"])["error"] == "access_denied"
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=10)
    assert "GET /oauth2/authorize 200" in err
    assert "csecret" not in err and ticket not in err


def test_command_line_refuses_a_bad_app():
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "--port", "0", "--app", "nope"],
        cwd=REPO_DIR,
        capture_output=True,
        check=False,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and "--app needs" in done.stderr


def test_command_line_refuses_to_run_without_contracts(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "--port", "0"],
        cwd=REPO_DIR,
        capture_output=True,
        check=False,
        text=True,
        timeout=30,
        env=_env(EBAY_CONTRACTS_DIR=str(tmp_path / "missing")),
    )
    assert done.returncode == 2, done.stderr
    assert "No eBay contracts found" in done.stderr
    assert "--no-contracts" in done.stderr and done.stdout == ""


def test_no_contracts_flag_runs_unchecked_loudly(tmp_path):
    process, line, url = start_cli(
        "--no-contracts",
        env=_env(EBAY_CONTRACTS_DIR=str(tmp_path / "missing")),
    )
    try:
        assert line.startswith("eBay emulator listening on")
        health = requests.get(f"{url}/_emulator/health", timeout=5).json()
        assert health["checked"] is False and health["contracts"] == 0
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=10)
    assert "RUNS WITHOUT eBay's CONTRACTS (--no-contracts)" in err


def _env(**values):
    return dict(os.environ, **values)
