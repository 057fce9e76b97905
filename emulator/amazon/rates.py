"""Token buckets: Amazon's usage plans, as the models' rate tables give them.

Each operation's description in Amazon's models carries a table
``| Rate (requests per second) | Burst |`` (AMAZON_FACTS.md section 6):
a bucket of ``burst`` tokens refilled at ``rate`` per second, one per
(seller, operation) for a seller's call and one per (client, operation) for
a grantless one (usage plans are per application-seller pair, RL FAQ).  A
call that finds its bucket empty is answered 429 QuotaExceeded, without
``x-amzn-RateLimit-Limit`` nor ``Retry-After``; a call that gets through
carries ``x-amzn-RateLimit-Limit: <rate>`` on 2xx, 400 and 404 only.
Time is the control clock (``state.now()``), so tests refill a bucket by
advancing it.  A bucket is taken once the token is accepted, before the
request is checked against the model: a call answered 400 has counted, as
it carries the rate header.

Listings Items put and patch have per-application limits as well, each with
its own 429 message (developer-docs "Listings Items API Rate Limits",
throttle error messages; AMAZON_FACTS.md section 5).  The emulator keeps
one bucket per (client, name) for each:

=================================  ==========  ===================================
bucket (``POST /_emulator/amazon/   default     when it counts; its 429 message
rates`` ``operation``)              rate/burst  ends
=================================  ==========  ===================================
``putListingsItem:application``     100/100     every put ("...for the
                                                application.")
``patchListingsItem:application``   500/500     every patch (idem)
``putListingsItem:relationships``   25/25       a put whose attributes hold a
                                                relationship attribute ("...for
                                                relationships.")
``patchListingsItem:relationships`` 5/5         a patch of a relationship attribute
``patchListingsItem:productData``   100/100     a patch of a product data attribute
                                                ("...for product data.")
=================================  ==========  ===================================

Relationship attributes are ``child_parent_sku_relationship`` and
``package_contains_sku`` (the docs' list); product data attributes are all
others except the offer's (:data:`OFFER_ATTRIBUTES`: price, quantity and the
offer's terms, which Amazon's docs count as neither).  The per-application
bursts are not published: the emulator takes burst = rate
**[UNCONFIRMED]**.  Validation previews' own limit (20/s per application)
is not modelled.

JSON_LISTINGS_FEED's createFeed limit (5 per 5 minutes per seller and
region) is enforced by the Feeds handler with :func:`take` on a bucket of
its own (:data:`LISTINGS_FEED_BUCKET`, see :func:`take_listings_feed`).
"""

import re

from . import errors

RATE_TABLE = re.compile(
    r"Rate \(requests per second\)\s*\|\s*Burst\s*\|.*?\n"  # header row
    r"(?:\|\s*-+\s*)+\|\s*\n"  # separator row
    r"\|\s*(?:Default\s*\|)?\s*([0-9.]+)\s*\|\s*([0-9]+)\s*\|",
    re.DOTALL,
)

APPLICATION_MESSAGE = (
    "The frequency of requests was greater than what is allowed for the application."
)
RELATIONSHIPS_MESSAGE = (
    "The frequency of requests was greater than what is allowed for relationships."
)
PRODUCT_DATA_MESSAGE = (
    "The frequency of requests was greater than what is allowed for product data."
)
RELATIONSHIP_ATTRIBUTES = frozenset(
    {"child_parent_sku_relationship", "package_contains_sku"}
)
OFFER_ATTRIBUTES = frozenset(
    {
        "purchasable_offer",
        "fulfillment_availability",
        "list_price",
        "condition_type",
        "condition_note",
        "merchant_shipping_group",
        "merchant_release_date",
        "max_order_quantity",
        "skip_offer",
        "product_tax_code",
        "main_offer_image_locator",
    }
)
# name -> (rate, burst, message)
LISTINGS_BUCKETS = {
    "putListingsItem:application": (100.0, 100, APPLICATION_MESSAGE),
    "patchListingsItem:application": (500.0, 500, APPLICATION_MESSAGE),
    "putListingsItem:relationships": (25.0, 25, RELATIONSHIPS_MESSAGE),
    "patchListingsItem:relationships": (5.0, 5, RELATIONSHIPS_MESSAGE),
    "patchListingsItem:productData": (100.0, 100, PRODUCT_DATA_MESSAGE),
}
# JSON_LISTINGS_FEED: 5 feeds per 5 minutes per region (changelog 2025-05-06,
# AMAZON_FACTS.md section 7), per seller here.
LISTINGS_FEED_BUCKET = "createFeed:JSON_LISTINGS_FEED"
LISTINGS_FEED_RATE = (5 / 300.0, 5)

