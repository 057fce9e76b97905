"""Notification API: config, destinations, subscriptions, public keys, and
eBay's pushes, signed with the emulator's own ECDSA key.

Deviation from eBay, on purpose: destinations may be http:// on loopback
(eBay demands public HTTPS), so tests and the demo can receive pushes.

Redelivery.  A push not acknowledged with a 2xx (any other status, a
timeout, a refused connection) is sent again later, the same notification
id with ``publishAttemptCount`` one higher, and a destination whose pushes
keep failing is marked down: its status becomes MARKED_DOWN and nothing more
is sent to it.  eBay documents both facts, not their numbers: the envelope
counts tries in ``publishAttemptCount`` (EBAY_FACTS §5); the contract's
DestinationStatusEnum says MARKED_DOWN is set "automatically ... by eBay
systems (e.g., due to failures)"; eBay's platform notifications (Trading
API, KB 407 and GetNotificationsUsage) retry with a next retry time until
an expiry.  How often and how many times the Notification API retries,
whether the publish date moves on a retry and how a marked-down destination
comes back are UNCONFIRMED: the schedule below is the emulator's own, the
publish date is kept, and a marked-down destination stays down until a
reset.

Redeliveries fall due on the emulator clock.  They are sent when the control
API asks (``POST /_emulator/notifications/redeliver``; tests advance the
clock first) and, with ``--redeliver-every SECONDS`` on the command line,
by a background thread as well.  ``GET /_emulator/notifications`` shows the
destinations, the redeliveries pending and every try.
"""

import base64
import hashlib
import itertools
import json
import logging
import threading
import time
import uuid

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from . import errors
from .fulfillment_api import iso, orders
from .routes import route

_logger = logging.getLogger("emulator")
BASE = "/commerce/notification/v1"
DOMAIN = "API_NOTIFICATION"
TOPICS = ("ORDER_CONFIRMATION", "ITEM_MARKED_SHIPPED", "MARKETPLACE_ACCOUNT_DELETION")
_ids = itertools.count(1)
# Emulator-clock seconds from a failed delivery to the next try: after the
# first try fails, 5 more at most.
REDELIVERY_DELAYS = (60, 300, 1800, 3600, 3 * 3600)
# Failed deliveries in a row to one destination that mark it down.
MARK_DOWN_AFTER = 5
DELIVERY_TIMEOUT = 30  # seconds a receiver may take to answer


def notif(state):
    data = state.data.setdefault("notification", None)
    if data is None:
        key = ec.generate_private_key(ec.SECP256R1())
        data = state.data["notification"] = {
            "key": key,
            "kid": uuid.uuid4().hex,
            "config": None,
            "destinations": {},
            "subscriptions": {},
            "sent": [],
            "failures": {},  # destination id -> failed deliveries in a row
            "pending": [],  # redeliveries not yet due
            "deliveries": [],  # every try: id, endpoint, attempt, status
        }
    return data


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


def public_key_text(key):
    pem = (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )
    return pem.replace("\n", "")  # eBay sends the PEM without line breaks


@route("GET", f"{BASE}/public_key/{{public_key_id}}", auth="app")
def get_public_key(req):
    with req.state.lock:
        data = notif(req.state)
        if req.params["public_key_id"] != data["kid"]:
            return _err(195001, "Invalid or missing public key id.", 404)
        text = public_key_text(data["key"])
    return 200, {"algorithm": "ECDSA", "digest": "SHA1", "key": text}, {}


@route("PUT", f"{BASE}/config", auth="app")
def update_config(req):
    with req.state.lock:
        notif(req.state)["config"] = dict(req.json or {})
    return 204, None, {}


@route("GET", f"{BASE}/config", auth="app")
def get_config(req):
    with req.state.lock:
        config = notif(req.state)["config"]
    if not config:
        return _err(195003, "Please call PUT /config first.", 404)
    return 200, config, {}


def challenge_ok(endpoint, token):
    code = uuid.uuid4().hex
    expected = hashlib.sha256((code + token + endpoint).encode()).hexdigest()
    try:
        answer = requests.get(endpoint, params={"challenge_code": code}, timeout=10)
        return (
            answer.status_code == 200
            and answer.json().get("challengeResponse") == expected
        )
    except (requests.RequestException, ValueError):
        return False


