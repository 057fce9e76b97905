"""The sellers' listings: what Listings Items and JSON_LISTINGS_FEED change.

One listing per (seller, SKU), under ``state.data["listings"]``::

    {"sellers": {seller_id: {sku: listing}},
     "pending": heap of (due, seq, submission),
     "catalog": {"<identifier type>:<value>": asin}, "seq": int}

A listing is ``{sku, productType, requirements, attributes, marketplaces:
{marketplace_id: {status: [BUYABLE, DISCOVERABLE], asin, issues, raised,
createdDate, lastUpdatedDate}}, createdDate, lastUpdatedDate}``: attributes
are the seller's (values carry their own ``marketplace_id``), status, ASIN
and issues are per marketplace.  ``issues`` are the emulator's checks of the
applied attributes; ``raised`` the issues the control API raised later
(Amazon finds problems after acceptance too).

Submissions are ACCEPTED at once (after the checks Amazon makes at once:
the product type, the shape of attributes and patches) and applied
``apply_delay`` seconds later on the emulator clock, lazily: whenever a
listings call, a feed or the control API looks (:func:`apply_due`).  Then
the attributes are checked against the product type's schema for each
marketplace (``product_types.issues_of``); ERROR issues keep the listing out
of the BUYABLE and DISCOVERABLE statuses ("Responses do not include issues
that occur after accepting the submission"; AMAZON_FACTS.md section 5).

Patches (``/attributes/<name>``, top-level attributes only) as the emulator
reads Amazon's JSON Patch, items matched by the attribute's ``selectors``
(from its product type's schema; marketplace_id, language_tag and the like
when the schema does not know the attribute):

* ``add``: each value replaces the item with the same selectors, or is added;
* ``replace``: the attribute becomes the values;
* ``merge``: each value's fields are merged into the item with the same
  selectors (so ``fulfillment_availability`` quantity changes keep
  ``restock_date`` and ``lead_time_to_ship_max_days``; changelog 2025-06-16);
* ``delete``: the items matching each value's selectors go, or the whole
  attribute when no value is given.

A patch of a SKU that does not exist is ACCEPTED too, by design (Amazon
does so for offer-only patches, selling-partner-api-docs#3748), and then
changes nothing: a get still answers 404.

:func:`apply_message` takes a JSON_LISTINGS_FEED message (UPDATE,
PARTIAL_UPDATE, PATCH, DELETE) for the Feeds API; :func:`item` gives the
Listings Items ``Item`` of a SKU for the answers and processing reports.
"""

import copy
import datetime
import hashlib
import heapq
import re
import uuid

from . import product_types

SKU_MAX = 40  # Amazon's seller SKU limit (40 characters)
PATCH_PATH = re.compile(r"^/attributes/([A-Za-z0-9_]+)$")
PATCH_OPS = ("add", "replace", "merge", "delete")
# Selectors when the product type's schema does not name the attribute's.
DEFAULT_SELECTORS = (
    "marketplace_id",
    "language_tag",
    "audience",
    "fulfillment_channel_code",
    "type",
)
THEME_ATTRIBUTES = {
    "SIZE": ["size"],
    "COLOR": ["color"],
    "SIZE/COLOR": ["size", "color"],
    "SIZE_COLOR": ["size", "color"],
}
# Codes of the checks Amazon makes before accepting a submission
# [UNCONFIRMED: the sources show no code for these; the emulator's choice].
UNKNOWN_PRODUCT_TYPE_CODE = "4000003"
MALFORMED_CODE = "4000004"


def store(state):
    return state.data.setdefault(
        "listings", {"sellers": {}, "pending": [], "catalog": {}, "seq": 0}
    )


def seller_listings(state, seller_id):
    """``{sku: listing}`` of a seller (live records: hold ``state.lock``)."""
    return store(state)["sellers"].setdefault(seller_id, {})


def iso(moment):
    return (
        datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
        .replace(microsecond=0)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
    )


def sku_problem(sku):
    """Why a SKU cannot be a seller SKU, or None."""
    if not sku or not sku.strip():
        return "The SKU is empty."
    if len(sku) > SKU_MAX:
        return f"The SKU is longer than {SKU_MAX} characters."
    return None


# -- checks made at submission ---------------------------------------------------------
def _malformed(message, attribute=None):
    return product_types.issue(
        MALFORMED_CODE,
        message,
        [attribute] if attribute else [],
        "INVALID_ATTRIBUTE",
    )


