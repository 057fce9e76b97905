"""Notification API: config, destinations, subscriptions, public keys, and
eBay's pushes, signed with the emulator's own ECDSA key.

Deviation from eBay, on purpose: destinations may be http:// on loopback
(eBay demands public HTTPS), so tests and the demo can receive pushes.
"""

import base64
import hashlib
import itertools
import json
import logging
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


def push(state, topic, payload_data, duplicate=False):
    """Deliver to every subscribed destination; return delivery results."""
    with state.lock:
        data = notif(state)
        targets = [
            data["destinations"][s["destinationId"]]["deliveryConfig"]["endpoint"]
            for s in data["subscriptions"].values()
            if s["topicId"] == topic and s.get("status") == "ENABLED"
        ]
        message = envelope(topic, payload_data, state)
    raw = json.dumps(message).encode()
    results = []
    for endpoint in targets:
        for _copy in range(2 if duplicate else 1):
            try:
                answer = requests.post(
                    endpoint,
                    data=raw,
                    headers={
                        "Content-Type": "application/json",
                        "X-EBAY-SIGNATURE": sign(state, raw),
                    },
                    timeout=30,
                )
                status = answer.status_code
            except requests.RequestException as exc:
                _logger.warning("push to %s failed: %s", endpoint, exc)
                status = 0
            results.append({"endpoint": endpoint, "status": status})
    with state.lock:
        notif(state)["sent"].append(
            {"topic": topic, "message": message, "results": results}
        )
    return message, results


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