_UNPARSED = object()


def model_rate(operation):
    """``(rate, burst)`` of a contract operation's rate table, or None
    (parsed once, kept on the operation)."""
    found = getattr(operation, "amazon_rate", _UNPARSED)
    if found is _UNPARSED:
        table = RATE_TABLE.search(operation.op.get("description") or "")
        found = (float(table.group(1)), int(table.group(2))) if table else None
        operation.amazon_rate = found
    return found


def rate_of(state, name, default):
    """The (rate, burst) of bucket ``name``: a control override or ``default``."""
    with state.lock:
        return state.rate_overrides.get(name, default)


def take(state, key, name, rate, burst):
    """Take one token from bucket (``key``, ``name``); False when empty."""
    with state.lock:
        now = state.now()
        bucket = state.buckets.get((key, name))
        if bucket is None:
            bucket = state.buckets[(key, name)] = {"tokens": float(burst), "at": now}
        elapsed = max(0.0, now - bucket["at"])
        bucket["tokens"] = min(float(burst), bucket["tokens"] + elapsed * rate)
        bucket["at"] = now
        if bucket["tokens"] < 1:
            return False
        bucket["tokens"] -= 1
        return True


def format_rate(rate):
    """``5.0`` -> ``"5"``, ``0.0083`` -> ``"0.0083"``: as Amazon writes it."""
    return f"{rate:g}" if rate >= 0.0001 else repr(rate)


def throttle(req, operation, key, client_id):
    """None when the call may go on (``req.rate_limit`` then holds the rate
    header's value), else the 429 answer."""
    state = req.state
    if not state.config.get("rate_limits"):
        return None
    name = operation.operation_id
    if name == "createFeed" and _feed_type(req.json) == "JSON_LISTINGS_FEED":
        # Its own limit replaces createFeed's ("The rate limit for
        # JSON_LISTINGS_FEED differs"): the Feeds handler takes it
        # (take_listings_feed), so only its rate is announced here.
        req.rate_limit = format_rate(
            rate_of(state, LISTINGS_FEED_BUCKET, LISTINGS_FEED_RATE)[0]
        )
        return None
    default = model_rate(operation)
    if default is None and name not in state.rate_overrides:
        return None
    rate, burst = rate_of(state, name, default)
    if not take(state, key, name, rate, burst):
        return 429, errors.quota_exceeded(), {}
    for bucket in listings_buckets(name, req.json):
        b_rate, b_burst, message = LISTINGS_BUCKETS[bucket]
        b_rate, b_burst = rate_of(state, bucket, (b_rate, b_burst))
        if not take(state, ("application", client_id), bucket, b_rate, b_burst):
            return 429, errors.quota_exceeded(message), {}
    req.rate_limit = format_rate(rate)
    return None


def _feed_type(body):
    return body.get("feedType") if isinstance(body, dict) else None


def listings_buckets(operation_id, body):
    """The per-application buckets a Listings put or patch counts against."""
    if operation_id not in ("putListingsItem", "patchListingsItem"):
        return []
    names = [f"{operation_id}:application"]
    body = body if isinstance(body, dict) else {}
    if operation_id == "putListingsItem":
        attributes = body.get("attributes")
        attributes = set(attributes) if isinstance(attributes, dict) else set()
        if attributes & RELATIONSHIP_ATTRIBUTES:
            names.append("putListingsItem:relationships")
        return names
    patched = set()
    for patch in body.get("patches") or []:
        path = patch.get("path") if isinstance(patch, dict) else None
        if isinstance(path, str) and path.startswith("/attributes/"):
            patched.add(path[len("/attributes/") :].split("/", 1)[0])
    if patched & RELATIONSHIP_ATTRIBUTES:
        names.append("patchListingsItem:relationships")
    if patched - RELATIONSHIP_ATTRIBUTES - OFFER_ATTRIBUTES:
        names.append("patchListingsItem:productData")
    return names


def take_listings_feed(state, seller_id, region):
    """For the Feeds handler: True if a JSON_LISTINGS_FEED createFeed of
    (``seller_id``, ``region``) may go on, False to answer 429 QuotaExceeded."""
    if not state.config.get("rate_limits"):
        return True
    rate, burst = rate_of(state, LISTINGS_FEED_BUCKET, LISTINGS_FEED_RATE)
    return take(state, (seller_id, region), LISTINGS_FEED_BUCKET, rate, burst)