def _attribute_shape(name, values):
    if not isinstance(values, list) or not values:
        return _malformed(
            f"The attribute '{name}' must be a non-empty array of objects.", name
        )
    if not all(isinstance(value, dict) for value in values):
        return _malformed(
            f"The values of the attribute '{name}' must be objects.", name
        )
    return None


def acceptance_issues(kind, product_type, attributes=None, patches=None):
    """What Amazon refuses at once (INVALID): an unknown product type, and
    attributes or patches that are not of Listings' shapes."""
    found = []
    if kind == "delete":
        return found
    if product_type not in product_types.PRODUCT_TYPES:
        found.append(
            product_types.issue(
                UNKNOWN_PRODUCT_TYPE_CODE,
                f"The product type '{product_type}' is not a valid product type.",
                [],
                "INVALID_ATTRIBUTE",
            )
        )
    if kind == "put":
        if not isinstance(attributes, dict):
            return [*found, _malformed("The attributes must be an object.")]
        for name, values in attributes.items():
            problem = _attribute_shape(name, values)
            if problem:
                found.append(problem)
    elif kind == "patch":
        for patch in patches or ():
            match = PATCH_PATH.match(str(patch.get("path", "")))
            if not match:
                found.append(
                    _malformed(
                        f"The patch path '{patch.get('path')}' is not a top-level "
                        "attribute (/attributes/<name>)."
                    )
                )
                continue
            name = match.group(1)
            if patch.get("op") not in PATCH_OPS:
                found.append(
                    _malformed(f"The patch operation of '{name}' is unknown.", name)
                )
            elif patch["op"] == "delete":
                values = patch.get("value")
                if values is not None and not (
                    isinstance(values, list)
                    and all(isinstance(v, dict) for v in values)
                ):
                    found.append(
                        _malformed(
                            f"The values of the attribute '{name}' must be objects.",
                            name,
                        )
                    )
            else:
                problem = _attribute_shape(name, patch.get("value"))
                if problem:
                    found.append(problem)
    return found


# -- patches ---------------------------------------------------------------------------
def _selectors(product_type, name, value):
    """``(selectors, defaults)`` of an attribute: the selectors a patch
    value is matched on (those it gives, and those with a default: an
    offer without an audience is the ALL one) and their defaults."""
    definition = product_types.definition(product_type, "ATVPDKIKX0DER")
    schema = (definition.properties if definition else {}).get(name) or {}
    if "selectors" not in schema:
        return [key for key in DEFAULT_SELECTORS if key in value], {}
    fields = (schema.get("items") or {}).get("properties") or {}
    defaults = {
        key: fields[key]["default"]
        for key in schema["selectors"]
        if "default" in fields.get(key, {})
    }
    return [key for key in schema["selectors"] if key in value or key in defaults], (
        defaults
    )


def _same(item, value, selectors, defaults):
    return all(
        item.get(key, defaults.get(key)) == value.get(key, defaults.get(key))
        for key in selectors
    )


def apply_patches(attributes, patches, product_type):
    """``attributes`` with ``patches`` applied: a new dict, ``attributes``
    untouched (the attributes not patched are shared, their lists never
    changed in place)."""
    result = dict(attributes)
    for patch in patches:
        name = PATCH_PATH.match(patch["path"]).group(1)
        values = copy.deepcopy(patch.get("value") or [])
        current = list(result.get(name, []))
        if patch["op"] == "replace":
            current = values
        elif patch["op"] == "delete":
            if not values:
                current = []
            for value in values:
                selectors, defaults = _selectors(product_type, name, value)
                current = [
                    item
                    for item in current
                    if not _same(item, value, selectors, defaults)
                ]
        else:  # add, merge
            for value in values:
                selectors, defaults = _selectors(product_type, name, value)
                for index, item in enumerate(current):
                    if _same(item, value, selectors, defaults):
                        current[index] = (
                            {**item, **value} if patch["op"] == "merge" else value
                        )
                        break
                else:
                    current.append(value)
        if current:
            result[name] = current
        else:
            result.pop(name, None)
    return result


def partial_update_patches(attributes):
    """JSON_LISTINGS_FEED's PARTIAL_UPDATE is "equivalent to PATCH with
    replace" of each attribute given."""
    return [
        {"op": "replace", "path": f"/attributes/{name}", "value": values}
        for name, values in attributes.items()
    ]


