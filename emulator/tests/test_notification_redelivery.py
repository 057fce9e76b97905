"""Pushes eBay thinks were not acknowledged: sent again, then the
destination is marked down (see notification_api's docstring for what eBay
documents and what is the emulator's own)."""

import base64
import hashlib
import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from ebay_app import APP, EmuClient, start_cli

from emulator.ebay.notification_api import MARK_DOWN_AFTER, REDELIVERY_DELAYS

BASE = "/commerce/notification/v1"
TOKEN = "v" * 40  # a verification token of eBay's allowed length


class Receiver:
    """A seller's endpoint: answers the challenge, then each push with the
    next status of ``statuses`` (the last one repeats), or with
    ``answer(message)`` when set, and keeps them."""

    def __init__(self, statuses=(204,), answer=None):
        self.statuses = list(statuses)
        self.answer = answer
        self.pushes = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                code = parse_qs(urlsplit(self.path).query)["challenge_code"][0]
                digest = hashlib.sha256(
                    (code + TOKEN + receiver.url).encode()
                ).hexdigest()
                self._send(200, json.dumps({"challengeResponse": digest}).encode())

            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.pushes.append((raw, self.headers["X-EBAY-SIGNATURE"]))
                if receiver.answer is not None:
                    status = receiver.answer(json.loads(raw))
                else:
                    status = receiver.statuses[
                        min(len(receiver.pushes), len(receiver.statuses)) - 1
                    ]
                self._send(status, b"")

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ebay/push"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def messages(self):
        return [json.loads(raw) for raw, _signature in self.pushes]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def subscribe(client, endpoint):
    """Config, a destination at ``endpoint`` and one subscription."""
    token = client.app_token()
    answer = client.call(
        "PUT", f"{BASE}/config", token, json={"alertEmail": "seller@example.com"}
    )
    assert answer.status_code == 204, answer.text
    answer = client.call(
        "POST",
        f"{BASE}/destination",
        token,
        json={
            "name": "receiver",
            "status": "ENABLED",
            "deliveryConfig": {"endpoint": endpoint, "verificationToken": TOKEN},
        },
    )
    assert answer.status_code == 201, answer.text
    destination_id = answer.headers["Location"].rsplit("/", 1)[-1]
    answer = client.call(
        "POST",
        f"{BASE}/subscription",
        token,
        json={
            "topicId": "MARKETPLACE_ACCOUNT_DELETION",
            "status": "ENABLED",
            "destinationId": destination_id,
            "payload": {
                "format": "JSON",
                "schemaVersion": "1.0",
                "deliveryProtocol": "HTTPS",
            },
        },
    )
    assert answer.status_code == 201, answer.text
    return token, destination_id


def notify(client, username="jo"):
    return client.control(
        "POST",
        "notify",
        json={
            "topic": "MARKETPLACE_ACCOUNT_DELETION",
            "data": {"username": username},
        },
    )


def redeliver_after(client, seconds):
    client.advance(seconds)
    return client.control("POST", "notifications/redeliver")


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


def test_a_failed_push_is_sent_again_when_due_with_the_same_id(client, receiver):
    receiver.statuses = [500, 204]
    subscribe(client, receiver.url)
    notify(client)
    assert client.control("POST", "notifications/redeliver")["results"] == []
    assert redeliver_after(client, REDELIVERY_DELAYS[0] - 5)["results"] == []
    again = redeliver_after(client, 5)
    assert [(r["attempt"], r["status"]) for r in again["results"]] == [(2, 204)]
    assert again["pending"] == 0
    first, second = receiver.messages()
    assert (
        first["notification"]["notificationId"]
        == (second["notification"]["notificationId"])
    )
    assert [m["notification"]["publishAttemptCount"] for m in (first, second)] == [
        1,
        2,
    ]
    # Each try is signed anew with eBay's (the emulator's) key.
    signing = client.control("GET", "signing")
    key = serialization.load_pem_private_key(signing["private_key_pem"].encode(), None)
    raw, signature = receiver.pushes[1]
    header = json.loads(base64.b64decode(signature))
    key.public_key().verify(
        base64.b64decode(header["signature"]), raw, ec.ECDSA(hashes.SHA1())
    )
    assert client.violations() == []


