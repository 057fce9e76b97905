"""Faults and latency: what tests and benchmarks inject into eBay calls."""

import time

import pytest
import requests
from ebay_app import API_SCOPE, TOKEN_PATH, USER_PATH


@pytest.fixture
def user_token(client):
    return client.user_tokens()["access_token"]


def test_429_answers_ebays_body_with_retry_after(client, user_token):
    client.fault(path="^/commerce/identity/", kind="429", retry_after=3)
    faulted = client.call("GET", USER_PATH, user_token, request_id="r-429")
    assert faulted.status_code == 429
    assert faulted.headers["Retry-After"] == "3"
    assert faulted.headers["X-EBAY-C-REQUEST-ID"] == "r-429"
    assert faulted.json() == {
        "errors": [
            {
                "errorId": 2001,
                "domain": "ACCESS",
                "category": "REQUEST",
                "message": "Too many requests.",
                "longMessage": "The request limit has been reached for the resource.",
            }
        ]
    }
    # times defaults to 1: the next call goes through.
    assert client.call("GET", USER_PATH, user_token).status_code == 200
    assert [c["status"] for c in client.calls(path="/user/$")] == [429, 200]


@pytest.mark.parametrize(
    "path,error_id,domain",
    [
        (USER_PATH, 2003, "ACCESS"),
        ("/sell/inventory/v1/inventory_item/A", 25001, "API_INVENTORY"),
    ],
)
def test_500_answers_a_system_error(client, user_token, path, error_id, domain):
    client.fault(path=path, kind="500")
    faulted = client.call("GET", path, user_token)
    assert faulted.status_code == 500
    error = faulted.json()["errors"][0]
    assert (error["errorId"], error["domain"]) == (error_id, domain)
    assert error["category"] == "APPLICATION"
    assert "Retry-After" not in faulted.headers


def test_503_with_retry_after_until_cleared(client, user_token):
    client.fault(path="/user/", kind="503", retry_after=7, times=-1)
    for _ in range(3):
        faulted = client.call("GET", USER_PATH, user_token)
        assert faulted.status_code == 503 and faulted.headers["Retry-After"] == "7"
    assert client.control("GET", "faults")["count"] == 1
    client.control("DELETE", "faults")
    assert client.call("GET", USER_PATH, user_token).status_code == 200


def test_fault_times_and_method(client, user_token):
    client.fault(path="/user/", kind="500", times=2, method="post")
    assert client.call("GET", USER_PATH, user_token).status_code == 200
    client.fault(path="/user/", kind="500", times=2)
    assert client.call("GET", USER_PATH, user_token).status_code == 500
    assert client.call("GET", USER_PATH, user_token).status_code == 500
    assert client.call("GET", USER_PATH, user_token).status_code == 200
    # Only the POST fault, never used, is left.
    [left] = client.control("GET", "faults")["faults"]
    assert left["method"] == "POST" and left["times"] == 2


def test_skip_lets_the_first_matching_calls_through(client, user_token):
    client.fault(path="/user/", kind="503", skip=2)
    statuses = [client.call("GET", USER_PATH, user_token).status_code for _ in range(4)]
    assert statuses == [200, 200, 503, 200]


def test_faults_apply_to_the_token_endpoint(client):
    client.fault(path=f"^{TOKEN_PATH}$", kind="503", retry_after=1)
    answer = client.token(grant_type="client_credentials", scope=API_SCOPE)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
    assert client.token(grant_type="client_credentials", scope=API_SCOPE).ok


def test_slow_delays_then_answers(client, user_token):
    client.fault(path="/user/", kind="slow", delay=0.6)
    with pytest.raises(requests.Timeout):
        client.call("GET", USER_PATH, user_token, timeout=0.2)
    client.fault(path="/user/", kind="slow", delay=0.3)
    started = time.monotonic()
    assert client.call("GET", USER_PATH, user_token).status_code == 200
    assert time.monotonic() - started >= 0.3
    # The abandoned first call still finishes (and is logged) on the server.
    deadline = time.monotonic() + 5
    while len(client.calls(path="/user/$")) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(c["status"] for c in client.calls(path="/user/$")) == [200, 200]


