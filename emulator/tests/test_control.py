"""The control API: reset, apps, config, clock, call log and its redaction."""

import logging

import pytest
import requests
from ebay_app import API_SCOPE, USER_PATH

from emulator.ebay import ContractsMissing, start_emulator


def test_health_counts_the_operations(client):
    health = client.control("GET", "health")
    assert health["ok"] is True and health["contracts"] > 150
    assert health["checked"] is True


def test_reset_forgets_apps_tokens_and_logs(client):
    tokens = client.user_tokens()
    client.fault(path="/nowhere", kind="500")
    client.control("POST", "config", json={"latency_ms": 1})
    client.advance(10)
    client.control("POST", "reset")
    assert client.consent_page().status_code == 400  # the app is gone
    assert client.call("GET", USER_PATH, tokens["access_token"]).status_code == 401
    assert client.control("GET", "faults")["count"] == 0
    assert client.control("GET", "clock")["offset"] == 0
    assert client.control("GET", "violations")["count"] == 0
    # Only the two calls above: the consent page (400) and getUser (401).
    assert [c["status"] for c in client.calls()] == [400, 401]


def test_config_and_clock(client):
    answer = client.control("POST", "config", json={"code_ttl": 30})
    assert answer == {
        "access_token_ttl": 7200,
        "code_ttl": 30,
        "latency_ms": 0,
        "feed_step_seconds": 10,
        "feed_polls_per_step": 1,
    }
    _location, params = client.seller_consent()
    assert params["expires_in"] == "30"
    for bad in ({"nope": 1}, {"latency_ms": "fast"}, {"access_token_ttl": 0}):
        refused = client.session.post(f"{client.url}/_emulator/config", json=bad)
        assert refused.status_code == 400
    before = client.control("GET", "clock")
    after = client.advance(3600)
    assert after["offset"] == before["offset"] + 3600
    assert after["now"] > before["now"]


def test_call_log_records_and_redacts(client):
    tokens = client.user_tokens()
    client.call("GET", USER_PATH, tokens["access_token"], request_id="log-1")
    client.call(
        "POST",
        "/commerce/notification/v1/destination",
        client.app_token(),
        json={"deliveryConfig": {"verificationToken": "hush-" * 8}},
    )
    everything = client.control("GET", "calls")
    text = repr(everything)
    for secret in ("s3cret", tokens["refresh_token"], tokens["access_token"], "hush-"):
        assert secret not in text
    token_calls = client.calls(path="oauth2/token$")
    assert [c["body"]["grant_type"] for c in token_calls] == [
        "authorization_code",
        "client_credentials",
    ]
    first = token_calls[0]
    assert first["body"]["code"] == "<redacted>"
    assert first["body"]["redirect_uri"] == "ru"
    assert first["headers"]["Authorization"] == "<redacted>"
    assert first["method"] == "POST" and first["status"] == 200
    assert isinstance(first["at"], float)
    [user_call] = client.calls(path="/user/$", method="get")
    assert user_call["request_id"] == "log-1" and user_call["query"] == {}
    assert client.calls(path="/user/$", method="POST") == []
    client.control("DELETE", "calls")
    assert client.calls() == []


def test_nothing_secret_is_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    tokens = client.user_tokens()
    client.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    client.call("GET", USER_PATH, tokens["access_token"])
    logged = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("emulator")
    )
    assert "POST /identity/v1/oauth2/token 200" in logged
    assert "GET /oauth2/authorize 200" in logged
    for secret in ("s3cret", tokens["refresh_token"], tokens["access_token"]):
        assert secret not in logged
    assert "code=" not in logged and "state=st" not in logged


def test_command_line_apps_survive_a_reset(contracts_dir):
    app = {
        "client_id": "cli",
        "client_secret": "cli-secret",
        "ru_name": "cli-ru",
        "accept_url": "http://127.0.0.1:1/cb",
    }
    with start_emulator(contracts_dir=contracts_dir, apps=[app]) as handle:
        requests.post(f"{handle.url}/_emulator/reset", timeout=5).raise_for_status()
        answer = requests.post(
            f"{handle.url}/identity/v1/oauth2/token",
            data={"grant_type": "client_credentials", "scope": API_SCOPE},
            auth=("cli", "cli-secret"),
            timeout=5,
        )
        assert answer.status_code == 200


def test_without_contracts_it_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("EBAY_CONTRACTS_DIR", str(tmp_path / "missing"))
    for folder in (str(tmp_path / "missing"), None, str(tmp_path)):
        with pytest.raises(ContractsMissing):
            start_emulator(contracts_dir=folder)


def test_no_contracts_runs_unchecked_and_says_so(caplog):
    caplog.set_level(logging.WARNING)
    with start_emulator(no_contracts=True) as handle:
        assert "RUNS WITHOUT eBay's CONTRACTS" in caplog.text
        health = requests.get(f"{handle.url}/_emulator/health", timeout=5).json()
        assert health == {"ok": True, "checked": False, "contracts": 0}
        unknown = requests.get(f"{handle.url}/sell/inventory/v1/nothing", timeout=5)
        assert unknown.status_code == 404
        violations = requests.get(f"{handle.url}/_emulator/violations", timeout=5)
        assert violations.json()["count"] == 0  # nothing is checked


@pytest.mark.parametrize(("path", "status"), [("nothing", 404), ("calls?path=(", 400)])
def test_unknown_control_calls(client, path, status):
    answer = client.session.get(f"{client.url}/_emulator/{path}", timeout=5)
    assert answer.status_code == status
