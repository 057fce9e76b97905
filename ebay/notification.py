"""eBay notifications: challenge answers, X-EBAY-SIGNATURE checks, the
envelope's shape, and the Notification API calls to set up a destination and
subscriptions.

Whatever arrives here comes from anyone on the internet: every field is
type-checked, sizes and nesting are bounded, and anything else is refused
with :class:`SignatureError` or :class:`EnvelopeError`, never another
exception.
"""

import base64
import binascii
import hashlib
import json
import re
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .paths import DOT_SEGMENTS, path_segment

BASE = "/commerce/notification/v1"
DIGESTS = {"SHA1": hashes.SHA1, "SHA256": hashes.SHA256}
# eBay's header is a few hundred bytes of base64; its envelope nests four
# levels (envelope, notification, data, an address or a line item).
MAX_HEADER_LENGTH = 4096
MAX_JSON_DEPTH = 16
MAX_ID_LENGTH = 200
# 2021-03-01T22:10:39.117Z, as eBay writes them; an explicit offset is read too.
TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$"
)
TOPIC_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,99}$")
# The data fields the connector reads, per topic; each must be text when sent.
DATA_FIELDS = {
    "ORDER_CONFIRMATION": ("orderId",),
    "MARKETPLACE_ACCOUNT_DELETION": ("username", "userId", "eiasToken"),
}


class SignatureError(Exception):
    """The notification's signature is missing, malformed or wrong."""


class EnvelopeError(Exception):
    """The body is not an eBay notification envelope."""


def challenge_response(challenge_code, verification_token, endpoint):
    """hex(SHA-256(challengeCode + verificationToken + endpoint)), as eBay wants."""
    text = f"{challenge_code}{verification_token}{endpoint}"
    return hashlib.sha256(text.encode()).hexdigest()


def _loads(raw):
    """Parsed JSON no deeper than MAX_JSON_DEPTH; ValueError otherwise.

    The parser itself stops at Python's recursion limit (RecursionError);
    the walk afterwards keeps what was parsed shallow enough for everything
    that handles it later (storing it, serialising it again).
    """
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError("not JSON") from exc
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise ValueError("JSON nested too deep")
        stack.extend((child, depth + 1) for child in children)
    return value


def _text(value, max_length=MAX_ID_LENGTH):
    return isinstance(value, str) and 0 < len(value) <= max_length


