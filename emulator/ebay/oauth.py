"""eBay's OAuth: the consent page and the token endpoint.

The token endpoint has no OpenAPI contract; it is checked here as eBay's
documentation describes it (EBAY_FACTS.md section 1): a form body, HTTP Basic
client authentication, the RuName (not a URL) as ``redirect_uri``, and the
same error answers (``invalid_client``, ``invalid_grant``...).

The consent page is plain HTML with stable element ids (a browser tour clicks
``#ebay-emulator-agree``); it signs the seller in implicitly as the
emulator's one user.
"""

import base64
import binascii
import html
import secrets
from urllib.parse import urlencode

from .routes import route
from .state import REFRESH_TOKEN_TTL

SCOPE_PREFIX = "https://api.ebay.com/oauth/api_scope"
# Every scope the contracts' authorization-code flows declare, plus a few
# other seller scopes eBay's consent page knows.
USER_SCOPE_NAMES = (
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
    "sell.marketplace.insights.readonly",
    "sell.payment.dispute",
    "sell.reputation",
    "sell.reputation.readonly",
    "sell.stores",
    "sell.stores.readonly",
    "sell.item",
    "sell.item.draft",
    "commerce.catalog.readonly",
    "commerce.notification.subscription",
    "commerce.notification.subscription.readonly",
    "commerce.identity.readonly",
    "commerce.identity.status.readonly",
    "commerce.identity.name.readonly",
    "commerce.identity.address.readonly",
    "commerce.identity.email.readonly",
    "commerce.identity.phone.readonly",
    "commerce.post_order.document",
)
KNOWN_SCOPES = {SCOPE_PREFIX, *(f"{SCOPE_PREFIX}/{n}" for n in USER_SCOPE_NAMES)}
# What the contracts' clientCredentials flows offer an application token.
APP_SCOPES = {
    SCOPE_PREFIX,
    f"{SCOPE_PREFIX}/metadata.insights",
    f"{SCOPE_PREFIX}/sell.payment.dispute",
}

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
ACCESS_PREFIX = "v^1.1#i^1#p^3#r^1#"
REFRESH_PREFIX = "v^1.1#i^1#f^0#r^1#"
CODE_PREFIX = "v^1.1#i^1#f^0#I^3#r^1#"


# -- consent page ---------------------------------------------------------------
def _page(title, body_html, status=200):
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<link rel="icon" href="data:,">'  # no /favicon.ico request
        f"<title>{html.escape(title)}</title></head>\n<body>"
        f'<h1 id="ebay-emulator-title">{html.escape(title)}</h1>\n'
        f"{body_html}\n</body></html>\n"
    )
    return status, page, {}


def _error_page(title, message):
    return _page(title, f'<p id="ebay-emulator-error">{html.escape(message)}</p>', 400)


def _redirect(url, query):
    separator = "&" if "?" in url else "?"
    return 302, None, {"Location": f"{url}{separator}{urlencode(query)}"}


@route("GET", "/oauth2/authorize", auth=None)
def authorize(req):
    """``GET /oauth2/authorize?client_id&redirect_uri=<RuName>&response_type=
    code&scope=<space separated>[&state&prompt&locale]``: the consent page."""
    q = req.query
    state = req.state
    with state.lock:
        app = state.apps.get(q.get("client_id", ""))
        if not app:
            return _error_page("Invalid client", "Unknown client_id.")
        if q.get("redirect_uri") != app["ru_name"]:
            return _error_page(
                "Invalid request", "redirect_uri is not a RuName of this application."
            )
        if q.get("response_type") != "code":
            return _error_page("Invalid request", "response_type must be code.")
        scopes = q.get("scope", "").split()
        unknown = [s for s in scopes if s not in KNOWN_SCOPES]
        if not scopes or unknown:
            return _error_page(
                "Invalid scope", f"Unknown scope(s): {' '.join(unknown) or '(none)'}"
            )
        ticket = secrets.token_urlsafe(16)
        state.pending_consents[ticket] = {
            "client_id": app["client_id"],
            "ru_name": app["ru_name"],
            "scopes": scopes,
            "state": q.get("state"),
        }
        username = state.user["username"]
        user_id = state.user["userId"]
    items = "".join(
        f'<li class="ebay-emulator-scope">{html.escape(s)}</li>' for s in scopes
    )
    return _page(
        "Grant application access",
        f'<p>Signed in as <b id="ebay-emulator-user" data-user-id="{user_id}">'
        f"{html.escape(username)}</b>.</p>\n"
        f'<p><b id="ebay-emulator-client">{html.escape(app["client_id"])}</b> '
        f'would like access to:</p>\n<ul id="ebay-emulator-scopes">{items}</ul>\n'
        '<form method="post" action="/oauth2/authorize/decide" '
        'id="ebay-emulator-consent">\n'
        # Single quotes on purpose: tests read the ticket with that pattern.
        f"<input type='hidden' name='ticket' value='{ticket}'>\n"
        '<button type="submit" name="decision" value="accept" '
        'id="ebay-emulator-agree">Agree</button>\n'
        '<button type="submit" name="decision" value="decline" '
        'id="ebay-emulator-decline">Decline</button>\n'
        "</form>",
    )


