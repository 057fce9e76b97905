"""eBay's OAuth: the consent page and the token endpoint.

The token endpoint has no OpenAPI contract; it is checked here as eBay's
documentation describes it (form body, HTTP Basic client authentication).
"""

import base64
import html
import secrets
from urllib.parse import parse_qs, urlencode

from .routes import route

SCOPE_PREFIX = "https://api.ebay.com/oauth/api_scope"
KNOWN_SCOPES = {
    SCOPE_PREFIX,
    *(
        f"{SCOPE_PREFIX}/{name}"
        for name in (
            "sell.inventory",
            "sell.inventory.readonly",
            "sell.account",
            "sell.account.readonly",
            "sell.fulfillment",
            "sell.fulfillment.readonly",
            "sell.finances",
            "sell.marketing",
            "sell.marketing.readonly",
            "sell.analytics.readonly",
            "sell.payment.dispute",
            "commerce.notification.subscription",
            "commerce.notification.subscription.readonly",
            "commerce.identity.readonly",
            "sell.reputation",
            "sell.stores",
        )
    ),
}
REFRESH_TTL = 47304000
BAD_CODE = (
    "the provided authorization grant code is invalid or was issued to another client"
)
BAD_REFRESH = (
    "the provided authorization refresh token is invalid or was issued to another "
    "client"
)
BAD_SCOPE = (
    "the requested scope is invalid, unknown, malformed, or exceeds the scope "
    "granted to the client"
)


def _page(title, body_html, status=200):
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<link rel='icon' href='data:,'>"
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>{body_html}</body></html>"
    )
    return status, page, {}


def _redirect(url):
    return 302, None, {"Location": url}


@route("GET", "/oauth2/authorize", auth=None)
def authorize(req):
    q = req.query
    state = req.state
    with state.lock:
        app = state.apps.get(q.get("client_id", ""))
        if not app:
            return _page("Invalid client", "<p>Unknown client_id.</p>", 400)
        if q.get("redirect_uri") != app["ru_name"]:
            return _page(
                "Invalid request", "<p>redirect_uri is not this app's RuName.</p>", 400
            )
        if q.get("response_type") != "code":
            return _page("Invalid request", "<p>response_type must be code.</p>", 400)
        scopes = q.get("scope", "").split()
        unknown = [s for s in scopes if s not in KNOWN_SCOPES]
        if not scopes or unknown:
            return _page(
                "Invalid scope",
                f"<p>Unknown scope(s): {html.escape(' '.join(unknown))}</p>",
                400,
            )
        ticket = secrets.token_urlsafe(16)
        state.pending_consents[ticket] = {
            "client_id": app["client_id"],
            "ru_name": app["ru_name"],
            "scopes": scopes,
            "state": q.get("state"),
        }
        username = state.user["username"]
    items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes)
    return _page(
        "Grant application access",
        f"<p>Signed in as <b id='ebay-emulator-user'>{html.escape(username)}</b>.</p>"
        f"<p>{html.escape(app['client_id'])} would like access to:</p><ul>{items}</ul>"
        "<form method='post' action='/oauth2/authorize/decide'>"
        f"<input type='hidden' name='ticket' value='{ticket}'>"
        "<button type='submit' name='decision' value='accept' "
        "id='ebay-emulator-agree'>Agree</button> "
        "<button type='submit' name='decision' value='decline' "
        "id='ebay-emulator-decline'>Decline</button>"
        "</form>",
    )


@route("POST", "/oauth2/authorize/decide", auth=None)
def decide(req):
    form = req.form or {}
    state = req.state
    with state.lock:
        consent = state.pending_consents.pop(form.get("ticket", ""), None)
        if not consent:
            return _page(
                "Request expired", "<p>Start again from the application.</p>", 400
            )
        app = state.apps[consent["client_id"]]
        if form.get("decision") != "accept":
            query = {
                "error": "access_denied",
                "error_description": "The user declined consent",
            }
            if consent["state"] is not None:
                query["state"] = consent["state"]
            return _redirect(f"{app['decline_url']}?{urlencode(query)}")
        code = "v^1.1#i^1#c^" + secrets.token_urlsafe(40)
        state.codes[code] = dict(
            consent, expires=state.now() + state.config["code_ttl"], used=False
        )
    query = {"code": code, "expires_in": state.config["code_ttl"]}
    if consent["state"] is not None:
        query = {"state": consent["state"], **query}
    return _redirect(f"{app['accept_url']}?{urlencode(query)}")


