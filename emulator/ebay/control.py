"""The eBay personality's control endpoints (beside the core's, see
``core/control.py``):

==========================================  ==========================================
``POST /_emulator/apps``                    ``{client_id, client_secret, ru_name,
                                            accept_url, decline_url?}``
``POST /_emulator/tokens/revoke``           ``{refresh_token?}`` | ``{user?}`` | ``{}``
==========================================  ==========================================

``POST /_emulator/config`` takes eBay's ``access_token_ttl`` and ``code_ttl``
too (``state.DEFAULT_CONFIG``); notifications, orders and their refunds
have theirs in ``notification_api.py``, ``fulfillment_api.py`` and
``refund_api.py``.
"""

from ..core.control import bad_request
from .routes import route


@route("POST", "/_emulator/apps", auth=None)
def register_app(req):
    app = req.json if isinstance(req.json, dict) else {}
    missing = [
        k
        for k in ("client_id", "client_secret", "ru_name", "accept_url")
        if not isinstance(app.get(k), str) or not app.get(k)
    ]
    if missing:
        return bad_request(f"missing {', '.join(missing)}")
    fields = ("client_id", "client_secret", "ru_name", "accept_url", "decline_url")
    req.state.register_app({k: app[k] for k in fields if app.get(k)})
    return 200, {"ok": True}, {}


@route("POST", "/_emulator/tokens/revoke", auth=None)
def revoke(req):
    """Revoke one refresh token, a user's (userId or username), or all."""
    which = req.json if isinstance(req.json, dict) else {}
    state = req.state
    with state.lock:
        users = {which["user"]} if which.get("user") else None
        if users and which["user"] == state.user["username"]:
            users.add(state.user["userId"])
        chosen = [
            token
            for token, grant in state.refresh_tokens.items()
            if (not which.get("refresh_token") or token == which["refresh_token"])
            and (users is None or grant.get("user") in users)
            and not grant["revoked"]
        ]
        for token in chosen:
            state.revoke_refresh_token(token)
    return 200, {"revoked": len(chosen)}, {}
