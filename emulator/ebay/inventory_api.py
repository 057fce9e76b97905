"""Sell Inventory API: items, offers, publish/withdraw, locations, bulk calls.

eBay's business rules that the connector must live with are enforced here:
policies, location and a leaf category with its required aspects before a
publish; title and SKU lengths; the offer state machine (UNPUBLISHED /
PUBLISHED, a withdrawn listing ends); one offer per SKU and marketplace;
250 revisions per listing per day; 25 entries per bulk call.

Several marketplaces: an inventory item (SKU) is one, its offers are one
per marketplace, each published as a listing of its own.  The item's
``shipToLocationAvailability.quantity`` is the stock all its offers share;
an offer's ``availableQuantity`` is what the seller allocates to its
marketplace, and the listing shows the smaller of the two (the contract's
note on ``OfferPriceQuantity.availableQuantity``).  A purchase takes from
both, so the item at zero sells out every offer of the SKU.
"""

import itertools
import time

from ..core.contracts import accepted_body
from . import errors
from .account_api import policy_exists, policy_marketplace
from .catalog import CATEGORIES, REFUSED_CONDITIONS
from .routes import route

BASE = "/sell/inventory/v1"
DOMAIN = "API_INVENTORY"
BULK_MAX = 25
REVISIONS_PER_DAY = 250
SKU_MAX = 50
TITLE_MAX = 80
_offer_ids = itertools.count(5_000_000_001)
_listing_ids = itertools.count(110_000_000_001)


def inv(state):
    return state.data.setdefault(
        "inventory",
        {"items": {}, "offers": {}, "locations": {}, "revisions": {}},
    )


def _err(error_id, message, status=400, **extra):
    return status, errors.body(errors.error(error_id, DOMAIN, message, **extra)), {}


def _entry_error(error_id, message, **extra):
    return errors.error(error_id, DOMAIN, message, **extra)


def _day(state):
    return time.strftime("%Y-%m-%d", time.gmtime(state.now()))


def count_revision(state, offer):
    """Count one revision of a live listing; an error entry when over budget."""
    if offer.get("status") != "PUBLISHED":
        return None
    key = (offer["listingId"], _day(state))
    revisions = inv(state)["revisions"]
    if revisions.get(key, 0) >= REVISIONS_PER_DAY:
        return _entry_error(
            25019,
            "Cannot revise the listing: it was revised 250 times today. "
            "Revisions are blocked until the next day.",
        )
    revisions[key] = revisions.get(key, 0) + 1
    return None


def revisions_today(state, listing_id):
    return inv(state)["revisions"].get((listing_id, _day(state)), 0)


# -- the stock the offers of a SKU share ------------------------------------------
def item_quantity(state, sku):
    """The item's quantity across marketplaces, or None when it has none."""
    item = inv(state)["items"].get(sku) or {}
    availability = (item.get("availability") or {}).get(
        "shipToLocationAvailability"
    ) or {}
    return availability.get("quantity")


def listed_quantity(state, offer):
    """What the offer's listing shows: its marketplace's allocation, at most
    the item's quantity (either one alone where the other is not set)."""
    shared = item_quantity(state, offer["sku"])
    own = offer.get("availableQuantity")
    if own is None:
        return shared or 0
    return own if shared is None else min(own, shared)


def offer_on(state, sku, marketplace_id=None):
    """The published offer of ``sku`` on ``marketplace_id`` (any marketplace
    when not given), or None."""
    return next(
        (
            o
            for o in inv(state)["offers"].values()
            if o["sku"] == sku
            and o["status"] == "PUBLISHED"
            and (not marketplace_id or o["marketplaceId"] == marketplace_id)
        ),
        None,
    )


def take_stock(state, offer, quantity):
    """A buyer took ``quantity`` of the offer's listing: from its allocation
    and from the stock the SKU's offers share (``quantity`` negative gives
    it back, as a cancellation does)."""
    if offer.get("availableQuantity") is not None:
        offer["availableQuantity"] = max(0, offer["availableQuantity"] - quantity)
    shared = item_quantity(state, offer["sku"])
    if shared is not None:
        inv(state)["items"][offer["sku"]]["availability"]["shipToLocationAvailability"][
            "quantity"
        ] = max(0, shared - quantity)


