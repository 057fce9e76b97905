"""Login with Amazon and Seller Central's website authorization.

* ``POST /auth/o2/token`` (AMAZON_FACTS.md section 1): a form body
  (``application/x-www-form-urlencoded``; JSON is accepted too, as Amazon's
  own Java library posts JSON) with ``client_id`` and ``client_secret`` and
  one of the grants ``refresh_token`` (``refresh_token``),
  ``client_credentials`` (``scope``: ``sellingpartnerapi::notifications`` or
  ``sellingpartnerapi::migration``) or ``authorization_code`` (``code``,
  ``redirect_uri``).  Answers ``{access_token, token_type: "bearer",
  expires_in: 3600, refresh_token}`` (``scope`` instead of
  ``refresh_token`` for a grantless token); failures are LWA's
  ``{error, error_description}``: 401 ``invalid_client`` for an unknown
  client, a wrong secret or an expired one, 400 ``invalid_grant`` for a
  bad, used, expired or revoked code or refresh token, 400
  ``invalid_request`` / ``invalid_scope`` for a malformed request.
* ``GET /apps/authorize/consent?application_id&state[&version=beta]
  [&redirect_uri]``: the consent page (HTML with stable element ids: a tour
  clicks ``#amazon-emulator-confirm``); its form posts to
  ``/apps/authorize/decide`` (the emulator's own, unchecked), which answers
  302 to the app's redirect URI with ``state``, ``selling_partner_id`` and
  ``spapi_oauth_code`` (valid ``code_ttl`` = 300 s, single use).  Only a
  redirect URI registered for the app is accepted; without one, the first
  registered.  The seller signs in implicitly: the page offers the
  emulator's sellers, the default one first.
"""

import html
import secrets
from urllib.parse import urlencode

from . import errors
from .routes import route

TOKEN_PATH = "/auth/o2/token"
CONSENT_PATH = "/apps/authorize/consent"
DECIDE_PATH = "/apps/authorize/decide"
SCOPES = {"sellingpartnerapi::notifications", "sellingpartnerapi::migration"}
CLIENT_FAILED = "Client authentication failed"
BAD_GRANT = "The request has an invalid grant parameter : {}"


def _lwa_error(status, code, description):
    return status, errors.lwa(code, description), {}


def _fields(req):
    if req.form is not None:
        return req.form
    return req.json if isinstance(req.json, dict) else {}


@route("POST", TOKEN_PATH, auth=None)
def token(req):
    form = {k: v for k, v in _fields(req).items() if isinstance(v, str)}
    state = req.state
    grant = form.get("grant_type")
    if grant not in ("refresh_token", "client_credentials", "authorization_code"):
        return _lwa_error(
            400, "invalid_request", "The request has an invalid grant_type"
        )
    if not form.get("client_id") or not form.get("client_secret"):
        return _lwa_error(
            400, "invalid_request", "The request is missing client_id or client_secret"
        )
    with state.lock:
        app = state.apps.get(form["client_id"])
        if app is None or not secrets.compare_digest(
            app["client_secret"].encode(), form["client_secret"].encode()
        ):
            return _lwa_error(401, "invalid_client", CLIENT_FAILED)
        if state.secret_expired(app):
            return _lwa_error(401, "invalid_client", errors.SECRET_EXPIRED)
        if grant == "client_credentials":
            return _grantless(state, app, form)
        if grant == "refresh_token":
            return _refresh(state, app, form)
        return _exchange_code(state, app, form)


def _grantless(state, app, form):
    if form.get("refresh_token"):
        return _lwa_error(
            400, "invalid_request", "Send refresh_token or scope, not both"
        )
    scopes = set(form.get("scope", "").split())
    if not scopes:
        return _lwa_error(400, "invalid_request", "The request is missing scope")
    if not scopes <= SCOPES:
        return _lwa_error(400, "invalid_scope", "An unknown scope was requested")
    access, ttl = state.mint_access_token(app["client_id"], None, scopes)
    body = {
        "access_token": access,
        "scope": " ".join(sorted(scopes)),
        "token_type": "bearer",
        "expires_in": ttl,
    }
    return 200, body, {}


def _refresh(state, app, form):
    refresh = form.get("refresh_token")
    if not refresh:
        return _lwa_error(
            400, "invalid_request", "The request is missing refresh_token"
        )
    if form.get("scope"):
        return _lwa_error(
            400, "invalid_request", "Send refresh_token or scope, not both"
        )
    grant = state.refresh_tokens.get(refresh)
    if grant is None or grant["revoked"] or grant["client_id"] != app["client_id"]:
        return _lwa_error(400, "invalid_grant", BAD_GRANT.format("refresh_token"))
    access, ttl = state.mint_access_token(app["client_id"], grant["seller_id"])
    # The refresh token in the answer is the one sent: it does not rotate.
    return 200, _user_tokens(access, ttl, refresh), {}