def parse_signature_header(value):
    """Decode X-EBAY-SIGNATURE: base64 JSON {alg, kid, signature, digest}."""
    if not value:
        raise SignatureError("missing X-EBAY-SIGNATURE header")
    if len(value) > MAX_HEADER_LENGTH:
        raise SignatureError("X-EBAY-SIGNATURE header too long")
    try:
        header = _loads(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("malformed X-EBAY-SIGNATURE header") from exc
    if not isinstance(header, dict):
        raise SignatureError("malformed X-EBAY-SIGNATURE header")
    alg, digest = header.get("alg", "ECDSA"), header.get("digest", "SHA1")
    if not isinstance(alg, str) or alg.upper() != "ECDSA":
        raise SignatureError("unsupported signature algorithm")
    if not isinstance(digest, str) or digest.upper() not in DIGESTS:
        raise SignatureError("unsupported digest")
    kid = header.get("kid")
    if not _text(kid) or kid in DOT_SEGMENTS:
        raise SignatureError("malformed key id")
    if not _text(header.get("signature"), MAX_HEADER_LENGTH):
        raise SignatureError("malformed signature")
    try:
        signature = base64.b64decode(header["signature"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("malformed signature") from exc
    return {"kid": kid, "signature": signature, "digest": digest}


def parse_timestamp(text):
    """eBay's ISO 8601 time as a naive UTC datetime (Odoo's way)."""
    match = TIMESTAMP_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise EnvelopeError("not an ISO 8601 timestamp")
    fraction, zone = match.groups()
    # Python reads up to 6 fraction digits, and "Z" only from 3.11 on.
    text = text[:19] + (f".{fraction[:6]}" if fraction else "")
    text += "+00:00" if zone == "Z" else zone
    try:
        moment = datetime.fromisoformat(text).astimezone(timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise EnvelopeError("not a valid date") from exc
    return moment.replace(tzinfo=None)


def _check(container, name, valid, required=False):
    if name not in container:
        if required:
            raise EnvelopeError(f"{name} is missing")
        return
    if not valid(container[name]):
        raise EnvelopeError(f"{name} is not valid")


def _timestamp(value):
    try:
        parse_timestamp(value)
    except EnvelopeError:
        return False
    return True


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_envelope(raw):
    """The envelope eBay sends, every field checked; EnvelopeError if not.

    ``{"metadata": {topic, schemaVersion, deprecated}, "notification":
    {notificationId, eventDate, publishDate, publishAttemptCount, data}}``
    (EBAY_FACTS §5).  Fields the connector does not know are left alone;
    the ones it knows must have eBay's type when they are sent.
    """
    try:
        message = _loads(raw)
    except ValueError as exc:
        raise EnvelopeError(str(exc)) from exc
    if not isinstance(message, dict):
        raise EnvelopeError("not a JSON object")
    _check(message, "metadata", lambda v: isinstance(v, dict), required=True)
    _check(message, "notification", lambda v: isinstance(v, dict), required=True)
    metadata, body = message["metadata"], message["notification"]
    _check(metadata, "topic", lambda v: _text(v) and TOPIC_RE.match(v), True)
    _check(metadata, "schemaVersion", lambda v: _text(v, 20))
    _check(metadata, "deprecated", lambda v: isinstance(v, bool))
    _check(body, "notificationId", _text, required=True)
    _check(body, "publishDate", _timestamp, required=True)
    _check(body, "eventDate", _timestamp)
    _check(body, "publishAttemptCount", _count)
    _check(body, "data", lambda v: isinstance(v, dict))
    data = body.get("data") or {}
    for name in DATA_FIELDS.get(metadata["topic"], ()):
        _check(data, name, lambda v: _text(v, 1000))
    return message


def load_public_key(text):
    """eBay's key comes as PEM without line breaks: put them back."""
    body = (
        text.replace("-----BEGIN PUBLIC KEY-----", "")
        .replace("-----END PUBLIC KEY-----", "")
        .replace("\n", "")
        .strip()
    )
    pem = f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"
    return serialization.load_pem_public_key(pem.encode())


def verify(raw_body, header, public_key_text, digest=None):
    """Raise SignatureError unless ``header`` signs ``raw_body`` (the bytes)."""
    algorithm = DIGESTS.get((digest or header["digest"]).upper())
    if algorithm is None:
        raise SignatureError("unsupported digest")
    try:
        key = load_public_key(public_key_text)
        key.verify(header["signature"], raw_body, ec.ECDSA(algorithm()))
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError) as exc:
        raise SignatureError("signature does not match the body") from exc


class NotificationApi:
    def __init__(self, client):
        self.client = client

    def _call(self, method, path, operation, **kwargs):
        return self.client.request(method, BASE + path, operation=operation, **kwargs)

    def get_public_key(self, kid):
        return self._call(
            "GET", f"/public_key/{path_segment(kid, 'public key id')}", "getPublicKey"
        ).data

    def update_config(self, alert_email):
        return self._call(
            "PUT", "/config", "updateConfig", json={"alertEmail": alert_email}
        )

    def create_destination(self, name, endpoint, verification_token):
        response = self._call(
            "POST",
            "/destination",
            "createDestination",
            json={
                "name": name[:64],
                "status": "ENABLED",
                "deliveryConfig": {
                    "endpoint": endpoint,
                    "verificationToken": verification_token,
                },
            },
        )
        return response.headers.get("Location", "").rsplit("/", 1)[-1]

    def create_subscription(self, topic, destination_id):
        response = self._call(
            "POST",
            "/subscription",
            "createSubscription",
            json={
                "topicId": topic,
                "status": "ENABLED",
                "destinationId": destination_id,
                "payload": {
                    "format": "JSON",
                    "schemaVersion": "1.0",
                    "deliveryProtocol": "HTTPS",
                },
            },
        )
        return response.headers.get("Location", "").rsplit("/", 1)[-1]