# -- per-marketplace views -------------------------------------------------------------
def attributes_for(attributes, marketplace_ids):
    """The values of ``attributes`` that apply to ``marketplace_ids`` (those
    without a marketplace_id apply everywhere)."""
    view = {}
    for name, values in attributes.items():
        kept = [
            value
            for value in values
            if not isinstance(value, dict)
            or value.get("marketplace_id") in (None, *marketplace_ids)
        ]
        if kept:
            view[name] = kept
    return view


def _first_value(attributes, name, key="value"):
    for value in attributes.get(name) or ():
        if isinstance(value, dict) and key in value:
            return value[key]
    return None


def price_of(attributes, marketplace_id, audience="ALL"):
    """``(currency, price)`` of the listing's offer there, or None."""
    for offer in attributes.get("purchasable_offer") or ():
        if offer.get("marketplace_id") not in (None, marketplace_id):
            continue
        if (offer.get("audience") or "ALL") != audience:
            continue
        for price in offer.get("our_price") or ():
            for step in price.get("schedule") or ():
                if "value_with_tax" in step:
                    return offer.get("currency"), step["value_with_tax"]
    return None


def quantity_of(attributes):
    """The quantity the seller can ship over all channels (None: none given)."""
    quantities = [
        entry["quantity"]
        for entry in attributes.get("fulfillment_availability") or ()
        if isinstance(entry.get("quantity"), int)
        and not isinstance(entry.get("quantity"), bool)
    ]
    return sum(quantities) if quantities else None


def _available(attributes):
    for entry in attributes.get("fulfillment_availability") or ():
        if entry.get("is_inventory_available") or (entry.get("quantity") or 0) > 0:
            return True
    return False


def _is_parent(attributes):
    return _first_value(attributes, "parentage_level") == "parent"


def _evaluate(state, seller_id, listing, marketplace_id):
    """Check the applied attributes for one marketplace: issues, status, ASIN."""
    place = listing["marketplaces"][marketplace_id]
    view = attributes_for(listing["attributes"], [marketplace_id])
    definition = product_types.definition(
        listing["productType"], marketplace_id, listing.get("requirements") or "LISTING"
    )
    place["issues"] = product_types.issues_of(
        definition, view, marketplace_id, place.setdefault("_checks", {})
    )
    if not _has_errors(place["issues"]) and not place.get("asin"):
        place["asin"] = _asin(state, seller_id, listing, view)
    _set_status(listing, marketplace_id)


def _has_errors(issues):
    return any(entry.get("severity") == "ERROR" for entry in issues)


def _set_status(listing, marketplace_id):
    """DISCOVERABLE without ERROR issues; BUYABLE too when it has a price
    and stock there.  A parent is never BUYABLE (it has no offer)."""
    place = listing["marketplaces"][marketplace_id]
    if _has_errors(place["issues"]) or _has_errors(place.get("raised") or ()):
        place["status"] = []
        return
    view = attributes_for(listing["attributes"], [marketplace_id])
    status = ["DISCOVERABLE"]
    if (
        not _is_parent(view)
        and price_of(view, marketplace_id) is not None
        and _available(view)
    ):
        status.insert(0, "BUYABLE")
    place["status"] = status


def _asin(state, seller_id, listing, view):
    """The ASIN of the catalog item: the one the seller suggested, the one
    of the same product identifier, or a new one."""
    suggested = _first_value(view, "merchant_suggested_asin")
    if suggested:
        return suggested
    catalog = store(state)["catalog"]
    identifier = None
    for value in view.get("externally_assigned_product_identifier") or ():
        if value.get("type") and value.get("value"):
            identifier = f"{value['type'].lower()}:{value['value']}"
            break
    if identifier and identifier in catalog:
        return catalog[identifier]
    digest = hashlib.sha256(f"{seller_id}\n{listing['sku']}".encode()).digest()
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    number = int.from_bytes(digest[:8], "big")
    tail = ""
    for _i in range(8):
        number, rest = divmod(number, 36)
        tail += alphabet[rest]
    asin = f"B0{tail}"
    if identifier:
        catalog[identifier] = asin
    return asin


