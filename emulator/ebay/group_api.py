"""Sell Inventory API: inventory item groups (multi-variation listings)."""

from ..core.contracts import accepted_body
from . import errors
from .catalog import CATEGORIES
from .inventory_api import (
    BASE,
    DOMAIN,
    TITLE_MAX,
    _listing_ids,
    _publish_problems,
    count_revision,
    inv,
)
from .routes import route


def groups(state):
    return inv(state).setdefault("groups", {})


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


@route("PUT", f"{BASE}/inventory_item_group/{{inventoryItemGroupKey}}")
def put_group(req):
    key = req.params["inventoryItemGroupKey"]
    body = accepted_body(req)
    if len(key) > 50:
        return _err(25016, "Invalid inventoryItemGroupKey: at most 50 characters.")
    if len(body.get("title") or "") > TITLE_MAX:
        return _err(25016, f"Invalid title: at most {TITLE_MAX} characters.")
    variants = body.get("variantSKUs") or []
    if not variants:
        return _err(25013, "Invalid data in the Inventory Item Group: variantSKUs.")
    with req.state.lock:
        items = inv(req.state)["items"]
        missing = [sku for sku in variants if sku not in items]
        if missing:
            return _err(25702, f"SKU {missing[0]} is not available.")
        for offer in _group_offers(req.state, key):
            problem = count_revision(req.state, offer)
            if problem:
                return 400, errors.body(problem), {}
        for sku in variants:
            items[sku]["groupIds"] = [key]
        groups(req.state)[key] = dict(body, inventoryItemGroupKey=key)
    # 204 as for createOrReplaceInventoryItem: a payload only with warnings.
    return 204, None, {}


@route("GET", f"{BASE}/inventory_item_group/{{inventoryItemGroupKey}}")
def get_group(req):
    with req.state.lock:
        group = groups(req.state).get(req.params["inventoryItemGroupKey"])
    if not group:
        return _err(25705, "The Inventory Item Group named could not be found.", 404)
    return 200, group, {}


@route("DELETE", f"{BASE}/inventory_item_group/{{inventoryItemGroupKey}}")
def delete_group(req):
    with req.state.lock:
        group = groups(req.state).pop(req.params["inventoryItemGroupKey"], None)
    if not group:
        return _err(25705, "The Inventory Item Group named could not be found.", 404)
    return 204, None, {}


def _group_offers(state, key, marketplace=None):
    group = groups(state).get(key) or {}
    skus = set(group.get("variantSKUs") or [])
    return [
        o
        for o in inv(state)["offers"].values()
        if o["sku"] in skus and (not marketplace or o["marketplaceId"] == marketplace)
    ]


@route("POST", f"{BASE}/offer/publish_by_inventory_item_group")
def publish_group(req):
    body = req.json or {}
    key, marketplace = body.get("inventoryItemGroupKey"), body.get("marketplaceId")
    with req.state.lock:
        group = groups(req.state).get(key)
        if not group:
            # A 400: the operation declares no 404 (25705 is among its 400s).
            return _err(25705, "The Inventory Item Group named could not be found.")
        offers = _group_offers(req.state, key, marketplace)
        skus = set(group.get("variantSKUs") or [])
        if {o["sku"] for o in offers} != skus:
            return _err(25017, "Every variant SKU needs an offer before publishing.")
        problems = []
        for offer in offers:
            problems += _publish_problems(req.state, offer)
        category = CATEGORIES.get(str(offers[0].get("categoryId") or ""))
        varies = [
            s.get("name")
            for s in (group.get("variesBy") or {}).get("specifications", [])
        ]
        if category and any(name not in category[4] for name in varies):
            problems.append(
                errors.error(
                    25013,
                    DOMAIN,
                    "Invalid data in the Inventory Item Group: an aspect in variesBy "
                    "cannot be used for variations in this category.",
                )
            )
        if problems:
            return 400, errors.body(*_unique(problems)), {}
        listing_id = next(
            (o["listingId"] for o in offers if o.get("listingId")), None
        ) or str(next(_listing_ids))
        live = any(o["status"] == "PUBLISHED" for o in offers)
        if live:
            problem = count_revision(
                req.state, next(o for o in offers if o["status"] == "PUBLISHED")
            )
            if problem:
                return 400, errors.body(problem), {}
        for offer in offers:
            offer.update(
                status="PUBLISHED", listingId=listing_id, listingStatus="ACTIVE"
            )
        # Offers of SKUs removed from the group leave the listing.
        for offer in inv(req.state)["offers"].values():
            if offer.get("listingId") == listing_id and offer["sku"] not in skus:
                offer.update(status="UNPUBLISHED", listingStatus="ENDED")
    return 200, {"listingId": listing_id}, {}


@route("POST", f"{BASE}/offer/withdraw_by_inventory_item_group")
def withdraw_group(req):
    body = req.json or {}
    key, marketplace = body.get("inventoryItemGroupKey"), body.get("marketplaceId")
    with req.state.lock:
        offers = [
            o
            for o in _group_offers(req.state, key, marketplace)
            if o["status"] == "PUBLISHED"
        ]
        if key not in groups(req.state) or not offers:
            # The operation's one 400 error: 25725 "No offer found".
            return _err(25725, "No offer found.")
        for offer in offers:
            offer.update(status="UNPUBLISHED", listingStatus="ENDED")
    return 204, None, {}


def _unique(problems):
    seen, out = set(), []
    for problem in problems:
        key = (problem["errorId"], problem["message"])
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out
