"""Amazon listing attributes built from plain product values.

On Amazon everything is an attribute of the listing, the offer too: price
is ``purchasable_offer`` and quantity ``fulfillment_availability``
(AMAZON_FACTS §5).  :func:`listing_attributes` turns a plain dict of a
product's values into that JSON for one marketplace and language,
:func:`merge_overrides` lays per-product overrides (Amazon JSON) over it and
:func:`offer_patches` gives the JSON patches of a price or quantity change.

Nothing here checks attributes against a product type (that is
:mod:`.product_type_schema`'s job) nor talks to Amazon or Odoo; values that
can never be right (a barcode whose check digit is wrong, a negative price)
raise :class:`InvalidProductValue`, naming the value.
"""

import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Amazon takes a main image and up to 8 others (other_product_image_locator_1..8).
OTHER_IMAGES_MAX = 8
DEFAULT_CONDITION = "new_new"
# purchasable_offer's audience: ALL is the offer to every buyer (B2B: business).
DEFAULT_AUDIENCE = "ALL"
# Seller-fulfilled stock; Amazon's fulfilment centres use AMAZON_<region>.
DEFAULT_FULFILLMENT_CHANNEL = "DEFAULT"
# GS1 lengths: EAN-8, UPC-A, EAN-13, GTIN-14.
BARCODE_TYPES = {8: "ean", 12: "upc", 13: "ean", 14: "gtin"}
ATTRIBUTE_NAME_RE = re.compile(r"^[a-z0-9_]+$")
PARENTAGE_LEVELS = ("parent", "child")


class InvalidProductValue(ValueError):
    """A product value that no listing can carry.

    :param field: the key of ``values`` at fault (``barcode``, ``price``)
    :param message: what is wrong, for the seller
    """

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


# -- barcodes ---------------------------------------------------------------
def gs1_check_digit(digits):
    """The GS1 check digit of ``digits`` (the code without its last digit)."""
    total = sum(
        int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits))
    )
    return str((10 - total % 10) % 10)


def barcode_type(code):
    """Amazon's identifier type of a barcode: ``ean`` (8 or 13 digits),
    ``upc`` (12) or ``gtin`` (14), by its length once the check digit is
    right; InvalidProductValue otherwise."""
    code = normalize_barcode(code)
    kind = BARCODE_TYPES.get(len(code))
    if kind is None or not code.isdigit():
        raise InvalidProductValue(
            "barcode",
            f"Barcode {code}: an EAN, UPC or GTIN has 8, 12, 13 or 14 digits.",
        )
    expected = gs1_check_digit(code[:-1])
    if code[-1] != expected:
        raise InvalidProductValue(
            "barcode",
            f"Barcode {code}: the last digit should be {expected} (check digit); "
            "a digit is probably mistyped.",
        )
    return kind


def normalize_barcode(code):
    """The barcode without the spaces and dashes people type in it."""
    return re.sub(r"[\s-]", "", str(code or ""))


# -- values -----------------------------------------------------------------
def _text(value):
    return str(value).strip() if value is not None else ""


def amount(value, field="price"):
    """A price as Amazon's JSON number, rounded to cents.

    Amazon's examples send ``value_with_tax`` as a number; one user reports
    a quoted string was needed [UNCONFIRMED]: the schema types it as a
    number, so a number it is.
    """
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise InvalidProductValue(field, f"Price {value!r} is not a number.") from exc
    if number <= 0:
        raise InvalidProductValue(field, f"Price {number} must be more than zero.")
    return float(number)


def stock_quantity(value, field="quantity"):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidProductValue(field, f"Quantity {value!r} is not a number.")
    if value != int(value) or value < 0:
        raise InvalidProductValue(
            field, f"Quantity {value} must be a whole number, zero or more."
        )
    return int(value)


