"""``--app-file``: an app's client secret reaches the emulator off argv.

scripts/run.sh registers the demo app this way; a secret on a command line
is readable by every user of the machine (``ps``, /proc/PID/cmdline).
"""

import base64
import os
import subprocess
import sys
from pathlib import Path

import requests
from ebay_app import start_cli

REPO_DIR = Path(__file__).resolve().parents[2]
SECRET = "app-file-secret-" + base64.urlsafe_b64encode(os.urandom(18)).decode()


def _start(contracts_dir, *args):
    process, _line, url = start_cli("--contracts", contracts_dir, *args)
    return process, url


def _client_credentials(url, client_id, secret):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return requests.post(
        f"{url}/identity/v1/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "scope": "https://api.ebay.com/oauth/api_scope",
        },
        headers={"Authorization": f"Basic {basic}"},
        timeout=5,
    )


def test_apps_from_a_file_are_registered_and_not_on_argv(tmp_path, contracts_dir):
    app_file = tmp_path / "apps"
    app_file.write_text(
        "# the demo app\n"
        f"file-app:{SECRET}:file-ru:http://127.0.0.1:1/yes:http://127.0.0.1:1/no\n"
        "\n"
        "second-app:other-secret:second-ru:http://127.0.0.1:1/cb\n"
    )
    process, url = _start(contracts_dir, "--app-file", str(app_file))
    try:
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert SECRET.encode() not in cmdline
        assert str(app_file).encode() in cmdline
        granted = _client_credentials(url, "file-app", SECRET)
        assert granted.status_code == 200, granted.text
        assert granted.json()["access_token"]
        assert _client_credentials(url, "second-app", "other-secret").ok
        refused = _client_credentials(url, "file-app", "wrong")
        assert refused.status_code == 401
        # Kept across a reset, as --app apps are.
        requests.post(f"{url}/_emulator/reset", timeout=5).raise_for_status()
        assert _client_credentials(url, "file-app", SECRET).ok
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=10)
    assert SECRET not in err


def test_a_bad_app_file_is_refused_without_echoing_it(tmp_path):
    app_file = tmp_path / "apps"
    app_file.write_text(f"only-id:{SECRET}\n")
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "--port", "0", "--app-file", str(app_file)],
        cwd=REPO_DIR,
        capture_output=True,
        check=False,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and "--app needs" in done.stderr
    assert SECRET not in done.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "emulator", "--app-file", str(tmp_path / "none")],
        cwd=REPO_DIR,
        capture_output=True,
        check=False,
        text=True,
        timeout=30,
    )
    assert missing.returncode == 2 and "--app-file" in missing.stderr