# -- submissions -----------------------------------------------------------------------
def submit(
    state,
    seller_id,
    sku,
    marketplace_ids,
    kind,
    product_type=None,
    requirements=None,
    attributes=None,
    patches=None,
    preview=False,
):
    """A put, patch or delete: ``{status, submissionId, issues}`` where
    status is ACCEPTED (applied later), INVALID (refused at once) or, in
    preview, VALID/INVALID with every issue the emulator finds (nothing is
    stored then)."""
    submission_id = uuid.uuid4().hex
    with state.lock:
        apply_due(state)
        issues = acceptance_issues(kind, product_type, attributes, patches)
        if preview:
            if not _has_errors(issues):
                issues += _preview_issues(
                    state,
                    seller_id,
                    sku,
                    marketplace_ids,
                    kind,
                    product_type,
                    requirements,
                    attributes,
                    patches,
                )
            status = "INVALID" if _has_errors(issues) else "VALID"
            return {"status": status, "submissionId": submission_id, "issues": issues}
        if _has_errors(issues):
            return {
                "status": "INVALID",
                "submissionId": submission_id,
                "issues": issues,
            }
        data = store(state)
        data["seq"] += 1
        submission = {
            "submissionId": submission_id,
            "seller_id": seller_id,
            "sku": sku,
            "marketplace_ids": list(marketplace_ids),
            "kind": kind,
            "productType": product_type,
            "requirements": requirements or "LISTING",
            "attributes": copy.deepcopy(attributes),
            "patches": copy.deepcopy(patches),
            "accepted_at": state.now(),
            "due": state.now() + float(state.config.get("apply_delay", 1)),
            "seq": data["seq"],
        }
        # A heap by (due, seq): a feed of 25,000 messages, each looking for
        # due submissions first, stays O(n log n).
        heapq.heappush(data["pending"], (submission["due"], data["seq"], submission))
        return {"status": "ACCEPTED", "submissionId": submission_id, "issues": issues}


def _preview_issues(
    state,
    seller_id,
    sku,
    marketplace_ids,
    kind,
    product_type,
    requirements,
    attributes,
    patches,
):
    """What applying the submission would find, for each marketplace."""
    if kind == "delete":
        return []
    listing = seller_listings(state, seller_id).get(sku)
    enforced = "ENFORCED"
    if kind == "put":
        result = attributes
        checked_type = product_type
    elif listing is not None:
        result = apply_patches(listing["attributes"], patches, listing["productType"])
        checked_type = listing["productType"]
        requirements = listing.get("requirements")
    else:
        # Nothing to patch: only the values given can be checked.
        result = apply_patches({}, patches, product_type)
        checked_type = product_type
        enforced = "NOT_ENFORCED"
    found = []
    for marketplace_id in marketplace_ids:
        definition = product_types.definition(
            checked_type, marketplace_id, requirements or "LISTING", enforced
        )
        if definition is not None:
            view = attributes_for(result, [marketplace_id])
            found += product_types.issues_of(definition, view, marketplace_id)
    return found


def apply_message(state, seller_id, marketplace_id, message):
    """Accept one JSON_LISTINGS_FEED message (listings-feed-schema-v2) for
    one marketplace: the list of issues found at acceptance (an ERROR one
    means the message was not accepted); an accepted message applies
    ``apply_delay`` later, like a put.  The message itself is assumed valid
    against the feed schema (the Feeds API checks that first)."""
    sku = message.get("sku") or ""
    problem = sku_problem(sku)
    if problem:
        return [_malformed(problem)]
    operation = message.get("operationType")
    product_type = message.get("productType")
    if operation == "UPDATE":
        kind, patches = "put", None
    elif operation == "PARTIAL_UPDATE":
        attributes = message.get("attributes")
        if not isinstance(attributes, dict):
            return [_malformed("The attributes must be an object.")]
        kind, patches = "patch", partial_update_patches(attributes)
    elif operation == "PATCH":
        kind, patches = "patch", message.get("patches") or []
    elif operation == "DELETE":
        kind, patches = "delete", None
    else:
        return [_malformed(f"The operation type '{operation}' is unknown.")]
    answer = submit(
        state,
        seller_id,
        sku,
        [marketplace_id],
        kind,
        product_type=product_type,
        requirements=message.get("requirements"),
        attributes=message.get("attributes") if kind == "put" else None,
        patches=patches,
    )
    return answer["issues"]


def apply_due(state, force=False):
    """Apply the submissions whose time has come (all with ``force``), in
    the order they were due and accepted; the number applied."""
    with state.lock:
        pending = store(state)["pending"]
        now = state.now()
        count = 0
        while pending and (force or pending[0][0] <= now):
            _due, _seq, submission = heapq.heappop(pending)
            _apply(state, submission)
            count += 1
        return count