# -- inventory items -------------------------------------------------------------
def _put_item(state, sku, body):
    """Store an item (full replacement); return an error entry or None."""
    if not sku or len(sku) > SKU_MAX:
        return _entry_error(25707, f"Invalid SKU: 1 to {SKU_MAX} characters.")
    title = ((body.get("product") or {}).get("title")) or ""
    if len(title) > TITLE_MAX:
        return _entry_error(25016, f"Invalid title: at most {TITLE_MAX} characters.")
    for offer in inv(state)["offers"].values():
        if offer["sku"] == sku:
            problem = count_revision(state, offer)
            if problem:
                return problem
    inv(state)["items"][sku] = dict(body, sku=sku)
    return None


@route("PUT", f"{BASE}/inventory_item/{{sku}}")
def create_or_replace_item(req):
    with req.state.lock:
        problem = _put_item(req.state, req.params["sku"], accepted_body(req))
    if problem:
        return 400, errors.body(problem), {}
    # 204: "A response payload will only be returned ... if one or more errors
    # or warnings occur" (the contract's BaseResponse); the 200/201 it
    # declares carry that payload, and the emulator has no warnings to give.
    return 204, None, {}


@route("GET", f"{BASE}/inventory_item/{{sku}}")
def get_item(req):
    with req.state.lock:
        item = inv(req.state)["items"].get(req.params["sku"])
    if not item:
        return _err(25702, f"SKU {req.params['sku']} is not available.", 404)
    return 200, item, {}


@route("DELETE", f"{BASE}/inventory_item/{{sku}}")
def delete_item(req):
    sku = req.params["sku"]
    with req.state.lock:
        data = inv(req.state)
        if sku not in data["items"]:
            return _err(25702, f"SKU {sku} is not available.", 404)
        del data["items"][sku]
        for offer_id in [o for o, v in data["offers"].items() if v["sku"] == sku]:
            del data["offers"][offer_id]
    return 204, None, {}


@route("POST", f"{BASE}/bulk_create_or_replace_inventory_item")
def bulk_items(req):
    requests_ = accepted_body(req).get("requests") or []
    if len(requests_) > BULK_MAX:
        return _err(25727, f"At most {BULK_MAX} inventory items per request.")
    responses = []
    with req.state.lock:
        for entry in requests_:
            sku = entry.get("sku", "")
            item = {k: v for k, v in entry.items() if k not in ("sku", "locale")}
            existed = sku in inv(req.state)["items"]
            problem = None
            if not entry.get("locale"):
                problem = _entry_error(25733, "locale is required for each item.")
            problem = problem or _put_item(req.state, sku, item)
            response = _present(sku=sku, locale=entry.get("locale"))
            if problem:
                response.update(statusCode=400, errors=[problem])
            else:
                response["statusCode"] = 200 if existed else 201
            responses.append(response)
    return _multi(responses)


@route("POST", f"{BASE}/bulk_get_inventory_item")
def bulk_get_items(req):
    requests_ = (req.json or {}).get("requests") or []
    if len(requests_) > BULK_MAX:
        return _err(25727, f"At most {BULK_MAX} inventory items per request.")
    responses = []
    with req.state.lock:
        for entry in requests_:
            sku = entry.get("sku")
            item = inv(req.state)["items"].get(sku)
            if item:
                responses.append({"statusCode": 200, "sku": sku, "inventoryItem": item})
            else:
                responses.append(
                    _present(
                        statusCode=404,
                        sku=sku,
                        errors=[_entry_error(25702, f"SKU {sku} is not available.")],
                    )
                )
    return _multi(responses)


def _present(**fields):
    """The fields that have a value: an answer never says ``null`` where the
    contract declares a string (an entry without a locale has none)."""
    return {key: value for key, value in fields.items() if value is not None}


def _multi(responses):
    failed = any(r["statusCode"] >= 400 for r in responses)
    return (207 if failed else 200), {"responses": responses}, {}