@route("POST", "/oauth2/authorize/decide", auth=None)
def decide(req):
    """The consent form's answer: redirect to the app's accept URL with a
    code, or to its decline URL with ``error=access_denied``."""
    form = req.form or {}
    state = req.state
    with state.lock:
        consent = state.pending_consents.pop(form.get("ticket", ""), None)
        app = state.apps.get(consent["client_id"]) if consent else None
        if not app:
            return _error_page("Request expired", "Start again from the application.")
        if form.get("decision") != "accept":
            query = {}
            if consent["state"] is not None:
                query["state"] = consent["state"]
            query["error"] = "access_denied"
            query["error_description"] = "The user declined consent"
            return _redirect(app["decline_url"], query)
        code = state.new_token(CODE_PREFIX)
        ttl = state.config["code_ttl"]
        state.codes[code] = dict(
            consent, expires=state.now() + ttl, used=False, minted=[]
        )
    query = {}
    if consent["state"] is not None:
        query["state"] = consent["state"]
    query["code"] = code
    query["expires_in"] = int(ttl)
    return _redirect(app["accept_url"], query)


# -- token endpoint -------------------------------------------------------------
def _oauth_error(status, error, description):
    return status, {"error": error, "error_description": description}, {}


def _client(req):
    """The app authenticated by the Basic header, or None."""
    scheme, _sep, credentials = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        client_id, secret = decoded.split(":", 1)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None
    app = req.state.apps.get(client_id)
    if not app or not secrets.compare_digest(
        app["client_secret"].encode(), secret.encode()
    ):
        return None
    return app


def _mint_access(state, kind, scopes, client_id, refresh=None):
    token = state.new_token(ACCESS_PREFIX)
    ttl = int(state.config["access_token_ttl"])
    state.access_tokens[token] = {
        "kind": kind,
        "scopes": set(scopes),
        "expires": state.now() + ttl,
        "refresh": refresh,
        "client_id": client_id,
        "user": state.user["userId"] if kind == "user" else None,
    }
    return token, ttl


@route("POST", "/identity/v1/oauth2/token", auth=None)
def token(req):
    """``POST /identity/v1/oauth2/token``: the three grants eBay offers."""
    content_type = req.headers.get("Content-Type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return _oauth_error(400, "invalid_request", "request must be form-urlencoded")
    form = req.form or {}
    state = req.state
    with state.lock:
        app = _client(req)
        if not app:
            return _oauth_error(401, "invalid_client", "client authentication failed")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return _authorization_code(state, app, form)
        if grant == "refresh_token":
            return _refresh(state, app, form)
        if grant == "client_credentials":
            return _client_credentials(state, app, form)
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


def _authorization_code(state, app, form):
    code = state.codes.get(form.get("code", ""))
    if not code or code["client_id"] != app["client_id"]:
        return _oauth_error(400, "invalid_grant", BAD_CODE)
    if code["used"]:
        # A replayed code revokes what it minted (RFC 6749 section 4.1.2).
        for refresh in code["minted"]:
            state.revoke_refresh_token(refresh)
        return _oauth_error(400, "invalid_grant", BAD_CODE)
    if code["expires"] <= state.now() or form.get("redirect_uri") != code["ru_name"]:
        return _oauth_error(400, "invalid_grant", BAD_CODE)
    code["used"] = True
    refresh = state.new_token(REFRESH_PREFIX)
    state.refresh_tokens[refresh] = {
        "client_id": app["client_id"],
        "scopes": set(code["scopes"]),
        "expires": state.now() + REFRESH_TOKEN_TTL,
        "revoked": False,
        "user": state.user["userId"],
    }
    code["minted"].append(refresh)
    access, ttl = _mint_access(state, "user", code["scopes"], app["client_id"], refresh)
    return (
        200,
        {
            "access_token": access,
            "expires_in": ttl,
            "refresh_token": refresh,
            "refresh_token_expires_in": REFRESH_TOKEN_TTL,
            "token_type": "User Access Token",
        },
        {},
    )


def _refresh(state, app, form):
    refresh = form.get("refresh_token", "")
    info = state.refresh_tokens.get(refresh)
    if (
        not info
        or info["revoked"]
        or info["client_id"] != app["client_id"]
        or info["expires"] <= state.now()
    ):
        return _oauth_error(400, "invalid_grant", BAD_REFRESH)
    scopes = form.get("scope", "").split() or sorted(info["scopes"])
    if not set(scopes) <= info["scopes"]:
        return _oauth_error(400, "invalid_scope", BAD_SCOPE)
    access, ttl = _mint_access(state, "user", scopes, app["client_id"], refresh)
    return (
        200,
        {"access_token": access, "expires_in": ttl, "token_type": "User Access Token"},
        {},
    )


def _client_credentials(state, app, form):
    scopes = form.get("scope", "").split()
    if not scopes or not set(scopes) <= APP_SCOPES:
        return _oauth_error(400, "invalid_scope", BAD_SCOPE)
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
