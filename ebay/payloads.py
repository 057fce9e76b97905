"""Build eBay JSON from plain data, and check it before any call.

Validation returns problems as ``(field, message)`` pairs a seller can act
on; nothing here talks to eBay or to Odoo.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .paths import DOT_SEGMENTS

# Limits from eBay's field descriptions (EBAY_FACTS §2).
SKU_MAX = 50
TITLE_MAX = 80
SUBTITLE_MAX = 55
DESCRIPTION_MAX = 4000
LISTING_DESCRIPTION_MAX = 500_000
IMAGES_MAX = 24
ASPECT_NAME_MAX = 40
ASPECT_VALUE_MAX = 50
LOCATION_KEY_MAX = 36

SKU_RE = re.compile(r"^[A-Za-z0-9._\-/ ]+$")

CONDITIONS = (
    "NEW",
    "LIKE_NEW",
    "NEW_OTHER",
    "NEW_WITH_DEFECTS",
    "CERTIFIED_REFURBISHED",
    "EXCELLENT_REFURBISHED",
    "VERY_GOOD_REFURBISHED",
    "GOOD_REFURBISHED",
    "SELLER_REFURBISHED",
    "USED_EXCELLENT",
    "USED_VERY_GOOD",
    "USED_GOOD",
    "USED_ACCEPTABLE",
    "FOR_PARTS_OR_NOT_WORKING",
)


@dataclass
class ListingData:
    """What a listing needs, independent of Odoo's records."""

    sku: str
    title: str
    description: str = ""
    condition: str = "NEW"
    aspects: dict = field(default_factory=dict)
    image_urls: list = field(default_factory=list)
    # The inventory item's quantity (shared by the SKU's offers) and the
    # offer's own (``availableQuantity``, its marketplace's share; the
    # item's quantity when None).
    quantity: int = 0
    available_quantity: int | None = None
    price: Decimal = Decimal(0)
    currency: str = "USD"
    marketplace_id: str = "EBAY_US"
    category_id: str = ""
    merchant_location_key: str = ""
    fulfillment_policy_id: str = ""
    payment_policy_id: str = ""
    return_policy_id: str = ""
    weight_kg: float = 0.0
    locale: str = "en_US"
    # Where the seller chooses the policies, for the problems' words.
    setup_scope: str = "the account"


def money(value, currency):
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"value": f"{amount}", "currency": currency}


def inventory_item(data: ListingData):
    """createOrReplaceInventoryItem body (a full replacement: every field)."""
    product = {
        "title": data.title,
        "description": data.description,
        "aspects": {k: list(v) for k, v in data.aspects.items()},
    }
    if data.image_urls:
        product["imageUrls"] = list(data.image_urls)
    item = {
        "availability": {
            "shipToLocationAvailability": {"quantity": int(data.quantity)}
        },
        "condition": data.condition,
        "product": product,
    }
    if data.weight_kg:
        item["packageWeightAndSize"] = {
            "weight": {"value": round(float(data.weight_kg), 3), "unit": "KILOGRAM"}
        }
    return item


def offer(data: ListingData):
    """createOffer / updateOffer body."""
    body = {
        "sku": data.sku,
        "marketplaceId": data.marketplace_id,
        "format": "FIXED_PRICE",
        "availableQuantity": int(
            data.quantity
            if data.available_quantity is None
            else data.available_quantity
        ),
        "listingDuration": "GTC",
        "pricingSummary": {"price": money(data.price, data.currency)},
        "listingDescription": data.description,
    }
    if data.category_id:
        body["categoryId"] = str(data.category_id)
    if data.merchant_location_key:
        body["merchantLocationKey"] = data.merchant_location_key
    policies = {
        "fulfillmentPolicyId": data.fulfillment_policy_id,
        "paymentPolicyId": data.payment_policy_id,
        "returnPolicyId": data.return_policy_id,
    }
    policies = {k: v for k, v in policies.items() if v}
    if policies:
        body["listingPolicies"] = policies
    return body


def validate_sku(sku):
    problems = []
    if not sku:
        problems.append(("sku", "The product has no internal reference (SKU)."))
    elif len(sku) > SKU_MAX:
        problems.append(
            ("sku", f"The SKU is {len(sku)} characters; eBay allows {SKU_MAX}.")
        )
    elif not SKU_RE.match(sku):
        problems.append(
            ("sku", "The SKU may only hold letters, digits, spaces and . _ - /.")
        )
    elif sku in DOT_SEGMENTS:
        problems.append(
            (
                "sku",
                (
                    f"The SKU {sku!r} cannot be used on eBay: in eBay's URLs '.' "
                    "and '..' name a folder, not an item. Change the internal "
                    "reference."
                ),
            )
        )
    return problems


def _check_text(data):
    problems = []
    title = (data.title or "").strip()
    if not title:
        problems.append(("title", "The listing needs a title."))
    elif len(title) > TITLE_MAX:
        problems.append(
            ("title", f"The title is {len(title)} characters; eBay allows {TITLE_MAX}.")
        )
    if len(data.description or "") > DESCRIPTION_MAX:
        problems.append(
            (
                "description",
                f"The description is longer than {DESCRIPTION_MAX} characters.",
            )
        )
    if data.condition not in CONDITIONS:
        problems.append(("condition", f"Unknown condition {data.condition!r}."))
    return problems


def _check_images(data):
    if not data.image_urls:
        return [("images", "eBay needs at least one image to publish.")]
    problems = []
    if len(data.image_urls) > IMAGES_MAX:
        problems.append(("images", f"eBay takes at most {IMAGES_MAX} images."))
    for url in data.image_urls:
        if not str(url).startswith("https://"):
            problems.append(("images", f"Image URL must be HTTPS: {url}"))
    return problems


def _check_category(data, required_aspects, leaf_category):
    problems = []
    if not data.category_id:
        problems.append(
            ("category", "Choose an eBay category (on the product's eBay tab).")
        )
    elif not leaf_category:
        problems.append(("category", "The eBay category must be a leaf category."))
    for name, values in data.aspects.items():
        if len(name) > ASPECT_NAME_MAX:
            problems.append(("aspects", f"Aspect name {name!r} is too long."))
        for value in values:
            if len(str(value)) > ASPECT_VALUE_MAX:
                problems.append(("aspects", f"Value {value!r} of {name} is too long."))
    for name in required_aspects:
        if not data.aspects.get(name):
            problems.append(("aspects", f"The category requires the aspect {name}."))
    return problems


def _check_setup(data):
    problems = []
    for label, value, scope in (
        ("fulfillment policy", data.fulfillment_policy_id, data.setup_scope),
        ("payment policy", data.payment_policy_id, data.setup_scope),
        ("return policy", data.return_policy_id, data.setup_scope),
        ("inventory location", data.merchant_location_key, "the account"),
    ):
        if not value:
            problems.append(("policies", f"Choose a {label} for {scope}."))
    if Decimal(str(data.price)) <= 0:
        problems.append(("price", "The price must be greater than zero."))
    if int(data.quantity) < 0:
        problems.append(("quantity", "The quantity cannot be negative."))
    return problems


def validate(data: ListingData, required_aspects=(), leaf_category=True):
    """Every problem that would make eBay refuse to publish this listing."""
    return (
        validate_sku(data.sku)
        + _check_text(data)
        + _check_images(data)
        + _check_category(data, required_aspects, leaf_category)
        + _check_setup(data)
    )
