"""Tokens API 2021-03-01 (models/tokens-api-model/tokens_2021-03-01.json):
createRestrictedDataToken, and the control view of what was issued.

An RDT is an access token of the calling seller (and app) bound to the
restricted resources it was asked for: it lives ``restricted_token_ttl``
seconds (3600: "The RDT is valid for one hour", Tokens use case guide) and
authorizes only calls whose method and path one of its resources names
(``personality.authenticate`` refuses any other with Amazon's 403
Unauthorized).  A resource's path is a restricted operation's path, with an
id (``/orders/2026-01-01/orders/123-...``) or, where Amazon allows it, the
template (``/mfn/v0/shipments/{shipmentId}``); the Orders paths need
``dataElements`` (buyerInfo, shippingAddress, buyerTaxInformation).  What
``dataElements`` give in the Orders API: see ``orders_api.py``.

Control ``GET /_emulator/amazon/restricted-tokens``: ``{"count", "paths",
"dataElements", "tokens": [{seller_id, resources, issued_at, expires_at}]}``
(never a token's value), so tests count and check the RDTs asked for.
"""

import re

from ..core.contracts import accepted_body
from . import errors
from .routes import route

PATH = "/tokens/2021-03-01/restrictedDataToken"
RESOURCES_MAX = 50  # restrictedResources: "Maximum: 50"
DATA_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")
_ID = r"[^/{}]+"
_ID_OR_TEMPLATE = r"(?:[^/{}]+|\{[A-Za-z]+\})"
# The restricted operations' paths (Tokens use case guide), and whether
# they need dataElements.
RESTRICTED_PATHS = (
    (re.compile(r"^/orders/v0/orders$"), True),
    (re.compile(rf"^/orders/v0/orders/{_ID}$"), True),
    (re.compile(rf"^/orders/v0/orders/{_ID}/orderItems$"), True),
    (re.compile(rf"^/orders/v0/orders/{_ID}/(address|buyerInfo)$"), False),
    (re.compile(rf"^/orders/v0/orders/{_ID}/orderItems/buyerInfo$"), False),
    (re.compile(r"^/orders/2026-01-01/orders$"), True),
    (re.compile(rf"^/orders/2026-01-01/orders/{_ID}$"), True),
    (re.compile(rf"^/mfn/v0/shipments/{_ID_OR_TEMPLATE}$"), False),
)


def _bad(message, details=None):
    return 400, errors.invalid_input(message, details), {}


def _needs_elements(path):
    for pattern, needs in RESTRICTED_PATHS:
        if pattern.match(path):
            return needs
    return None


def _resources(body):
    """The restricted resources asked for, or the 400's text."""
    resources = body.get("restrictedResources")
    if not isinstance(resources, list) or not resources:
        return None, "restrictedResources must list at least one resource."
    if len(resources) > RESOURCES_MAX:
        return None, f"restrictedResources holds at most {RESOURCES_MAX} resources."
    found = []
    for resource in resources:
        if not isinstance(resource, dict):
            return None, "Each restricted resource must be an object."
        method, path = resource.get("method"), resource.get("path")
        if method not in ("GET", "PUT", "POST", "DELETE") or not isinstance(path, str):
            return None, "Each restricted resource needs a method and a path."
        needs = _needs_elements(path)
        if needs is None or method != "GET":
            return None, f"{method} {path} is not a restricted resource."
        elements = resource.get("dataElements")
        if needs:
            if (
                not isinstance(elements, list)
                or not elements
                or any(e not in DATA_ELEMENTS for e in elements)
            ):
                return None, (
                    f"{path} needs dataElements, some of {', '.join(DATA_ELEMENTS)}."
                )
        elif elements:
            return None, f"{path} takes no dataElements."
        found.append(
            {
                "method": method,
                "path": path,
                "dataElements": sorted(set(elements or ())),
            }
        )
    return found, None


def covers(resources, method, path):
    """Does one of an RDT's ``resources`` authorize ``method path``?  A
    ``{name}`` segment of a resource's path stands for any one segment."""
    for resource in resources:
        if resource["method"] != method:
            continue
        if resource["path"] == path:
            return True
        pattern = "^" + re.sub(
            r"\\\{[A-Za-z]+\\\}", "[^/]+", re.escape(resource["path"])
        )
        if "{" in resource["path"] and re.match(pattern + "$", path):
            return True
    return False


def _issued(state):
    return state.data.setdefault("restricted_tokens", [])


@route("POST", PATH, auth="seller")
def create_restricted_data_token(req):
    if (req.token or {}).get("restricted_resources"):
        # An RDT cannot get another (authenticate refuses it on this path
        # already; kept for an emulator run without that check).
        return 403, errors.unauthorized(errors.UNAUTHORIZED_MESSAGE), {}
    body = accepted_body(req)
    resources, problem = _resources(body)
    if problem:
        return _bad("Invalid Input", problem)
    state = req.state
    seller_id, client_id = req.token["seller_id"], req.token["client_id"]
    with state.lock:
        ttl = int(state.config.get("restricted_token_ttl") or 3600)
        token = state.new_token("Atz.sprdt|")
        issued_at = state.now()
        state.access_tokens[token] = {
            "client_id": client_id,
            "seller_id": seller_id,
            "scopes": [],
            "expires": issued_at + ttl,
            "restricted_resources": resources,
        }
        _issued(state).append(
            {
                "seller_id": seller_id,
                "client_id": client_id,
                "resources": resources,
                "issued_at": issued_at,
                "expires_at": issued_at + ttl,
            }
        )
    return 200, {"restrictedDataToken": token, "expiresIn": ttl}, {}


@route("GET", "/_emulator/amazon/restricted-tokens", auth=None)
def restricted_tokens(req):
    with req.state.lock:
        issued = [
            {**entry, "resources": [dict(r) for r in entry["resources"]]}
            for entry in _issued(req.state)
        ]
    paths = [r["path"] for entry in issued for r in entry["resources"]]
    elements = sorted(
        {e for entry in issued for r in entry["resources"] for e in r["dataElements"]}
    )
    return (
        200,
        {
            "count": len(issued),
            "paths": paths,
            "dataElements": elements,
            "tokens": issued,
        },
        {},
    )
