"""The signed ``state`` of a consent round-trip (not a model): every channel's
consent flow signs and reads it here.

A state is ``base64(json).hmac``: the HMAC (keyed by the database secret,
scoped per channel so one channel's state is worthless to another) binds it
to the account, the user who started it, an expiry and a one-time nonce the
channel keeps on the account.  The HMAC is checked before anything of the
state is decoded: what Odoo did not sign is never parsed.
"""

import base64
import binascii
import hmac
import json
import time

from odoo.tools.misc import hmac as odoo_hmac


class OAuthStateError(Exception):
    """The state of a consent callback is forged, replayed or expired."""


def sign_state(env, scope, encoded):
    """The HMAC of a state's encoded payload."""
    return odoo_hmac(env(su=True), scope, encoded)


def make_state(env, scope, account_id, nonce, ttl_seconds):
    """A state for ``account_id`` and the current user, valid ``ttl_seconds``."""
    expires = int(time.time()) + ttl_seconds
    payload = json.dumps(
        {"a": account_id, "u": env.uid, "x": expires, "n": nonce},
        separators=(",", ":"),
    )
    encoded = base64.urlsafe_b64encode(payload.encode()).decode()
    return f"{encoded}.{sign_state(env, scope, encoded)}"


def read_state(env, scope, state):
    """``(account id, nonce)`` of a state this database signed for ``scope``,
    started by the current user and not expired.

    Raises :class:`OAuthStateError` with a reason a person can read; the
    caller then checks (and consumes) the nonce.
    """
    state = state if isinstance(state, str) else ""
    encoded, _dot, signature = state.rpartition(".")
    # Compared as bytes: any text (non-ASCII too) is merely unequal.
    if not encoded or not hmac.compare_digest(
        signature.encode("utf-8", "replace"), sign_state(env, scope, encoded).encode()
    ):
        raise OAuthStateError(env._("The request was not issued by Odoo."))
    account_id, user_id, expires, nonce = _parse(env, encoded)
    if user_id != env.uid:
        raise OAuthStateError(env._("The connection was started by another user."))
    if expires < time.time():
        raise OAuthStateError(env._("The connection request has expired; start again."))
    return account_id, nonce


def _parse(env, encoded):
    """The values of a signed state.  Only signed payloads get here, but a
    leaked database secret must not turn a state into a crash: anything but
    the shape Odoo writes is malformed."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
        values = (payload["a"], payload["u"], payload["x"], payload["n"])
    except (
        ValueError,  # bad base64, bad JSON, bad UTF-8
        binascii.Error,
        KeyError,
        TypeError,
        RecursionError,  # deeply nested JSON
    ) as exc:
        raise OAuthStateError(env._("The request is malformed.")) from exc
    ids_ok = all(type(v) is int and 0 < v < 2**31 for v in values[:2])
    if not ids_ok or type(values[2]) is not int or not isinstance(values[3], str):
        raise OAuthStateError(env._("The request is malformed."))
    return values