def offer_attribute(marketplace_id, currency, price, current_offer=None):
    """``purchasable_offer`` with ``price`` as our price.

    ``current_offer``: the listing's current purchasable_offer item for this
    marketplace, when read back; its other parts (sale price, quantity
    discounts, dates) are kept, as Amazon's pricing sample does.  The
    audience is ALL (everyone; B2B offers are a separate audience) unless
    the current offer says otherwise.
    """
    offer = {"audience": DEFAULT_AUDIENCE, **(current_offer or {})}
    offer.update(
        marketplace_id=marketplace_id,
        currency=currency,
        our_price=[{"schedule": [{"value_with_tax": amount(price)}]}],
    )
    return [offer]


def availability_attribute(
    quantity, channel=DEFAULT_FULFILLMENT_CHANNEL, lead_days=None
):
    item = {"fulfillment_channel_code": channel, "quantity": stock_quantity(quantity)}
    if lead_days is not None:
        item["lead_time_to_ship_max_days"] = stock_quantity(lead_days, "lead_days")
    return [item]


class _Builder:
    """The attributes of one listing, for one marketplace and language."""

    def __init__(self, marketplace_id, language_tag):
        self.marketplace_id = marketplace_id
        self.language_tag = language_tag
        self.attributes = {}

    def text(self, name, *texts):
        items = [
            {
                "value": text,
                "language_tag": self.language_tag,
                "marketplace_id": self.marketplace_id,
            }
            for text in (_text(t) for t in texts)
            if text
        ]
        if items:
            self.attributes[name] = items

    def plain(self, name, **fields):
        self.attributes[name] = [{**fields, "marketplace_id": self.marketplace_id}]

    def image(self, name, url):
        url = _text(url)
        if url:
            self.plain(name, media_location=url)


def listing_attributes(values, marketplace_id, language_tag, currency):
    """Amazon attributes for one marketplace from a plain dict of values.

    ``values`` keys (all optional; what is missing or empty is left out, so
    the product type's schema names it if it is required):

    - ``title``, ``brand``, ``description``, ``bullet_points`` (list of text)
    - ``barcode`` (EAN/UPC/GTIN digits; ``barcode_type`` to force the type,
      else it is read from the length; the check digit is always checked),
      or ``identifier_exempt`` True (Amazon's GTIN exemption)
    - ``condition``: Amazon's condition_type value (default ``new_new``)
    - ``main_image_url`` and ``other_image_urls`` (public URLs Amazon
      downloads; the first 8 others are sent, Amazon takes no more)
    - ``price`` (in ``currency``) -> ``purchasable_offer``; ``quantity``,
      ``fulfillment_channel`` (default DEFAULT), ``lead_days`` ->
      ``fulfillment_availability``
    - variations: ``parentage`` ``"parent"`` or ``"child"``,
      ``variation_theme`` (e.g. ``"SIZE/COLOR"``), ``parent_sku`` (a
      child's) and ``variant_attributes`` ({attribute: text}, e.g.
      ``{"size": "M", "color": "Red"}``).  A parent is not buyable: it gets
      no offer nor quantity even when given.
    """
    build = _Builder(marketplace_id, language_tag)
    build.text("item_name", values.get("title"))
    build.text("brand", values.get("brand"))
    build.text("bullet_point", *(values.get("bullet_points") or ()))
    build.text("product_description", values.get("description"))
    _identifier(build, values)
    build.plain("condition_type", value=values.get("condition") or DEFAULT_CONDITION)
    build.image("main_product_image_locator", values.get("main_image_url"))
    others = [u for u in (values.get("other_image_urls") or ()) if _text(u)]
    for index, url in enumerate(others[:OTHER_IMAGES_MAX], start=1):
        build.image(f"other_product_image_locator_{index}", url)
    parentage = values.get("parentage")
    if parentage is not None and parentage not in PARENTAGE_LEVELS:
        raise InvalidProductValue(
            "parentage", f"Parentage {parentage!r} is neither parent nor child."
        )
    if parentage != "parent":
        if values.get("price") is not None:
            build.attributes["purchasable_offer"] = offer_attribute(
                marketplace_id, currency, values["price"]
            )
        if values.get("quantity") is not None:
            build.attributes["fulfillment_availability"] = availability_attribute(
                values["quantity"],
                values.get("fulfillment_channel") or DEFAULT_FULFILLMENT_CHANNEL,
                values.get("lead_days"),
            )
    _variation(build, values, parentage)
    return build.attributes