def _oauth_error(status, error, description):
    return status, {"error": error, "error_description": description}, {}


def _client(req):
    header = req.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        client_id, secret = base64.b64decode(header[6:]).decode().split(":", 1)
    except (ValueError, UnicodeDecodeError):
        return None
    app = req.state.apps.get(client_id)
    if not app or not secrets.compare_digest(app["client_secret"], secret):
        return None
    return app


def _mint_access(state, kind, scopes, client_id, refresh=None):
    token = state.new_token("v^1.1#i^1#p^3#r^1#")
    ttl = state.config["access_token_ttl"]
    state.access_tokens[token] = {
        "kind": kind,
        "scopes": set(scopes),
        "expires": state.now() + ttl,
        "refresh": refresh,
        "client_id": client_id,
    }
    return token, ttl


@route("POST", "/identity/v1/oauth2/token", auth=None)
def token(req):
    state = req.state
    content_type = req.headers.get("Content-Type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return _oauth_error(400, "invalid_request", "request must be form-urlencoded")
    form = req.form or {}
    with state.lock:
        app = _client(req)
        if not app:
            return _oauth_error(401, "invalid_client", "client authentication failed")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = state.codes.get(form.get("code", ""))
            bad = BAD_CODE
            if not code or code["client_id"] != app["client_id"]:
                return _oauth_error(400, "invalid_grant", bad)
            if code["used"]:
                # A replayed code revokes what it minted (RFC 6749 §4.1.2).
                for refresh in code.get("minted", []):
                    state.refresh_tokens.get(refresh, {})["revoked"] = True
                    for info in state.access_tokens.values():
                        if info["refresh"] == refresh:
                            info["expires"] = 0
                return _oauth_error(400, "invalid_grant", bad)
            if (
                code["expires"] < state.now()
                or form.get("redirect_uri") != code["ru_name"]
            ):
                return _oauth_error(400, "invalid_grant", bad)
            code["used"] = True
            refresh = state.new_token("v^1.1#i^1#f^0#r^1#")
            state.refresh_tokens[refresh] = {
                "client_id": app["client_id"],
                "scopes": set(code["scopes"]),
                "expires": state.now() + REFRESH_TTL,
                "revoked": False,
                "user": state.user["userId"],
            }
            code["minted"] = [refresh]
            access, ttl = _mint_access(
                state, "user", code["scopes"], app["client_id"], refresh
            )
            return (
                200,
                {
                    "access_token": access,
                    "expires_in": ttl,
                    "refresh_token": refresh,
                    "refresh_token_expires_in": REFRESH_TTL,
                    "token_type": "User Access Token",
                },
                {},
            )
        if grant == "refresh_token":
            info = state.refresh_tokens.get(form.get("refresh_token", ""))
            bad = BAD_REFRESH
            if (
                not info
                or info["revoked"]
                or info["client_id"] != app["client_id"]
                or info["expires"] < state.now()
            ):
                return _oauth_error(400, "invalid_grant", bad)
            scopes = form.get("scope", "").split() or sorted(info["scopes"])
            if not set(scopes) <= info["scopes"]:
                return _oauth_error(
                    400,
                    "invalid_scope",
                    BAD_SCOPE,
                )
            access, ttl = _mint_access(
                state, "user", scopes, app["client_id"], form["refresh_token"]
            )
            return (
                200,
                {
                    "access_token": access,
                    "expires_in": ttl,
                    "token_type": "User Access Token",
                },
                {},
            )
        if grant == "client_credentials":
            scopes = form.get("scope", "").split()
            if not scopes or any(s not in KNOWN_SCOPES for s in scopes):
                return _oauth_error(
                    400,
                    "invalid_scope",
                    BAD_SCOPE,
                )
            access, ttl = _mint_access(state, "app", scopes, app["client_id"])
            return (
                200,
                {
                    "access_token": access,
                    "expires_in": ttl,
                    "token_type": "Application Access Token",
                },
                {},
            )
        if not grant:
            return _oauth_error(
                400,
                "invalid_request",
                "request is missing a required parameter grant_type",
            )
        return _oauth_error(
            400,
            "unsupported_grant_type",
            "grant type in request is not supported by the authorization server",
        )


def parse_form(raw):
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