def test_drop_closes_the_connection_without_an_answer(client, user_token):
    client.fault(path="/user/", kind="drop")
    with pytest.raises(requests.ConnectionError):
        client.call("GET", USER_PATH, user_token)
    assert client.call("GET", USER_PATH, user_token).status_code == 200
    statuses = [c["status"] for c in client.calls(path="/user/$")]
    assert statuses == [0, 200]


def test_an_applied_drop_lands_the_write_and_loses_the_answer(client, user_token):
    client.fault(path="/inventory_item/", kind="drop", applied=True, method="PUT")
    item = {
        "availability": {"shipToLocationAvailability": {"quantity": 3}},
        "condition": "NEW",
        "product": {"title": "Mug", "description": "A mug", "imageUrls": []},
    }
    path = "/sell/inventory/v1/inventory_item/MUG-DROP"
    headers = {"Content-Language": "en-US"}
    with pytest.raises(requests.ConnectionError):
        client.call("PUT", path, user_token, json=item, headers=headers)
    # The client saw no answer, yet eBay kept the item.
    kept = client.call("GET", path, user_token)
    assert kept.status_code == 200
    assert kept.json()["availability"]["shipToLocationAvailability"]["quantity"] == 3
    [put] = client.calls(path="/inventory_item/MUG-DROP$", method="PUT")
    assert (put["status"], put["applied_status"]) == (0, 204)


def test_a_rate_hits_a_seeded_share_of_matching_requests(client, user_token):
    client.fault(path="/user/", kind="500", times=-1, rate=0.5, seed=7)
    first = [client.call("GET", USER_PATH, user_token).status_code for _ in range(40)]
    assert 5 < first.count(500) < 35, first  # about half, never all or none
    assert set(first) == {200, 500}
    client.control("DELETE", "faults")
    # The same seed hits the same requests: a chaos run can be replayed.
    client.fault(path="/user/", kind="500", times=-1, rate=0.5, seed=7)
    again = [client.call("GET", USER_PATH, user_token).status_code for _ in range(40)]
    assert again == first


@pytest.mark.parametrize(
    "fault",
    [
        {"rate": 0},
        {"rate": 1.5},
        {"rate": "half"},
        {"applied": True},
        {"applied": "yes", "kind": "drop"},
        {"seed": [1]},
    ],
)
def test_bad_rate_seed_or_applied_is_refused(client, fault):
    answer = client.session.post(
        f"{client.url}/_emulator/faults",
        json=dict({"path": "/user/", "kind": "500"}, **fault),
        timeout=5,
    )
    assert answer.status_code == 400
    assert client.control("GET", "faults")["count"] == 0


def test_latency_is_added_to_ebay_calls_only(client, user_token):
    client.control("POST", "config", json={"latency_ms": 200})
    started = time.monotonic()
    assert client.call("GET", USER_PATH, user_token).status_code == 200
    assert time.monotonic() - started >= 0.2
    # The emulator's own record of the call includes the latency it slept.
    [call] = client.calls(path="/user/$")
    assert call["duration_ms"] >= 200
    # The control API is never delayed: with a minute of latency configured,
    # it still answers within the control client's 5 s timeout (no tight bound).
    client.control("POST", "config", json={"latency_ms": 60_000})
    assert client.control("GET", "health")["ok"] is True
    assert client.control("POST", "config", json={"latency_ms": 0})["latency_ms"] == 0


@pytest.mark.parametrize(
    "fault",
    [
        {"path": "/x", "kind": "418"},
        {"kind": "500"},
        {"path": "(", "kind": "500"},
        {"path": "/x", "kind": "500", "times": 0},
        {"path": "/x", "kind": "500", "skip": -1},
        {"path": "/x", "kind": "slow", "delay": "long"},
    ],
)
def test_bad_faults_are_refused(client, fault):
    answer = client.session.post(f"{client.url}/_emulator/faults", json=fault)
    assert answer.status_code == 400 and answer.json()["error"]


def test_faulted_answers_are_no_violations(client, user_token):
    """A fault the test asked for is a deliberate outage, on any eBay path."""
    for path in ("^/oauth2/authorize$", f"^{TOKEN_PATH}$", "^/commerce/identity/"):
        client.fault(path=path, kind="503")
    assert client.consent_page().status_code == 503
    assert (
        client.token(grant_type="client_credentials", scope=API_SCOPE).status_code
        == 503
    )
    assert client.call("GET", USER_PATH, user_token).status_code == 503
    assert client.violations() == []