@route("POST", f"{BASE}/destination", auth="app")
def create_destination(req):
    body = req.json or {}
    config = body.get("deliveryConfig") or {}
    endpoint, token = config.get("endpoint", ""), config.get("verificationToken", "")
    with req.state.lock:
        data = notif(req.state)
        if not data["config"]:
            return _err(195003, "Please call PUT /config first (alert email).")
        if any(
            d["deliveryConfig"]["endpoint"] == endpoint
            for d in data["destinations"].values()
        ):
            return _err(195021, "A destination already exists for this endpoint.", 409)
    if not 32 <= len(token) <= 80:
        return _err(195019, "The verification token must be 32 to 80 characters.")
    if not challenge_ok(endpoint, token):
        return _err(195020, "Challenge verification failed for the endpoint.")
    destination_id = f"dest-{next(_ids)}"
    with req.state.lock:
        notif(req.state)["destinations"][destination_id] = dict(
            body, destinationId=destination_id, status=body.get("status", "ENABLED")
        )
    # The id is in Location; the contract declares a JSON object as the body.
    return 201, {}, {"Location": f"{req.base_url}{BASE}/destination/{destination_id}"}


@route("GET", f"{BASE}/destination/{{destination_id}}", auth="app")
def get_destination(req):
    with req.state.lock:
        destination = notif(req.state)["destinations"].get(req.params["destination_id"])
        if destination is None:
            return _err(195022, "Invalid or missing destination id.", 404)
        # The verification token is the receiver's secret: never echoed.
        answer = {
            "destinationId": destination["destinationId"],
            "name": destination.get("name", ""),
            "status": destination["status"],
            "deliveryConfig": {"endpoint": destination["deliveryConfig"]["endpoint"]},
        }
    return 200, answer, {}


@route("POST", f"{BASE}/subscription", auth="any")
def create_subscription(req):
    body = req.json or {}
    with req.state.lock:
        data = notif(req.state)
        if body.get("topicId") not in TOPICS:
            return _err(195005, f"Invalid topic {body.get('topicId')}.")
        if body.get("destinationId") not in data["destinations"]:
            return _err(195007, "Invalid destination.")
        if any(
            s["topicId"] == body["topicId"]
            and s["destinationId"] == body["destinationId"]
            for s in data["subscriptions"].values()
        ):
            return _err(195012, "The subscription already exists.", 409)
        subscription_id = f"sub-{next(_ids)}"
        data["subscriptions"][subscription_id] = dict(
            body, subscriptionId=subscription_id, status=body.get("status", "ENABLED")
        )
    return (
        201,
        {},  # as for createDestination: the id is in Location
        {"Location": f"{req.base_url}{BASE}/subscription/{subscription_id}"},
    )


# -- pushes -----------------------------------------------------------------------
def envelope(topic, payload_data, state):
    return {
        "metadata": {"topic": topic, "schemaVersion": "1.0", "deprecated": False},
        "notification": {
            "notificationId": str(uuid.uuid4()),
            "eventDate": iso(state.now()),
            "publishDate": iso(state.now()),
            "publishAttemptCount": 1,
            "data": payload_data,
        },
    }


def sign(state, raw):
    data = notif(state)
    signature = data["key"].sign(raw, ec.ECDSA(hashes.SHA1()))
    header = {
        "alg": "ECDSA",
        "kid": data["kid"],
        "signature": base64.b64encode(signature).decode(),
        "digest": "SHA1",
    }
    return base64.b64encode(json.dumps(header).encode()).decode()


def _post(state, endpoint, message):
    """Send one signed push; its HTTP status, 0 when no answer came."""
    raw = json.dumps(message).encode()
    try:
        answer = requests.post(
            endpoint,
            data=raw,
            headers={
                "Content-Type": "application/json",
                "X-EBAY-SIGNATURE": sign(state, raw),
            },
            timeout=DELIVERY_TIMEOUT,
        )
    except requests.RequestException as exc:
        _logger.warning("push to %s failed: %s", endpoint, type(exc).__name__)
        return 0
    return answer.status_code


def _deliver(state, destination_id, endpoint, message, attempt):
    """Try one delivery; on failure schedule the next or mark the
    destination down.  Returns what happened."""
    body = dict(message["notification"], publishAttemptCount=attempt)
    status = _post(state, endpoint, dict(message, notification=body))
    delivered = 200 <= status < 300
    with state.lock:
        data = notif(state)
        data["deliveries"].append(
            {
                "notificationId": body["notificationId"],
                "topic": message["metadata"]["topic"],
                "destinationId": destination_id,
                "endpoint": endpoint,
                "attempt": attempt,
                "status": status,
                "at": state.now(),
            }
        )
        failures = 0 if delivered else data["failures"].get(destination_id, 0) + 1
        data["failures"][destination_id] = failures
        destination = data["destinations"].get(destination_id)
        if failures >= MARK_DOWN_AFTER and destination is not None:
            destination["status"] = "MARKED_DOWN"
            data["pending"] = [
                p for p in data["pending"] if p["destinationId"] != destination_id
            ]
            _logger.info("destination %s marked down", destination_id)
        elif not delivered and attempt <= len(REDELIVERY_DELAYS):
            data["pending"].append(
                {
                    "destinationId": destination_id,
                    "endpoint": endpoint,
                    "message": message,
                    "attempt": attempt + 1,
                    "due": state.now() + REDELIVERY_DELAYS[attempt - 1],
                }
            )
    return {"endpoint": endpoint, "status": status, "attempt": attempt}


