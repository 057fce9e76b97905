"""The Amazon personality's control endpoints (beside the core's, see
``core/control.py``), under ``/_emulator/amazon/``:

==============================================  ======================================
``POST /_emulator/amazon/apps``                 ``{client_id, client_secret,
                                                application_id, redirect_uri |
                                                redirect_uris, secret_expires_at?}``
``GET /_emulator/amazon/apps``                  the apps, secrets left out
``POST /_emulator/amazon/sellers``              ``{seller_id, region?, marketplaces?,
                                                name?}``
``GET /_emulator/amazon/sellers``               the sellers
``POST /_emulator/amazon/self-authorize``       ``{client_id, seller_id}`` ->
                                                ``{refresh_token}`` (Seller
                                                Central's self-authorization)
``POST /_emulator/amazon/expire-client-secret`` ``{client_id}``: its secret expires now
``POST /_emulator/amazon/revoke``               ``{refresh_token}`` (also ends the
                                                access tokens of that seller and app)
``POST /_emulator/amazon/rates``                ``{operation, rate, burst}``: overrides
                                                a bucket (an operationId or a name of
                                                ``rates.LISTINGS_BUCKETS`` /
                                                ``rates.LISTINGS_FEED_BUCKET``) and
                                                refills it
``GET /_emulator/amazon/rates``                 the overrides
==============================================  ======================================

Registering an app again replaces it: that is how a test rotates its client
secret (the new one has no expiry unless given one).

Orders have their own control endpoints (``orders_control.py``, under
``/_emulator/amazon/orders``), and ``GET /_emulator/amazon/restricted-tokens``
lists the Restricted Data Tokens issued, without their values
(``tokens_api.py``).

``POST /_emulator/config`` takes Amazon's settings too (``state.DEFAULT_CONFIG``:
``access_token_ttl``, ``code_ttl``, ``apply_delay``, ``feed_queue_seconds``,
``feed_processing_seconds``, ``report_seconds``, ``rate_limits``,
``orders_pii_needs_rdt``, ``orders_search_delay``, ``restricted_token_ttl``).
"""

from ..core.control import _number, bad_request
from .marketplaces import MARKETPLACES, REGIONS
from .routes import route

PREFIX = "/_emulator/amazon"


def _body(req):
    return req.json if isinstance(req.json, dict) else {}


def _strings(body, names):
    return [n for n in names if not isinstance(body.get(n), str) or not body.get(n)]


@route("POST", f"{PREFIX}/apps", auth=None)
def add_app(req):
    body = _body(req)
    missing = _strings(body, ("client_id", "client_secret", "application_id"))
    uris = body.get("redirect_uris") or (
        [body["redirect_uri"]] if body.get("redirect_uri") else []
    )
    if not uris or not all(isinstance(u, str) and u for u in uris):
        missing.append("redirect_uri")
    if missing:
        return bad_request(f"missing {', '.join(missing)}")
    expires = body.get("secret_expires_at")
    if expires is not None and not _number(expires):
        return bad_request("secret_expires_at must be a POSIX time")
    app = req.state.add_app(
        {
            "client_id": body["client_id"],
            "client_secret": body["client_secret"],
            "application_id": body["application_id"],
            "redirect_uris": uris,
            "secret_expires_at": expires,
        }
    )
    return 200, _public_app(app), {}


@route("GET", f"{PREFIX}/apps", auth=None)
def list_apps(req):
    with req.state.lock:
        apps = [_public_app(app) for app in req.state.apps.values()]
    return 200, {"apps": apps}, {}


def _public_app(app):
    return {k: v for k, v in app.items() if k != "client_secret"}


@route("POST", f"{PREFIX}/sellers", auth=None)
def add_seller(req):
    body = _body(req)
    if _strings(body, ("seller_id",)):
        return bad_request("missing seller_id")
    region = body.get("region") or "NA"
    if region not in REGIONS:
        return bad_request(f"region must be one of {list(REGIONS)}")
    marketplaces = body.get("marketplaces") or ["ATVPDKIKX0DER"]
    unknown = [m for m in marketplaces if m not in MARKETPLACES]
    if unknown:
        return bad_request(f"unknown marketplaces {unknown}")
    wrong = [m for m in marketplaces if MARKETPLACES[m][5] != region]
    if wrong:
        return bad_request(f"marketplaces {wrong} are not in region {region}")
    seller = req.state.add_seller(
        {
            "seller_id": body["seller_id"],
            "region": region,
            "marketplaces": marketplaces,
            "name": body.get("name"),
        }
    )
    return 200, seller, {}


@route("GET", f"{PREFIX}/sellers", auth=None)
def list_sellers(req):
    with req.state.lock:
        return 200, {"sellers": list(req.state.sellers.values())}, {}


@route("POST", f"{PREFIX}/self-authorize", auth=None)
def self_authorize(req):
    body = _body(req)
    state = req.state
    with state.lock:
        if body.get("client_id") not in state.apps:
            return bad_request("unknown client_id")
        if body.get("seller_id") not in state.sellers:
            return bad_request("unknown seller_id")
        token = state.grant_refresh_token(body["client_id"], body["seller_id"])
    return 200, {"refresh_token": token}, {}


@route("POST", f"{PREFIX}/expire-client-secret", auth=None)
def expire_client_secret(req):
    state = req.state
    with state.lock:
        app = state.apps.get(_body(req).get("client_id"))
        if app is None:
            return bad_request("unknown client_id")
        app["secret_expires_at"] = state.now()
    return 200, {"ok": True}, {}


@route("POST", f"{PREFIX}/revoke", auth=None)
def revoke(req):
    token = _body(req).get("refresh_token")
    if not isinstance(token, str) or not req.state.revoke_refresh_token(token):
        return bad_request("unknown refresh_token")
    return 200, {"revoked": 1}, {}


@route("POST", f"{PREFIX}/rates", auth=None)
def set_rate(req):
    body = _body(req)
    name, rate, burst = body.get("operation"), body.get("rate"), body.get("burst")
    if not isinstance(name, str) or not name:
        return bad_request("missing operation")
    if not _number(rate) or rate <= 0 or not isinstance(burst, int) or burst < 1:
        return bad_request("rate must be a positive number, burst a positive integer")
    state = req.state
    with state.lock:
        state.rate_overrides[name] = (float(rate), burst)
        # Refilled: the new burst is what the next calls find.
        for key in [k for k in state.buckets if k[1] == name]:
            del state.buckets[key]
    return 200, {"operation": name, "rate": float(rate), "burst": burst}, {}


@route("GET", f"{PREFIX}/rates", auth=None)
def list_rates(req):
    with req.state.lock:
        found = {
            name: {"rate": rate, "burst": burst}
            for name, (rate, burst) in req.state.rate_overrides.items()
        }
    return 200, {"rates": found}, {}