# -- offers ----------------------------------------------------------------------
def _create_offer(state, body, bulk=False):
    """Create an offer; return (offer, error entry).

    One offer per SKU, marketplace and format: a second is refused, naming
    the offer that exists (createOffer answers 25002 "Offer entity already
    exists", bulkCreateOffer its entry with 25729, as its contract lists)."""
    data = inv(state)
    sku = body.get("sku")
    if sku not in data["items"]:
        return None, _entry_error(25702, f"SKU {sku} is not available.")
    for offer in data["offers"].values():
        if (
            offer["sku"] == sku
            and offer["marketplaceId"] == body.get("marketplaceId")
            and offer["format"] == body.get("format")
        ):
            return None, _entry_error(
                25729 if bulk else 25002,
                "The combination of SKU, marketplaceId and format should be unique."
                if bulk
                else "Offer entity already exists.",
                parameters=[{"name": "offerId", "value": offer["offerId"]}],
            )
    offer = dict(body, offerId=str(next(_offer_ids)), status="UNPUBLISHED")
    data["offers"][offer["offerId"]] = offer
    return offer, None


@route("POST", f"{BASE}/offer")
def create_offer(req):
    with req.state.lock:
        offer, problem = _create_offer(req.state, accepted_body(req))
    if problem:
        return 400, errors.body(problem), {}
    return 201, {"offerId": offer["offerId"]}, {}


@route("POST", f"{BASE}/bulk_create_offer")
def bulk_create_offer(req):
    requests_ = accepted_body(req).get("requests") or []
    if len(requests_) > BULK_MAX:
        return _err(25730, f"At most {BULK_MAX} offers per request.")
    responses = []
    with req.state.lock:
        for body in requests_:
            offer, problem = _create_offer(req.state, body, bulk=True)
            response = _present(
                sku=body.get("sku"),
                marketplaceId=body.get("marketplaceId"),
                format=body.get("format"),
            )
            if problem:
                response.update(statusCode=400, errors=[problem])
            else:
                response.update(statusCode=200, offerId=offer["offerId"])
            responses.append(response)
    return _multi(responses)


# What the emulator keeps on an offer that getOffer does not show as such:
# the listing's id and status are answered inside ``listing``.
_OFFER_STATE = ("status", "listingId", "listingStatus")


def _public(offer):
    public = {k: v for k, v in offer.items() if k not in _OFFER_STATE}
    public["status"] = offer["status"]
    if offer.get("listingId"):
        public["listing"] = {
            "listingId": offer["listingId"],
            "listingStatus": offer.get("listingStatus", "ACTIVE"),
        }
    return public


@route("GET", f"{BASE}/offer/{{offerId}}")
def get_offer(req):
    with req.state.lock:
        offer = inv(req.state)["offers"].get(req.params["offerId"])
    if not offer:
        return _err(25713, "This Offer is not available.", 404)
    return 200, _public(offer), {}


@route("GET", f"{BASE}/offer")
def get_offers(req):
    sku = req.query.get("sku")
    marketplace = req.query.get("marketplace_id")
    with req.state.lock:
        if sku not in inv(req.state)["items"]:
            return _err(25713, "This Offer is not available.", 404)
        found = [
            _public(o)
            for o in inv(req.state)["offers"].values()
            if o["sku"] == sku
            and (not marketplace or o["marketplaceId"] == marketplace)
        ]
    return 200, {"offers": found, "total": len(found), "size": len(found)}, {}


@route("PUT", f"{BASE}/offer/{{offerId}}")
def update_offer(req):
    with req.state.lock:
        data = inv(req.state)
        offer = data["offers"].get(req.params["offerId"])
        if not offer:
            return _err(25713, "This Offer is not available.", 404)
        problem = count_revision(req.state, offer)
        if problem:
            return 400, errors.body(problem), {}
        keep = {
            k: offer[k]
            for k in (
                "offerId",
                "status",
                "listingId",
                "listingStatus",
                "sku",
                "marketplaceId",
                "format",
            )
            if k in offer
        }
        offer.clear()
        offer.update(accepted_body(req))
        offer.update(keep)
    return 200, {}, {}


@route("DELETE", f"{BASE}/offer/{{offerId}}")
def delete_offer(req):
    with req.state.lock:
        offer = inv(req.state)["offers"].pop(req.params["offerId"], None)
    if not offer:
        return _err(25713, "This Offer is not available.", 404)
    return 204, None, {}