def _apply(state, submission):
    seller_id, sku = submission["seller_id"], submission["sku"]
    listings = seller_listings(state, seller_id)
    listing = listings.get(sku)
    # The moment it was applied: the clock may have run well past "due".
    moment = iso(max(submission["due"], submission["accepted_at"]))
    if submission["kind"] == "delete":
        if listing is None:
            return
        for marketplace_id in submission["marketplace_ids"]:
            listing["marketplaces"].pop(marketplace_id, None)
        if not listing["marketplaces"]:
            del listings[sku]
        return
    if submission["kind"] == "patch":
        if listing is None:
            return  # accepted by design, changes nothing
        listing["attributes"] = apply_patches(
            listing["attributes"], submission["patches"], listing["productType"]
        )
    else:
        if listing is None:
            listing = listings[sku] = {
                "sku": sku,
                "marketplaces": {},
                "createdDate": moment,
            }
        listing.update(
            productType=submission["productType"],
            requirements=submission["requirements"],
            attributes=submission["attributes"],
        )
        for marketplace_id in submission["marketplace_ids"]:
            listing["marketplaces"].setdefault(
                marketplace_id,
                {
                    "status": [],
                    "asin": None,
                    "issues": [],
                    "raised": [],
                    "createdDate": moment,
                },
            )
    listing["lastUpdatedDate"] = moment
    touched = set(submission["marketplace_ids"])
    for marketplace_id, place in listing["marketplaces"].items():
        if marketplace_id in touched:
            place["lastUpdatedDate"] = moment
        # The attributes are the seller's, for every marketplace: check all.
        _evaluate(state, seller_id, listing, marketplace_id)


def raise_issue(state, seller_id, sku, marketplace_id, entry):
    """An issue found after acceptance (the control API's): the listing
    shows it through getListingsItem; an ERROR takes its statuses away.
    False when there is no such listing there."""
    with state.lock:
        apply_due(state)
        listing = seller_listings(state, seller_id).get(sku)
        if listing is None or marketplace_id not in listing["marketplaces"]:
            return False
        place = listing["marketplaces"][marketplace_id]
        place.setdefault("raised", []).append(
            dict(entry, marketplaceIds=[marketplace_id])
        )
        place["lastUpdatedDate"] = listing["lastUpdatedDate"] = iso(state.now())
        _set_status(listing, marketplace_id)
        return True


def clear_raised(state, seller_id, sku):
    with state.lock:
        listing = seller_listings(state, seller_id).get(sku)
        if listing is None:
            return False
        for marketplace_id, place in listing["marketplaces"].items():
            place["raised"] = []
            _set_status(listing, marketplace_id)
        return True


# -- what answers show -----------------------------------------------------------------
def pending_of(state, seller_id, sku=None):
    return [
        {
            "submissionId": s["submissionId"],
            "sku": s["sku"],
            "kind": s["kind"],
            "marketplaceIds": list(s["marketplace_ids"]),
            "due": iso(s["due"]),
        }
        for _due, _seq, s in sorted(store(state)["pending"], key=lambda e: e[:2])
        if s["seller_id"] == seller_id and (sku is None or s["sku"] == sku)
    ]


def public(state, seller_id, listing):
    """A listing as the control API shows it (a copy, with its pending
    submissions)."""
    record = copy.deepcopy(
        dict(
            listing,
            marketplaces={
                marketplace_id: {k: v for k, v in place.items() if k != "_checks"}
                for marketplace_id, place in listing["marketplaces"].items()
            },
        )
    )
    record["pending"] = pending_of(state, seller_id, listing["sku"])
    return record


def children_of(state, seller_id, parent_sku, marketplace_id):
    return sorted(
        sku
        for sku, listing in seller_listings(state, seller_id).items()
        if marketplace_id in listing["marketplaces"]
        and parent_sku in parents_of(listing["attributes"], marketplace_id)
    )


def parents_of(attributes, marketplace_id):
    view = attributes_for(attributes, [marketplace_id])
    return [
        value["parent_sku"]
        for value in view.get("child_parent_sku_relationship") or ()
        if value.get("parent_sku")
    ]


