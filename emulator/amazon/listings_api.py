"""Listings Items API 2021-08-01 (models/listings-items-api-model).

put, patch and delete answer ACCEPTED and apply later (``listings_store``);
``mode=VALIDATION_PREVIEW`` answers VALID or INVALID with the issues the
emulator finds and stores nothing; INVALID at once for what Amazon checks
before accepting (an unknown product type, attributes or patches not of
Listings' shapes).  get and search read the applied listings, per
marketplace, with ``includedData``.

Authentication, the seller in the path and the token buckets are the
personality's; the core checks requests and answers against the model.
"""

import base64
import datetime
import json

from ..core.contracts import accepted_body
from . import errors, listings_store
from .routes import route

BASE = "/listings/2021-08-01/items"
SEARCH_PAGE_MAX = 20  # pageSize: "Maximum: 20" (the model)
SEARCH_PAGE_DEFAULT = 10
IDENTIFIERS_MAX = 20  # identifiers: "Max count: 20" (the model)
GET_DEFAULT = ("summaries",)
SUBMIT_DEFAULT = ("issues",)


def _bad(message, details=None):
    return 400, errors.invalid_input(message, details), {}


def _csv(value):
    return [part for part in (value or "").split(",") if part]


def _marketplaces(req):
    """The request's marketplace ids, or the 400 when one is not the
    seller's (Amazon answers InvalidInput for a marketplace the seller does
    not sell in [UNCONFIRMED: exact text])."""
    ids = _csv(req.query.get("marketplaceIds"))
    if not ids:
        return None, _bad("marketplaceIds is required.")
    with req.state.lock:
        seller = req.state.sellers.get(req.params["sellerId"])
        allowed = set(seller["marketplaces"]) if seller else set()
    unknown = [m for m in ids if m not in allowed]
    if unknown:
        return None, _bad(
            "Invalid marketplaceIds.",
            f"The seller does not participate in {', '.join(unknown)}.",
        )
    return ids, None


def _included(req, default):
    return tuple(_csv(req.query.get("includedData"))) or default


def _submission_answer(req, sku, answer):
    """``ListingsItemSubmissionResponse`` with the includedData asked for."""
    included = _included(req, SUBMIT_DEFAULT)
    body = {
        "sku": sku,
        "status": answer["status"],
        "submissionId": answer["submissionId"],
    }
    if "issues" in included or answer["status"] == "INVALID":
        # An INVALID answer always says why [UNCONFIRMED when includedData
        # leaves issues out; the safe side for clients].
        body["issues"] = answer["issues"]
    if "identifiers" in included:
        found = listings_store.item(
            req.state,
            req.params["sellerId"],
            sku,
            _csv(req.query.get("marketplaceIds")),
            ("summaries",),
        )
        body["identifiers"] = [
            {"marketplaceId": s["marketplaceId"], "asin": s["asin"]}
            for s in (found or {}).get("summaries", ())
            if s.get("asin")
        ]
    return 200, body, {}


def _submit(
    req, kind, product_type=None, requirements=None, attributes=None, patches=None
):
    sku = req.params["sku"]
    problem = listings_store.sku_problem(sku)
    if problem:
        return _bad("Invalid sku.", problem)
    marketplace_ids, refusal = _marketplaces(req)
    if refusal:
        return refusal
    answer = listings_store.submit(
        req.state,
        req.params["sellerId"],
        sku,
        marketplace_ids,
        kind,
        product_type=product_type,
        requirements=requirements,
        attributes=attributes,
        patches=patches,
        preview=req.query.get("mode") == "VALIDATION_PREVIEW",
    )
    return _submission_answer(req, sku, answer)


@route("PUT", f"{BASE}/{{sellerId}}/{{sku}}", auth="seller")
def put_listings_item(req):
    body = accepted_body(req)
    return _submit(
        req,
        "put",
        product_type=body.get("productType"),
        requirements=body.get("requirements"),
        attributes=body.get("attributes"),
    )


@route("PATCH", f"{BASE}/{{sellerId}}/{{sku}}", auth="seller")
def patch_listings_item(req):
    body = accepted_body(req)
    return _submit(
        req,
        "patch",
        product_type=body.get("productType"),
        patches=body.get("patches") or [],
    )


@route("DELETE", f"{BASE}/{{sellerId}}/{{sku}}", auth="seller")
def delete_listings_item(req):
    # The model declares no 404 for delete: a SKU that is not listed is
    # ACCEPTED too, and its deletion changes nothing.
    return _submit(req, "delete")


@route("GET", f"{BASE}/{{sellerId}}/{{sku}}", auth="seller")
def get_listings_item(req):
    marketplace_ids, refusal = _marketplaces(req)
    if refusal:
        return refusal
    found = listings_store.item(
        req.state,
        req.params["sellerId"],
        req.params["sku"],
        marketplace_ids,
        _included(req, GET_DEFAULT),
    )
    if found is None:
        return (
            404,
            errors.errors(
                "NOT_FOUND",
                f"SKU '{req.params['sku']}' not found in marketplace "
                f"{', '.join(marketplace_ids)}",
            ),
            {},
        )
    return 200, found, {}