def test_a_destination_that_keeps_failing_is_marked_down(client, receiver):
    receiver.statuses = [503]
    token, destination_id = subscribe(client, receiver.url)
    notify(client)
    for delay in REDELIVERY_DELAYS[: MARK_DOWN_AFTER - 1]:
        redeliver_after(client, delay)
    assert len(receiver.pushes) == MARK_DOWN_AFTER
    state = client.control("GET", "notifications")
    assert state["pending"] == [], "nothing more is tried"
    assert [(d["status"], d["failures"]) for d in state["destinations"]] == [
        ("MARKED_DOWN", MARK_DOWN_AFTER)
    ]
    answer = client.call("GET", f"{BASE}/destination/{destination_id}", token)
    assert answer.status_code == 200
    assert answer.json() == {
        "destinationId": destination_id,
        "name": "receiver",
        "status": "MARKED_DOWN",
        "deliveryConfig": {"endpoint": receiver.url},
    }
    # A marked-down destination receives nothing, however long one waits.
    receiver.statuses = [204]
    result = notify(client)
    assert result["results"] == [
        {"endpoint": receiver.url, "status": None, "skipped": "MARKED_DOWN"}
    ]
    redeliver_after(client, 10 * 86400)
    assert len(receiver.pushes) == MARK_DOWN_AFTER
    assert client.violations() == []


def test_an_answer_resets_the_count_of_failures(client, receiver):
    # Refused four times in a row, then answered: the destination stays up.
    receiver.statuses = [500, 500, 500, 500, 204]
    subscribe(client, receiver.url)
    notify(client)
    for delay in REDELIVERY_DELAYS[:3]:
        redeliver_after(client, delay)
    state = client.control("GET", "notifications")
    assert state["destinations"][0]["failures"] == 4
    redeliver_after(client, REDELIVERY_DELAYS[3])
    state = client.control("GET", "notifications")
    assert [(d["status"], d["failures"]) for d in state["destinations"]] == [
        ("ENABLED", 0)
    ]
    assert state["pending"] == []
    assert [d["attempt"] for d in state["deliveries"]] == [1, 2, 3, 4, 5]


def test_retries_of_one_notification_are_bounded(client, receiver):
    # One notification is always refused; others get through in between, so
    # the destination is never down: its tries still end.
    receiver.answer = lambda message: (
        500 if message["notification"]["data"]["username"] == "refused" else 204
    )
    subscribe(client, receiver.url)
    notify(client, "refused")
    for delay in REDELIVERY_DELAYS + (86400, 86400):
        redeliver_after(client, delay)
        notify(client, "fine")
    state = client.control("GET", "notifications")
    refused = [d["attempt"] for d in state["deliveries"] if d["status"] == 500]
    assert refused == list(range(1, len(REDELIVERY_DELAYS) + 2))
    assert state["pending"] == []
    assert state["destinations"][0]["status"] == "ENABLED"


def test_unknown_destination_is_a_404(client):
    token = client.app_token()
    answer = client.call("GET", f"{BASE}/destination/dest-0", token)
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["errorId"] == 195022
    assert client.violations() == []


def test_the_command_line_pump_redelivers_in_the_background(contracts_dir):
    process, _line, url = start_cli(
        "--contracts",
        contracts_dir,
        "--redeliver-every",
        "0.2",
        stderr=subprocess.DEVNULL,
    )
    receiver = Receiver([500, 204])
    try:
        session = requests.Session()
        session.post(f"{url}/_emulator/apps", json=APP, timeout=5).raise_for_status()
        client = EmuClient(url, session)
        subscribe(client, receiver.url)
        notify(client)
        client.advance(REDELIVERY_DELAYS[0])
        # Nobody asks: the background thread sends it.  Waited for, never
        # timed: the bound only keeps a broken pump from hanging the run.
        deadline = time.monotonic() + 30
        while len(receiver.pushes) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(receiver.pushes) == 2
        assert receiver.messages()[1]["notification"]["publishAttemptCount"] == 2
    finally:
        receiver.stop()
        process.terminate()
        process.wait(timeout=10)
