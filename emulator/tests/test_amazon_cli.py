"""``python3 -m emulator.amazon``: the start line, apps from a file (secrets
off argv), and no unchecked start by accident."""

import os
import subprocess
import sys
from pathlib import Path

import requests
from amazon_app import start_amazon_cli

REPO_DIR = Path(__file__).resolve().parents[2]
SECRET = "amzn1.oa2-cs.v1." + os.urandom(12).hex()


def _grantless(url, client_id, secret):
    return requests.post(
        f"{url}/auth/o2/token",
        data={
            "grant_type": "client_credentials",
            "scope": "sellingpartnerapi::notifications",
            "client_id": client_id,
            "client_secret": secret,
        },
        timeout=5,
    )


def _stop(process):
    process.terminate()
    process.wait(timeout=10)
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


def test_start_line_and_apps_from_a_file(tmp_path, amazon_models_dir):
    app_file = tmp_path / "apps"
    app_file.write_text(
        "# the demo app\n"
        f"cid-1:{SECRET}:amzn1.sp.solution.demo:http://127.0.0.1:8069/amazon/cb\n"
    )
    process, line, url = start_amazon_cli(
        "--models", amazon_models_dir, "--app-file", str(app_file)
    )
    try:
        assert line == f"Amazon emulator listening on {url}"
        assert SECRET.encode() not in Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert _grantless(url, "cid-1", SECRET).status_code == 200
        assert _grantless(url, "cid-1", "wrong").status_code == 401
        requests.post(f"{url}/_emulator/reset", timeout=5).raise_for_status()
        assert _grantless(url, "cid-1", SECRET).status_code == 200
        apps = requests.get(f"{url}/_emulator/amazon/apps", timeout=5).json()["apps"]
        assert apps[0]["redirect_uris"] == ["http://127.0.0.1:8069/amazon/cb"]
        health = requests.get(f"{url}/_emulator/health", timeout=5).json()
        assert health["checked"] is True
    finally:
        _stop(process)


def _run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "emulator.amazon", "--port", "0", *args],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        check=False,
    )


def test_refuses_to_start_without_models(tmp_path):
    result = _run(env=dict(os.environ, AMAZON_MODELS_DIR=str(tmp_path / "none")))
    assert result.returncode == 2
    assert "No Amazon models found" in result.stderr
    assert "listening" not in result.stdout


def test_unchecked_only_when_asked_and_loudly():
    process, line, url = start_amazon_cli("--no-contracts")
    try:
        assert line.startswith("Amazon emulator listening on")
        assert "WITHOUT AMAZON's MODELS" in process.stderr.readline() + (
            process.stderr.readline()
        )
        health = requests.get(f"{url}/_emulator/health", timeout=5).json()
        assert health["checked"] is False
    finally:
        _stop(process)


def test_a_bad_app_line_is_refused(tmp_path):
    app_file = tmp_path / "apps"
    app_file.write_text("only:two\n")
    result = _run("--app-file", str(app_file))
    assert result.returncode == 2
    assert "CLIENT_ID:CLIENT_SECRET:APPLICATION_ID:REDIRECT_URI" in result.stderr
