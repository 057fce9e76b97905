"""eBay notifications: challenge answers, X-EBAY-SIGNATURE checks, and the
Notification API calls to set up a destination and subscriptions."""

import base64
import binascii
import hashlib
import json
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

BASE = "/commerce/notification/v1"
DIGESTS = {"SHA1": hashes.SHA1, "SHA256": hashes.SHA256}


class SignatureError(Exception):
    """The notification's signature is missing, malformed or wrong."""


def challenge_response(challenge_code, verification_token, endpoint):
    """hex(SHA-256(challengeCode + verificationToken + endpoint)), as eBay wants."""
    text = f"{challenge_code}{verification_token}{endpoint}"
    return hashlib.sha256(text.encode()).hexdigest()


def parse_signature_header(value):
    """Decode X-EBAY-SIGNATURE: base64 JSON {alg, kid, signature, digest}."""
    if not value:
        raise SignatureError("missing X-EBAY-SIGNATURE header")
    try:
        header = json.loads(base64.b64decode(value, validate=True))
        signature = base64.b64decode(header["signature"], validate=True)
        kid = str(header["kid"])
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise SignatureError("malformed X-EBAY-SIGNATURE header") from exc
    if not isinstance(header, dict) or header.get("alg", "ECDSA").upper() != "ECDSA":
        raise SignatureError("unsupported signature algorithm")
    if not kid or len(kid) > 200:
        raise SignatureError("malformed key id")
    return {
        "kid": kid,
        "signature": signature,
        "digest": str(header.get("digest", "SHA1")),
    }


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
    except (InvalidSignature, ValueError, TypeError) as exc:
        raise SignatureError("signature does not match the body") from exc


class NotificationApi:
    def __init__(self, client):
        self.client = client

    def _call(self, method, path, operation, **kwargs):
        return self.client.request(method, BASE + path, operation=operation, **kwargs)

    def get_public_key(self, kid):
        return self._call(
            "GET", f"/public_key/{quote(kid, safe='')}", "getPublicKey"
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