def _theme(view):
    name = None
    for value in view.get("variation_theme") or ():
        name = value.get("name") or name
    if not name:
        return None
    return {"attributes": THEME_ATTRIBUTES.get(name, []), "theme": name}


def _relationships(state, seller_id, listing, marketplace_id):
    view = attributes_for(listing["attributes"], [marketplace_id])
    theme = _theme(view)
    found = []
    parents = parents_of(listing["attributes"], marketplace_id)
    if parents:
        entry = {"type": "VARIATION", "parentSkus": parents}
        if theme:
            entry["variationTheme"] = theme
        found.append(entry)
    if _is_parent(view):
        entry = {
            "type": "VARIATION",
            "childSkus": children_of(state, seller_id, listing["sku"], marketplace_id),
        }
        if theme:
            entry["variationTheme"] = theme
        found.append(entry)
    return found


CONDITIONS = frozenset(
    {
        "new_new",
        "new_open_box",
        "new_oem",
        "refurbished_refurbished",
        "used_like_new",
        "used_very_good",
        "used_good",
        "used_acceptable",
        "collectible_like_new",
        "collectible_very_good",
        "collectible_good",
        "collectible_acceptable",
        "club_club",
    }
)


def _amount(value):
    """``Decimal`` (a string) of a price as the seller sent it."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:.2f}"
    return str(value)


def item(state, seller_id, sku, marketplace_ids, included=("summaries",)):
    """The Listings Items ``Item`` of a SKU in ``marketplace_ids`` with the
    ``included`` data, or None when it is not listed in any of them."""
    with state.lock:
        apply_due(state)
        listing = seller_listings(state, seller_id).get(sku)
        if listing is None:
            return None
        places = [m for m in marketplace_ids if m in listing["marketplaces"]]
        if not places:
            return None
        view = attributes_for(listing["attributes"], places)
        answer = {"sku": sku}
        if "summaries" in included:
            answer["summaries"] = [_summary(listing, m) for m in places]
        if "attributes" in included:
            answer["attributes"] = copy.deepcopy(view)
        if "issues" in included:
            answer["issues"] = [
                copy.deepcopy(entry)
                for m in places
                for entry in listing["marketplaces"][m]["issues"]
                + listing["marketplaces"][m].get("raised", [])
            ]
        if "offers" in included:
            offers = []
            for m in places:
                for audience, offer_type in (("ALL", "B2C"), ("B2B", "B2B")):
                    price = price_of(
                        attributes_for(listing["attributes"], [m]), m, audience
                    )
                    if price is not None:
                        currency, amount = price
                        offers.append(
                            {
                                "marketplaceId": m,
                                "offerType": offer_type,
                                "price": {
                                    "currencyCode": currency or "",
                                    "amount": _amount(amount),
                                },
                            }
                        )
            answer["offers"] = offers
        if "fulfillmentAvailability" in included:
            answer["fulfillmentAvailability"] = [
                {
                    "fulfillmentChannelCode": entry["fulfillment_channel_code"],
                    **(
                        {"quantity": entry["quantity"]}
                        if isinstance(entry.get("quantity"), int)
                        and not isinstance(entry.get("quantity"), bool)
                        else {}
                    ),
                }
                for entry in view.get("fulfillment_availability") or ()
                if isinstance(entry.get("fulfillment_channel_code"), str)
            ]
        if "relationships" in included:
            answer["relationships"] = [
                {
                    "marketplaceId": m,
                    "relationships": _relationships(state, seller_id, listing, m),
                }
                for m in places
            ]
        if "productTypes" in included:
            answer["productTypes"] = [
                {"marketplaceId": m, "productType": listing["productType"]}
                for m in places
            ]
        return answer


def _summary(listing, marketplace_id):
    place = listing["marketplaces"][marketplace_id]
    view = attributes_for(listing["attributes"], [marketplace_id])
    summary = {
        "marketplaceId": marketplace_id,
        "productType": listing["productType"],
        "status": list(place["status"]),
        "createdDate": place.get("createdDate") or listing["createdDate"],
        "lastUpdatedDate": place.get("lastUpdatedDate") or listing["lastUpdatedDate"],
    }
    if place.get("asin"):
        summary["asin"] = place["asin"]
    condition = _first_value(view, "condition_type")
    if condition in CONDITIONS:
        summary["conditionType"] = condition
    name = _first_value(view, "item_name")
    if isinstance(name, str):
        summary["itemName"] = name
    return summary