def _identifier(build, values):
    code = normalize_barcode(values.get("barcode"))
    if code:
        kind = barcode_type(code)
        forced = _text(values.get("barcode_type")).lower()
        build.plain(
            "externally_assigned_product_identifier", type=forced or kind, value=code
        )
    elif values.get("identifier_exempt"):
        build.plain("supplier_declared_has_product_identifier_exemption", value=True)


def _variation(build, values, parentage):
    if parentage is None:
        return
    build.plain("parentage_level", value=parentage)
    theme = _text(values.get("variation_theme"))
    if theme:
        build.attributes["variation_theme"] = [{"name": theme}]
    if parentage == "child":
        parent_sku = _text(values.get("parent_sku"))
        if not parent_sku:
            raise InvalidProductValue(
                "parent_sku", "A variation child needs its parent's SKU."
            )
        build.plain(
            "child_parent_sku_relationship",
            child_relationship_type="variation",
            parent_sku=parent_sku,
        )
        for name, text in (values.get("variant_attributes") or {}).items():
            build.text(name, text)


# -- overrides ----------------------------------------------------------------
def merge_overrides(attributes, overrides):
    """``attributes`` with ``overrides`` laid over them, as a new dict.

    ``overrides``: {attribute name: Amazon JSON (a list of objects)}, or the
    same as JSON text (how a product keeps them).  An override replaces the
    whole attribute; ``null`` (None) removes it.  A malformed override
    raises InvalidProductValue (field ``overrides``) naming the attribute,
    and nothing is merged.
    """
    overrides = _parsed_overrides(overrides)
    merged = dict(attributes)
    for name, value in overrides.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def _parsed_overrides(overrides):
    if overrides in (None, "", {}):
        return {}
    if isinstance(overrides, str | bytes):
        try:
            overrides = json.loads(overrides)
        except ValueError as exc:
            raise InvalidProductValue(
                "overrides", f"The attribute overrides are not valid JSON: {exc}"
            ) from exc
    if not isinstance(overrides, dict):
        raise InvalidProductValue(
            "overrides",
            'The attribute overrides must be a JSON object: {"attribute": [{...}]}.',
        )
    for name, value in overrides.items():
        if not isinstance(name, str) or not ATTRIBUTE_NAME_RE.match(name):
            raise InvalidProductValue(
                "overrides",
                f"Override {name!r}: Amazon attribute names are lower case "
                "letters, digits and underscores (item_name).",
            )
        if value is None:
            continue
        if not isinstance(value, list) or not value:
            raise InvalidProductValue(
                "overrides",
                f"Override {name}: an attribute is a list of values "
                '([{"value": ..., "marketplace_id": ...}]), or null to leave it out.',
            )
        if not all(isinstance(item, dict) and item for item in value):
            raise InvalidProductValue(
                "overrides",
                f"Override {name}: each value is an object of fields, "
                'e.g. {"value": "Red"}.',
            )
    return overrides


# -- offer changes ------------------------------------------------------------
def offer_patches(
    marketplace_id,
    currency,
    price=None,
    quantity=None,
    channel=DEFAULT_FULFILLMENT_CHANNEL,
    current_offer=None,
):
    """JSON patches (Listings Items patch or a feed's PATCH message) for a
    price and/or quantity change; [] when neither is given.

    Quantity uses ``merge``: since 2025-06-16 it updates
    ``fulfillment_availability.quantity`` without re-sending the restock
    date and handling time (AMAZON_FACTS §5).  Price uses ``replace`` of
    ``purchasable_offer`` (pass ``current_offer`` to keep its other parts).
    The price patch comes first; Amazon was seen applying a quantity before
    a price of the same message [user report], so a caller raising stock
    from zero together with a new price may send the price on its own first.
    """
    patches = []
    if price is not None:
        patches.append(
            {
                "op": "replace",
                "path": "/attributes/purchasable_offer",
                "value": offer_attribute(
                    marketplace_id, currency, price, current_offer
                ),
            }
        )
    if quantity is not None:
        patches.append(
            {
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": availability_attribute(quantity, channel),
            }
        )
    return patches