def _publish_problems(state, offer):
    """eBay's checks before a listing goes live."""
    problems = []
    item = inv(state)["items"].get(offer["sku"], {})
    product = item.get("product") or {}
    category = CATEGORIES.get(str(offer.get("categoryId") or ""))
    if not category:
        problems.append(
            _entry_error(
                25005, "Invalid category. The category ID is missing or unknown."
            )
        )
    elif not category[2]:
        problems.append(
            _entry_error(
                25005,
                f"Invalid category. {offer['categoryId']} is not a leaf category.",
            )
        )
    else:
        aspects = product.get("aspects") or {}
        for name in category[3]:
            if not aspects.get(name):
                problems.append(
                    _entry_error(25029, f"{name} is required for this category.")
                )
    condition = item.get("condition")
    if category and condition in REFUSED_CONDITIONS.get(
        str(offer.get("categoryId")), ()
    ):
        problems.append(
            _entry_error(
                25021,
                f"Invalid condition information: {condition} is not "
                "allowed in this category.",
            )
        )
    if not product.get("title"):
        problems.append(
            _entry_error(25017, "Missing information in fields: product.title.")
        )
    if not product.get("imageUrls"):
        problems.append(
            _entry_error(25014, "Invalid pictures. At least one image is required.")
        )
    policies = offer.get("listingPolicies") or {}
    for kind, key, error_id, label in (
        ("fulfillment_policy", "fulfillmentPolicyId", 25007, "Shipping"),
        ("payment_policy", "paymentPolicyId", 25008, "Payment"),
        ("return_policy", "returnPolicyId", 25009, "Return"),
    ):
        if not policy_exists(state, kind, policies.get(key)):
            problems.append(
                _entry_error(error_id, f"Invalid {label} policy information.")
            )
        elif policy_marketplace(state, kind, policies[key]) not in (
            None,
            offer.get("marketplaceId"),
        ):
            # A policy belongs to one marketplace: another's is refused.
            problems.append(
                _entry_error(
                    error_id,
                    f"Invalid {label} policy information: the policy is not "
                    f"one of {offer.get('marketplaceId')}.",
                )
            )
    if offer.get("merchantLocationKey") not in inv(state)["locations"]:
        problems.append(
            _entry_error(
                25012, "Invalid location. The merchant location is missing or unknown."
            )
        )
    price = ((offer.get("pricingSummary") or {}).get("price") or {}).get("value")
    try:
        if float(price) <= 0:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(_entry_error(25003, "Invalid price."))
    quantity = offer.get("availableQuantity")
    if quantity is None:
        quantity = (
            (item.get("availability") or {}).get("shipToLocationAvailability") or {}
        ).get("quantity")
    if not isinstance(quantity, int) or quantity < 0:
        problems.append(_entry_error(25004, "Invalid quantity."))
    return problems


def _publish(state, offer_id):
    """Publish (or re-publish = revise) one offer; (listing id, problems)."""
    offer = inv(state)["offers"].get(offer_id)
    if not offer:
        return None, [_entry_error(25713, "This Offer is not available.")]
    problems = _publish_problems(state, offer)
    if problems:
        return None, problems
    if offer["status"] == "PUBLISHED":
        problem = count_revision(state, offer)
        if problem:
            return None, [problem]
    else:
        offer["listingId"] = offer.get("listingId") or str(next(_listing_ids))
        offer["status"] = "PUBLISHED"
    offer["listingStatus"] = "ACTIVE"
    return offer["listingId"], []


@route("POST", f"{BASE}/offer/{{offerId}}/publish")
def publish_offer(req):
    with req.state.lock:
        listing_id, problems = _publish(req.state, req.params["offerId"])
    if problems:
        status = 404 if problems[0]["errorId"] == 25713 else 400
        return status, errors.body(*problems), {}
    return 200, {"listingId": listing_id}, {}


@route("POST", f"{BASE}/bulk_publish_offer")
def bulk_publish_offer(req):
    requests_ = (req.json or {}).get("requests") or []
    if len(requests_) > BULK_MAX:
        return _err(25730, f"At most {BULK_MAX} offers per request.")
    responses = []
    with req.state.lock:
        for entry in requests_:
            listing_id, problems = _publish(req.state, entry.get("offerId"))
            response = _present(offerId=entry.get("offerId"))
            if problems:
                response.update(statusCode=400, errors=problems)
            else:
                response.update(statusCode=200, listingId=listing_id)
            responses.append(response)
    return _multi(responses)