def _exchange_code(state, app, form):
    code = form.get("code")
    if not code or not form.get("redirect_uri"):
        return _lwa_error(
            400, "invalid_request", "The request is missing code or redirect_uri"
        )
    grant = state.codes.get(code)
    if (
        grant is None
        or grant["used"]
        or grant["expires"] <= state.now()
        or grant["client_id"] != app["client_id"]
        or grant["redirect_uri"] != form["redirect_uri"]
    ):
        return _lwa_error(400, "invalid_grant", BAD_GRANT.format("code"))
    grant["used"] = True  # single use
    refresh = state.grant_refresh_token(app["client_id"], grant["seller_id"])
    access, ttl = state.mint_access_token(app["client_id"], grant["seller_id"])
    return 200, _user_tokens(access, ttl, refresh), {}


def _user_tokens(access, ttl, refresh):
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": ttl,
    }


# -- Seller Central's consent page -------------------------------------------------
def _page(title, body_html, status=200):
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer">'
        '<link rel="icon" href="data:,">'
        f"<title>{html.escape(title)}</title></head>\n<body>"
        f'<h1 id="amazon-emulator-title">{html.escape(title)}</h1>\n'
        f"{body_html}\n</body></html>\n"
    )
    return status, page, {"Referrer-Policy": "no-referrer"}


def _error_page(message):
    text = f'<p id="amazon-emulator-error">{html.escape(message)}</p>'
    return _page("Authorization failed", text, 400)


@route("GET", CONSENT_PATH, auth=None)
def consent(req):
    q = req.query
    state = req.state
    with state.lock:
        app = state.app_by_application_id(q.get("application_id", ""))
        if app is None:
            return _error_page("Unknown application_id.")
        if not q.get("state"):
            return _error_page("The state parameter is missing.")
        if q.get("version") not in (None, "beta"):
            return _error_page("version must be beta.")
        redirect_uri = q.get("redirect_uri") or (app["redirect_uris"] or [None])[0]
        if not redirect_uri or redirect_uri not in app["redirect_uris"]:
            return _error_page(
                "redirect_uri is not a redirect URI of this application."
            )
        ticket = secrets.token_urlsafe(24)
        state.pending_consents[ticket] = {
            "client_id": app["client_id"],
            "redirect_uri": redirect_uri,
            "state": q["state"],
            "expires": state.now() + 900,
        }
        sellers = list(state.sellers.values())
    options = "".join(
        f'<option value="{html.escape(s["seller_id"])}">'
        f"{html.escape(s['name'])} ({html.escape(s['seller_id'])})</option>"
        for s in sellers
    )
    body = (
        f'<p id="amazon-emulator-app">{html.escape(app["application_id"])} asks to '
        "access your Amazon selling account through the Selling Partner API.</p>\n"
        f'<form id="amazon-emulator-form" method="post" action="{DECIDE_PATH}">\n'
        f'<input type="hidden" name="ticket" value="{html.escape(ticket)}">\n'
        '<select id="amazon-emulator-seller" name="selling_partner_id">'
        f"{options}</select>\n"
        '<button id="amazon-emulator-confirm" type="submit" name="decision" '
        'value="confirm">Confirm</button>\n'
        '<button id="amazon-emulator-cancel" type="submit" name="decision" '
        'value="cancel">Cancel</button>\n</form>'
    )
    return _page("Authorize the application", body)


@route("POST", DECIDE_PATH, auth=None)
def decide(req):
    form = req.form or {}
    state = req.state
    with state.lock:
        pending = state.pending_consents.pop(form.get("ticket", ""), None)
        if pending is None or pending["expires"] <= state.now():
            return _error_page("This authorization page has expired: start again.")
        query = {"state": pending["state"]}
        if form.get("decision") != "confirm":
            # [UNCONFIRMED] what Seller Central does on Cancel; an OAuth-style
            # error redirect without any code is the safe reading.
            query["error"] = "access_denied"
            return _redirect(pending["redirect_uri"], query)
        seller_id = form.get("selling_partner_id") or next(iter(state.sellers), "")
        if seller_id not in state.sellers:
            return _error_page("Unknown selling partner.")
        code = "AN" + secrets.token_urlsafe(24)
        state.codes[code] = {
            "client_id": pending["client_id"],
            "seller_id": seller_id,
            "redirect_uri": pending["redirect_uri"],
            "expires": state.now() + float(state.config["code_ttl"]),
            "used": False,
        }
    query.update(selling_partner_id=seller_id, spapi_oauth_code=code)
    return _redirect(pending["redirect_uri"], query)


def _redirect(url, query):
    separator = "&" if "?" in url else "?"
    return 302, None, {"Location": f"{url}{separator}{urlencode(query)}"}