# -- search -------------------------------------------------------------------------
def _page_token(offset, query_key):
    raw = json.dumps({"offset": offset, "query": query_key}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_page_token(token, query_key):
    """The offset a pageToken stands for, or None if it is not ours (or was
    made for another query)."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("query") != query_key:
        return None
    offset = data.get("offset")
    return offset if isinstance(offset, int) and offset >= 0 else None


def _matches_identifier(listing, kind, values, marketplace_ids):
    if kind == "SKU":
        return listing["sku"] in values
    if kind == "ASIN":
        return any(
            listing["marketplaces"].get(m, {}).get("asin") in values
            for m in marketplace_ids
        )
    view = listings_store.attributes_for(listing["attributes"], marketplace_ids)
    for value in view.get("externally_assigned_product_identifier") or ():
        if (value.get("type") or "").upper() == kind and value.get("value") in values:
            return True
    return False


def _when(text):
    """A query's date-time as the store's ISO text, or None if unreadable."""
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return listings_store.iso(moment.timestamp())


def _search_filters(query):
    """The search's filters from its query: ``(filters, None)`` or ``(None,
    the 400 answer)``."""
    identifiers = _csv(query.get("identifiers"))
    kind = query.get("identifiersType")
    if identifiers and not kind:
        return None, _bad("identifiersType is required when identifiers are given.")
    if kind and not identifiers:
        return None, _bad("identifiers are required when identifiersType is given.")
    exclusive = [
        name
        for name in ("identifiers", "variationParentSku", "packageHierarchySku")
        if query.get(name)
    ]
    if len(exclusive) > 1:
        # "You cannot use 'identifiers' if you specify variationParentSku or
        # packageHierarchySku" (the model), and so on for each.
        return None, _bad(f"{' and '.join(exclusive)} cannot be used together.")
    if len(identifiers) > IDENTIFIERS_MAX:
        return None, _bad(f"At most {IDENTIFIERS_MAX} identifiers are allowed.")
    try:
        page_size = int(query.get("pageSize") or SEARCH_PAGE_DEFAULT)
    except ValueError:
        return None, _bad("pageSize must be an integer.")
    if not 1 <= page_size <= SEARCH_PAGE_MAX:
        return None, _bad(f"pageSize must be between 1 and {SEARCH_PAGE_MAX}.")
    windows = {}
    for name in WINDOWS:
        if query.get(name):
            windows[name] = _when(query[name])
            if windows[name] is None:
                return None, _bad(f"{name} must be an ISO 8601 date-time.")
    severity = query.get("withIssueSeverity")
    filters = {
        "identifiers": identifiers,
        "kind": kind,
        "page_size": page_size,
        "windows": windows,
        "with_status": set(_csv(query.get("withStatus"))),
        "without_status": set(_csv(query.get("withoutStatus"))),
        "severities": {"ERROR"} if severity == "ERROR" else {"ERROR", "WARNING"},
        "severity": severity,
        "parent": query.get("variationParentSku"),
    }
    return filters, None


WINDOWS = ("createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore")


def _chosen(listing, places, filters):
    """Does the listing (listed in ``places``) pass the search's filters?"""
    if filters["identifiers"] and not _matches_identifier(
        listing, filters["kind"], filters["identifiers"], places
    ):
        return False
    if filters["parent"] and filters["parent"] not in listings_store.parents_of(
        listing["attributes"], places[0]
    ):
        return False
    statuses = {s for m in places for s in listing["marketplaces"][m]["status"]}
    if not filters["with_status"] <= statuses or filters["without_status"] & statuses:
        return False
    if filters["severity"]:
        issues = [
            entry
            for m in places
            for entry in listing["marketplaces"][m]["issues"]
            + listing["marketplaces"][m].get("raised", [])
        ]
        if not any(entry["severity"] in filters["severities"] for entry in issues):
            return False
    return _in_windows(listing, filters["windows"])


@route("GET", f"{BASE}/{{sellerId}}", auth="seller")
def search_listings_items(req):
    marketplace_ids, refusal = _marketplaces(req)
    if refusal:
        return refusal
    query = req.query
    filters, refusal = _search_filters(query)
    if refusal:
        return refusal
    query_key = sorted([k, v] for k, v in query.items() if k != "pageToken")
    offset = 0
    if query.get("pageToken"):
        offset = _read_page_token(query["pageToken"], query_key)
        if offset is None:
            return _bad("Invalid pageToken.")
    page_size = filters["page_size"]
    seller_id = req.params["sellerId"]
    state = req.state
    with state.lock:
        listings_store.apply_due(state)
        chosen = []
        for listing in listings_store.seller_listings(state, seller_id).values():
            places = [m for m in marketplace_ids if m in listing["marketplaces"]]
            if places and _chosen(listing, places, filters):
                chosen.append(listing)
        sort_by = query.get("sortBy") or "lastUpdatedDate"
        descending = (query.get("sortOrder") or "DESC") == "DESC"
        chosen.sort(
            key=lambda entry: (entry[sort_by], entry["sku"]), reverse=descending
        )
        included = _included(req, GET_DEFAULT)
        items = [
            listings_store.item(
                state, seller_id, entry["sku"], marketplace_ids, included
            )
            for entry in chosen[offset : offset + page_size]
        ]
    body = {"numberOfResults": len(chosen), "items": items}
    pagination = {}
    if offset + page_size < len(chosen):
        pagination["nextToken"] = _page_token(offset + page_size, query_key)
    if offset > 0:
        pagination["previousToken"] = _page_token(max(0, offset - page_size), query_key)
    if pagination:
        body["pagination"] = pagination
    return 200, body, {}


def _in_windows(listing, windows):
    created, updated = listing["createdDate"], listing["lastUpdatedDate"]
    checks = (
        ("createdAfter", lambda limit: created >= limit),
        ("createdBefore", lambda limit: created < limit),
        ("lastUpdatedAfter", lambda limit: updated >= limit),
        ("lastUpdatedBefore", lambda limit: updated < limit),
    )
    return all(check(windows[name]) for name, check in checks if name in windows)