@route("POST", f"{BASE}/offer/{{offerId}}/withdraw")
def withdraw_offer(req):
    with req.state.lock:
        offer = inv(req.state)["offers"].get(req.params["offerId"])
        if not offer:
            return _err(25713, "This Offer is not available.", 404)
        if offer["status"] != "PUBLISHED":
            return _err(25002, "The offer is not published; nothing to withdraw.")
        offer["status"] = "UNPUBLISHED"
        offer["listingStatus"] = "ENDED"
    return 200, {"listingId": offer["listingId"]}, {}


@route("POST", f"{BASE}/offer/get_listing_fees")
def listing_fees(req):
    offers = (req.json or {}).get("offers") or []
    with req.state.lock:
        known = [inv(req.state)["offers"].get(o.get("offerId")) for o in offers]
    if not all(known):
        return _err(25713, "This Offer is not available.", 404)
    by_marketplace = {}
    for offer in known:
        by_marketplace.setdefault(offer["marketplaceId"], []).append(offer)
    summaries = [
        {
            "marketplaceId": marketplace,
            "fees": [
                {
                    "feeType": "InsertionFee",
                    "amount": {"value": f"{0.35 * len(group):.2f}", "currency": "USD"},
                }
            ],
        }
        for marketplace, group in sorted(by_marketplace.items())
    ]
    return 200, {"feeSummaries": summaries}, {}


# -- locations -------------------------------------------------------------------
@route("POST", f"{BASE}/location/{{merchantLocationKey}}")
def create_location(req):
    key = req.params["merchantLocationKey"]
    body = accepted_body(req)
    address = ((body.get("location") or {}).get("address")) or {}
    if len(key) > 36:
        return _err(25802, "Invalid merchantLocationKey: at most 36 characters.")
    if not address.get("country") or not (
        address.get("postalCode")
        or (address.get("city") and address.get("stateOrProvince"))
    ):
        return _err(
            25802,
            "Input error: the address needs a country and a postal code "
            "(or city and state).",
        )
    with req.state.lock:
        locations = inv(req.state)["locations"]
        if key in locations:
            return _err(25803, f"Location {key} already exists.", 409)
        locations[key] = dict(
            body, merchantLocationKey=key, merchantLocationStatus="ENABLED"
        )
    return 204, None, {}


@route("GET", f"{BASE}/location/{{merchantLocationKey}}")
def get_location(req):
    with req.state.lock:
        location = inv(req.state)["locations"].get(req.params["merchantLocationKey"])
    if not location:
        return _err(25804, "Location not found.", 404)
    return 200, location, {}


# -- price and quantity ---------------------------------------------------------
@route("POST", f"{BASE}/bulk_update_price_quantity")
def bulk_update_price_quantity(req):
    requests_ = (req.json or {}).get("requests") or []
    if len(requests_) > BULK_MAX:
        return _err(25727, f"At most {BULK_MAX} inventory items per request.")
    responses = []
    with req.state.lock:
        data = inv(req.state)
        for entry in requests_:
            sku = entry.get("sku")
            item = data["items"].get(sku)
            if not item:
                responses.append(
                    _present(
                        statusCode=404,
                        sku=sku,
                        errors=[_entry_error(25702, f"SKU {sku} is not available.")],
                    )
                )
                continue
            offers = entry.get("offers") or []
            problem = None
            for change in offers:
                offer = data["offers"].get(change.get("offerId"))
                if not offer or offer["sku"] != sku:
                    problem = _entry_error(25713, "This Offer is not available.")
                    break
                problem = count_revision(req.state, offer)
                if problem:
                    break
            if problem:
                responses.append(_present(statusCode=400, sku=sku, errors=[problem]))
                continue
            availability = entry.get("shipToLocationAvailability")
            if availability and "quantity" in availability:
                item.setdefault("availability", {})["shipToLocationAvailability"] = {
                    "quantity": availability["quantity"]
                }
            for change in offers:
                offer = data["offers"][change["offerId"]]
                if "availableQuantity" in change:
                    offer["availableQuantity"] = change["availableQuantity"]
                if change.get("price"):
                    offer.setdefault("pricingSummary", {})["price"] = change["price"]
                responses.append(
                    {"statusCode": 200, "sku": sku, "offerId": change["offerId"]}
                )
            if not offers:
                responses.append({"statusCode": 200, "sku": sku})
    return _multi(responses)
