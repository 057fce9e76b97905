"""Control endpoints of the listings (beside ``control.py``'s), under
``/_emulator/amazon/listings``:

* ``GET /{sellerId}``: ``{sku: listing}``, each with its ``pending``
  submissions;
* ``GET /{sellerId}/{sku}``: one listing (404 when there is none, not even
  a pending one);
* ``POST /apply``: apply every pending submission now, ``{applied}``;
* ``POST /{sellerId}/seed``: ``{listings: [{sku, productType, requirements?,
  marketplaceIds, attributes}]}``, listings that are already there (a
  benchmark's starting state): each goes in as a put would and is applied
  at once (checked against its product type: issues, status, ASIN),
  ``{listed}``; nothing is stored when one of them is refused;
* ``POST /{sellerId}/{sku}/issues``: ``{marketplace_id, issue: {code,
  message, severity, categories, attributeNames?, enforcements?}}``, an
  issue Amazon found after acceptance;
* ``DELETE /{sellerId}/{sku}/issues``: forget the raised issues.
"""

from ..core.control import bad_request
from . import listings_store
from .routes import route

PREFIX = "/_emulator/amazon/listings"
SEVERITIES = ("ERROR", "WARNING", "INFO")
ISSUE_KEYS = frozenset(
    {"code", "message", "severity", "categories", "attributeNames", "enforcements"}
)


@route("POST", f"{PREFIX}/apply", auth=None)
def apply_pending(req):
    return 200, {"applied": listings_store.apply_due(req.state, force=True)}, {}


SEED_KEYS = frozenset(
    {"sku", "productType", "requirements", "marketplaceIds", "attributes"}
)


def _seed_problem(entry):
    if not isinstance(entry, dict):
        return "each listing must be an object"
    unknown = set(entry) - SEED_KEYS
    if unknown:
        return f"unknown listing fields {sorted(unknown)}"
    problem = listings_store.sku_problem(entry.get("sku"))
    if problem:
        return f"{entry.get('sku')!r}: {problem}"
    places = entry.get("marketplaceIds")
    if not places or not all(isinstance(m, str) for m in places):
        return f"{entry['sku']}: marketplaceIds must be a non-empty list of ids"
    issues = listings_store.acceptance_issues(
        "put", entry.get("productType"), attributes=entry.get("attributes")
    )
    if issues:
        return f"{entry['sku']}: {issues[0]['message']}"
    return None


@route("POST", f"{PREFIX}/{{sellerId}}/seed", auth=None)
def seed_listings(req):
    """Puts applied at once: the listings Amazon already has when a
    benchmark starts (so that its set-up need not publish them first)."""
    body = req.json if isinstance(req.json, dict) else {}
    entries = body.get("listings")
    if not isinstance(entries, list) or not entries:
        return bad_request("listings must be a non-empty list")
    # Every entry is checked before any is stored: nothing half-seeded.
    for entry in entries:
        problem = _seed_problem(entry)
        if problem:
            return bad_request(problem)
    state, seller_id = req.state, req.params["sellerId"]
    with state.lock:
        for entry in entries:
            listings_store.submit(
                state,
                seller_id,
                entry["sku"],
                entry["marketplaceIds"],
                "put",
                product_type=entry["productType"],
                requirements=entry.get("requirements"),
                attributes=entry["attributes"],
            )
        listings_store.apply_due(state, force=True)
    return 200, {"listed": len(entries)}, {}


@route("GET", f"{PREFIX}/{{sellerId}}", auth=None)
def seller_listings(req):
    state, seller_id = req.state, req.params["sellerId"]
    with state.lock:
        listings_store.apply_due(state)
        found = {
            sku: listings_store.public(state, seller_id, listing)
            for sku, listing in listings_store.seller_listings(state, seller_id).items()
        }
    return 200, found, {}


@route("GET", f"{PREFIX}/{{sellerId}}/{{sku}}", auth=None)
def one_listing(req):
    state, seller_id, sku = req.state, req.params["sellerId"], req.params["sku"]
    with state.lock:
        listings_store.apply_due(state)
        listing = listings_store.seller_listings(state, seller_id).get(sku)
        if listing is not None:
            return 200, listings_store.public(state, seller_id, listing), {}
        pending = listings_store.pending_of(state, seller_id, sku)
    if pending:
        return 200, {"sku": sku, "marketplaces": {}, "pending": pending}, {}
    return 404, {"error": f"no listing {sku} of seller {seller_id}"}, {}


def _issue_problem(issue):
    if not isinstance(issue, dict):
        return "issue must be an object"
    unknown = set(issue) - ISSUE_KEYS
    if unknown:
        return f"unknown issue fields {sorted(unknown)}"
    if not all(
        isinstance(issue.get(k), str) and issue.get(k) for k in ("code", "message")
    ):
        return "issue needs a code and a message"
    if issue.get("severity") not in SEVERITIES:
        return f"severity must be one of {list(SEVERITIES)}"
    categories = issue.get("categories")
    if not isinstance(categories, list) or not all(
        isinstance(c, str) for c in categories
    ):
        return "categories must be a list of strings"
    names = issue.get("attributeNames", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return "attributeNames must be a list of strings"
    enforcements = issue.get("enforcements")
    if enforcements is not None and not (
        isinstance(enforcements, dict)
        and isinstance(enforcements.get("actions"), list)
        and isinstance(enforcements.get("exemption"), dict)
        and isinstance(enforcements["exemption"].get("status"), str)
    ):
        return "enforcements must be {actions: [{action}], exemption: {status}}"
    return None


@route("POST", f"{PREFIX}/{{sellerId}}/{{sku}}/issues", auth=None)
def raise_issue(req):
    body = req.json if isinstance(req.json, dict) else {}
    problem = _issue_problem(body.get("issue"))
    if problem:
        return bad_request(problem)
    if not isinstance(body.get("marketplace_id"), str):
        return bad_request("missing marketplace_id")
    raised = listings_store.raise_issue(
        req.state,
        req.params["sellerId"],
        req.params["sku"],
        body["marketplace_id"],
        body["issue"],
    )
    if not raised:
        return 404, {"error": "no such listing in that marketplace"}, {}
    return 200, {"ok": True}, {}


@route("DELETE", f"{PREFIX}/{{sellerId}}/{{sku}}/issues", auth=None)
def clear_issues(req):
    if not listings_store.clear_raised(
        req.state, req.params["sellerId"], req.params["sku"]
    ):
        return 404, {"error": "no such listing"}, {}
    return 200, {"ok": True}, {}