def push(state, topic, payload_data, duplicate=False):
    """Deliver to every subscribed destination; return delivery results.

    ``duplicate`` sends each delivery twice, as eBay may.  A destination
    marked down gets nothing (``status`` None, ``skipped`` its status).
    """
    with state.lock:
        data = notif(state)
        targets = []
        for subscription in data["subscriptions"].values():
            if subscription["topicId"] != topic or subscription.get("status") != (
                "ENABLED"
            ):
                continue
            destination = data["destinations"][subscription["destinationId"]]
            targets.append(
                (
                    destination["destinationId"],
                    destination["deliveryConfig"]["endpoint"],
                    destination["status"],
                )
            )
        message = envelope(topic, payload_data, state)
    results = []
    for destination_id, endpoint, status in targets:
        if status != "ENABLED":
            results.append({"endpoint": endpoint, "status": None, "skipped": status})
            continue
        for _copy in range(2 if duplicate else 1):
            results.append(_deliver(state, destination_id, endpoint, message, 1))
    with state.lock:
        notif(state)["sent"].append(
            {"topic": topic, "message": message, "results": results}
        )
    return message, results


def redeliver_due(state):
    """Send every redelivery due on the emulator clock; return the results.

    Due entries are taken off the list under the lock, so the background
    thread and the control API never send the same one twice.
    """
    with state.lock:
        data = notif(state)
        now = state.now()
        due = [p for p in data["pending"] if p["due"] <= now]
        data["pending"] = [p for p in data["pending"] if p["due"] > now]
    results = []
    for entry in due:
        with state.lock:
            destination = notif(state)["destinations"].get(entry["destinationId"])
            enabled = destination is not None and destination["status"] == "ENABLED"
        if enabled:
            results.append(
                _deliver(
                    state,
                    entry["destinationId"],
                    entry["endpoint"],
                    entry["message"],
                    entry["attempt"],
                )
            )
    return results


def start_redelivery_pump(state, every):
    """A daemon thread sending due redeliveries every ``every`` seconds."""

    def pump():
        while True:
            time.sleep(every)
            try:
                redeliver_due(state)
            except Exception:  # the pump must outlive one bad delivery
                _logger.exception("redelivery failed")

    thread = threading.Thread(target=pump, name="ebay-redelivery", daemon=True)
    thread.start()
    return thread


@route("POST", "/_emulator/notifications/redeliver", auth=None)
def redeliver(req):
    """Control: send the redeliveries due now (advance the clock first)."""
    results = redeliver_due(req.state)
    with req.state.lock:
        pending = len(notif(req.state)["pending"])
    return 200, {"results": results, "pending": pending}, {}


@route("GET", "/_emulator/notifications", auth=None)
def notifications(req):
    """Control: destinations (status, failures in a row), pending
    redeliveries and every delivery tried."""
    with req.state.lock:
        data = notif(req.state)
        destinations = [
            {
                "destinationId": d["destinationId"],
                "endpoint": d["deliveryConfig"]["endpoint"],
                "status": d["status"],
                "failures": data["failures"].get(d["destinationId"], 0),
            }
            for d in data["destinations"].values()
        ]
        pending = [
            {
                "notificationId": p["message"]["notification"]["notificationId"],
                "destinationId": p["destinationId"],
                "attempt": p["attempt"],
                "due": p["due"],
            }
            for p in data["pending"]
        ]
        deliveries = list(data["deliveries"])
    return (
        200,
        {"destinations": destinations, "pending": pending, "deliveries": deliveries},
        {},
    )


@route("POST", "/_emulator/notify", auth=None)
def notify(req):
    """Control: {topic, data, duplicate}; or {orderId, duplicate} for an
    ORDER_CONFIRMATION of an existing order."""
    body = req.json or {}
    topic = body.get("topic", "ORDER_CONFIRMATION")
    payload = body.get("data")
    if payload is None and body.get("orderId"):
        with req.state.lock:
            if body["orderId"] not in orders(req.state):
                return 404, {"error": "no such order"}, {}
        payload = {"orderId": body["orderId"]}
    message, results = push(
        req.state, topic, payload or {}, bool(body.get("duplicate"))
    )
    return 200, {"message": message, "results": results}, {}


@route("GET", "/_emulator/signing", auth=None)
def signing(req):
    """Control: the key id and PEM, so tests can forge and check signatures."""
    with req.state.lock:
        data = notif(req.state)
        pem = (
            data["key"]
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode()
        )
    return 200, {"kid": data["kid"], "private_key_pem": pem}, {}
