"""The HTTP server itself: keep-alive, concurrency, routing, odd requests."""

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from ebay_app import APP, USER_PATH, EmuClient

from emulator.core.routes import Headers
from emulator.ebay.routes import ROUTER


def test_keep_alive_serves_many_requests_on_one_connection(client):
    token = client.user_tokens()["access_token"]
    host, port = client.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        for _ in range(3):
            connection.request(
                "GET", USER_PATH, headers={"Authorization": f"Bearer {token}"}
            )
            answer = connection.getresponse()
            assert answer.status == 200
            assert json.loads(answer.read())["username"] == "emulator_seller"
            assert answer.getheader("Connection") != "close"
        connection.request("POST", "/_emulator/reset")
        answer = connection.getresponse()
        assert answer.status == 200 and json.loads(answer.read()) == {"ok": True}
    finally:
        connection.close()


def test_concurrent_clients(client):
    """Threads with their own sessions mint, refresh and call at once."""
    tokens = client.user_tokens()

    def work(_index):
        session = requests.Session()
        mine = EmuClient(client.url, session)
        statuses = []
        for _ in range(10):
            refreshed = mine.token(
                grant_type="refresh_token", refresh_token=tokens["refresh_token"]
            )
            statuses.append(refreshed.status_code)
            access = refreshed.json()["access_token"]
            statuses.append(mine.call("GET", USER_PATH, access).status_code)
        session.close()
        return statuses

    with ThreadPoolExecutor(8) as pool:
        results = [s for statuses in pool.map(work, range(8)) for s in statuses]
    assert results == [200] * 160
    # consent page, its answer, the code exchange, then the threads' calls
    assert client.control("GET", "calls")["count"] == 3 + 160
    assert client.violations() == []


def test_chunked_bodies_are_read(client):
    def chunks():
        yield b"grant_type=client_credentials&"
        yield b"scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope"

    answer = client.session.post(
        f"{client.url}/identity/v1/oauth2/token",
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=(APP["client_id"], APP["client_secret"]),
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


def test_handlers_see_decoded_parameters_and_case_blind_headers():
    handler, auth, params = ROUTER.resolve(
        "GET", "/sell/inventory/v1/inventory_item/A%2FB%20C"
    )
    assert handler.__name__ == "get_item" and auth == "user"
    assert params == {"sku": "A/B C"}
    headers = Headers({"content-TYPE": "application/json"})
    assert headers.get("Content-Type") == "application/json"
    assert headers["content-type"] == "application/json" and "CONTENT-type" in headers
    assert dict(headers) == {"content-TYPE": "application/json"}


def test_emulator_handle_stops(contracts_dir):
    from emulator.ebay import start_emulator

    handle = start_emulator(contracts_dir=contracts_dir)
    assert requests.get(f"{handle.url}/_emulator/health", timeout=5).ok
    handle.stop()
    assert not handle.thread.is_alive()
    try:
        requests.get(f"{handle.url}/_emulator/health", timeout=1)
    except requests.ConnectionError:
        pass
    else:  # pragma: no cover
        raise AssertionError("the emulator still answers after stop()")


def test_many_parallel_connections(client):
    """More simultaneous connections than a default listen backlog holds."""
    barrier = threading.Barrier(40)

    def hit(_index):
        barrier.wait()
        return requests.get(f"{client.url}/_emulator/health", timeout=10).status_code

    with ThreadPoolExecutor(40) as pool:
        assert set(pool.map(hit, range(40))) == {200}


def test_a_handler_crash_answers_500_and_is_a_violation(client, emulator):
    """eBay may answer 500, but the emulator's own bug must not pass for one."""
    from emulator.ebay.inventory_api import inv

    token = client.user_tokens()["access_token"]
    with emulator.state.lock:
        inv(emulator.state)["items"]["A"] = {"sku": "A"}
        inv(emulator.state)["offers"]["broken"] = None  # not an offer
    answer = client.call("GET", "/sell/inventory/v1/offer", token, params={"sku": "A"})
    assert answer.status_code == 500
    assert answer.json()["errors"][0]["errorId"] == 25001
    [violation] = client.take_violations()
    assert violation["side"] == "answer" and violation["operation"] == "getOffers"
    assert violation["reason"] == "the emulator's handler failed"
