"""The emulator's product types: their schemas, as served and as checked.

``product_types/<NAME>.json`` holds each product type's schema (JSON Schema
2019-09 with Amazon's vocabulary, written for the US marketplace and the
LISTING requirements); ``product_types/meta/`` the meta-schema describing
that vocabulary.  What Amazon serves differs by marketplace (the
marketplace_id and language_tag it defines, the offer's currency) and by
requirements (LISTING, LISTING_PRODUCT_ONLY, LISTING_OFFER_ONLY; enforced or
not): :func:`definition` derives each variant once and keeps its served
bytes, their checksum (base64 MD5, as ``SchemaLink.checksum``) and a
validator.

The validator is the emulator's own (Amazon's checks after acceptance, not
the addon's code): ``jsonschema``'s Draft201909Validator extended with
Amazon's keywords ``minUtf8ByteLength``/``maxUtf8ByteLength`` and
``minUniqueItems``/``maxUniqueItems`` (items unique by their ``selectors``);
:func:`issues_of` turns its errors into Listings Items ``Issue`` objects.
"""

import base64
import copy
import hashlib
import json
import threading
from pathlib import Path

from jsonschema import Draft201909Validator, validators
from jsonschema.exceptions import ValidationError

from .marketplaces import MARKETPLACES

FOLDER = Path(__file__).resolve().parent / "product_types"
META_SCHEMA_FILE = (
    FOLDER / "meta" / "amazon-product-type-definition-meta-schema-v1.json"
)
META_SCHEMA_ID = "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
ENFORCED = ("ENFORCED", "NOT_ENFORCED")

# The attributes of an offer: LISTING_OFFER_ONLY requires only these,
# LISTING_PRODUCT_ONLY none of them.
OFFER_ATTRIBUTES = frozenset(
    {
        "condition_type",
        "purchasable_offer",
        "fulfillment_availability",
        "merchant_suggested_asin",
    }
)

# What searchDefinitionsProductTypes and getDefinitionsProductType say of
# each product type besides its schema.
PRODUCT_TYPES = {
    "SHIRT": {
        "displayName": "Shirt",
        "keywords": (
            "shirt",
            "t-shirt",
            "tee",
            "blouse",
            "polo",
            "clothing",
            "apparel",
        ),
        "groups": {
            "variations": (
                "parentage_level",
                "child_parent_sku_relationship",
                "variation_theme",
                "size",
                "color",
            ),
            "product_details": (
                "bullet_point",
                "product_description",
                "department",
                "fabric_type",
            ),
        },
    },
    "HEADPHONES": {
        "displayName": "Headphones",
        "keywords": ("headphones", "headset", "earphones", "earbuds", "audio"),
        "groups": {
            "product_details": (
                "bullet_point",
                "product_description",
                "headphones_form_factor",
                "connectivity_technology",
            ),
        },
    },
    "TOY_FIGURE": {
        "displayName": "Toy Figure",
        "keywords": ("toy", "figure", "action figure", "figurine", "doll"),
        "groups": {
            "product_details": (
                "bullet_point",
                "product_description",
                "manufacturer_minimum_age",
                "is_assembly_required",
            ),
        },
    },
    "PRODUCT": {
        "displayName": "Product",
        "keywords": ("product", "offer", "generic"),
        "groups": {
            "product_details": ("bullet_point", "product_description"),
        },
    },
}
COMMON_GROUPS = {
    "offer": (
        "Offer",
        "Information to sell the product (price, condition)",
        ("condition_type", "purchasable_offer"),
    ),
    "fulfillment": (
        "Fulfillment",
        "Quantities and handling times",
        ("fulfillment_availability",),
    ),
    "product_identity": (
        "Product Identity",
        "Information to uniquely identify your product (e.g., UPC, EAN, GTIN, Brand)",
        (
            "item_name",
            "brand",
            "externally_assigned_product_identifier",
            "supplier_declared_has_product_identifier_exemption",
            "merchant_suggested_asin",
        ),
    ),
    "images": ("Images", "Images of the product", ("main_product_image_locator",)),
}
GROUP_TITLES = {
    "variations": ("Variations", "How the product varies (size, color)"),
    "product_details": ("Product Details", "Information that describes the product"),
}


def language_tags(marketplace_id):
    """The language tags of a marketplace's schemas (the first is its default)."""
    country, _name, _currency, language, _domain, _region = MARKETPLACES[marketplace_id]
    tags = [f"{language}_{country}"]
    if country == "CA":
        tags.append("fr_CA")
    return tags


def _utf8_length(check):
    def keyword(validator, limit, instance, schema):
        if validator.is_type(instance, "string"):
            size = len(instance.encode("utf-8"))
            if check(size, limit):
                yield ValidationError(
                    f"{instance!r} is {size} bytes in UTF-8, the "
                    f"{'limit' if check is _over else 'least'} is {limit}"
                )

    return keyword


def _over(size, limit):
    return size > limit


def _under(size, limit):
    return size < limit


def unique_count(items, selectors):
    """The number of distinct items of an array, by their ``selectors``."""
    keys = set()
    for item in items:
        if selectors and isinstance(item, dict):
            keys.add(json.dumps([item.get(s) for s in selectors], sort_keys=True))
        else:
            keys.add(json.dumps(item, sort_keys=True))
    return len(keys)


def _unique_items(check):
    def keyword(validator, limit, instance, schema):
        if validator.is_type(instance, "array"):
            count = unique_count(instance, schema.get("selectors") or ())
            if check(count, limit):
                yield ValidationError(
                    f"has {count} distinct values; "
                    f"{'at most' if check is _over else 'at least'} {limit} allowed"
                )

    return keyword


AmazonValidator = validators.extend(
    Draft201909Validator,
    {
        "maxUtf8ByteLength": _utf8_length(_over),
        "minUtf8ByteLength": _utf8_length(_under),
        "maxUniqueItems": _unique_items(_over),
        "minUniqueItems": _unique_items(_under),
    },
)


class Definition:
    """One served variant of a product type's schema.

    It is checked in parts: the schema without its properties (what is
    required, the conditions) against the whole attributes, then each
    attribute against its property alone.  The same verdict as the whole
    schema's, but an attribute whose values did not change need not be
    checked again (``issues_of``'s memo): a feed of 10,000 quantity patches
    re-checks 10,000 fulfillment_availability values, not 10,000 listings.

    An attribute's issues depend on its values and this schema alone, so
    they are remembered here too, for every listing (:meth:`property_issues`):
    10,000 listings with the same offer, brand or new quantity check it once.
    """

    def __init__(self, name, schema):
        self.name = name
        self.schema = schema
        self.body = json.dumps(schema).encode("utf-8")  # exactly what is served
        self.checksum = checksum(self.body)
        self.required = list(schema.get("required") or [])
        self.properties = schema.get("properties") or {}
        self.skeleton = AmazonValidator(
            {key: value for key, value in schema.items() if key != "properties"}
        )
        self._parts = {}
        self._verdicts = {}
        self._lock = threading.Lock()

    def property_validator(self, attribute):
        """The validator of ``{attribute: values}`` alone (None when the
        schema does not know the attribute)."""
        if attribute not in self.properties:
            return None
        with self._lock:
            if attribute not in self._parts:
                part = {key: self.schema[key] for key in ("$schema", "$id", "$defs")}
                part.update(
                    type="object",
                    properties={attribute: self.properties[attribute]},
                )
                self._parts[attribute] = AmazonValidator(part)
            return self._parts[attribute]

    def property_issues(self, attribute, values, marketplace_id, key):
        """The issues of ``{attribute: values}`` alone (a list shared by the
        listings: copy before changing it), or None when the schema does not
        know the attribute.  ``key``: the values' canonical JSON."""
        validator = self.property_validator(attribute)
        if validator is None:
            return None
        memo = (attribute, marketplace_id, key)
        found = self._verdicts.get(memo)
        if found is None:
            instance = {attribute: values}
            # Every error of a one-property part lies under the attribute
            # (the instance is an object of that property only), so the
            # part alone is all ``_issues`` needs to see.
            found = _issues(validator.iter_errors(instance), instance, marketplace_id)
            with self._lock:
                if len(self._verdicts) >= VERDICTS_MAX:
                    self._verdicts.clear()
                self._verdicts[memo] = found
        return found


# Verdicts one Definition remembers at most (then it starts again): a few
# per attribute and listing of the largest feeds.
VERDICTS_MAX = 200000


def checksum(data):
    """``SchemaLink.checksum``: the base64 MD5 of the bytes."""
    return base64.b64encode(hashlib.md5(data).digest()).decode()


_cache = {}
_lock = threading.Lock()


def names():
    return sorted(PRODUCT_TYPES)


def source(name):
    """The product type's schema as written (US, LISTING, enforced)."""
    with _lock:
        key = ("source", name)
        if key not in _cache:
            path = FOLDER / f"{name}.json"
            _cache[key] = json.loads(path.read_text(encoding="utf-8"))
        return _cache[key]


def version(name):
    """The product type's version (``productTypeVersion.version``): derived
    from its file, so it changes when the schema does."""
    data = (FOLDER / f"{name}.json").read_bytes()
    return base64.b64encode(hashlib.md5(data).digest()[:8]).decode()


def catalog_version():
    """The version a search answers (``ProductTypeList.productTypeVersion``):
    it changes when any product type's schema does."""
    joined = "\n".join(version(name) for name in names()).encode()
    return base64.b64encode(hashlib.md5(joined).digest()[:8]).decode()


def meta_schema():
    """``(meta-schema dict, served bytes, checksum)``."""
    with _lock:
        if "meta" not in _cache:
            meta = json.loads(META_SCHEMA_FILE.read_text(encoding="utf-8"))
            body = json.dumps(meta).encode("utf-8")
            _cache["meta"] = (meta, body, checksum(body))
        return _cache["meta"]


def definition(name, marketplace_id, requirements="LISTING", enforced="ENFORCED"):
    """The :class:`Definition` of a product type for a marketplace, or None
    when the emulator has no such product type or marketplace."""
    if name not in PRODUCT_TYPES or marketplace_id not in MARKETPLACES:
        return None
    requirements = requirements if requirements in REQUIREMENTS else "LISTING"
    enforced = enforced if enforced in ENFORCED else "ENFORCED"
    key = (name, marketplace_id, requirements, enforced)
    with _lock:
        found = _cache.get(key)
    if found is None:
        schema = _variant(source(name), marketplace_id, requirements, enforced)
        found = Definition(name, schema)
        with _lock:
            found = _cache.setdefault(key, found)
    return found


def _variant(schema, marketplace_id, requirements, enforced):
    schema = copy.deepcopy(schema)
    country, market_name, currency, _language, _domain, _region = MARKETPLACES[
        marketplace_id
    ]
    tags = language_tags(marketplace_id)
    defs = schema["$defs"]
    defs["marketplace_id"].update(default=marketplace_id, examples=[market_name])
    defs["marketplace_id"]["anyOf"][1].update(
        enum=[marketplace_id], enumNames=[market_name]
    )
    defs["language_tag"].update(default=tags[0], examples=tags[:1])
    defs["language_tag"]["anyOf"][1].update(enum=tags, enumNames=tags)
    offer = schema["properties"].get("purchasable_offer")
    if offer:
        currency_schema = offer["items"]["properties"]["currency"]
        currency_schema.update(enum=[currency], enumNames=[currency])
    schema["$id"] = f"{schema['$id']}/{country}/{requirements}/{enforced}"

    def keep(attribute):
        if enforced == "NOT_ENFORCED":
            return False
        if requirements == "LISTING_OFFER_ONLY":
            return attribute in OFFER_ATTRIBUTES
        if requirements == "LISTING_PRODUCT_ONLY":
            return attribute not in OFFER_ATTRIBUTES
        return True

    _filter_required(schema, keep)
    return schema


def _filter_required(node, keep):
    """Drop the top-level requirements ``keep`` refuses: the ``required``
    lists of the schema itself and of its conditions' then/else branches,
    never inside an ``if`` (a condition, not a requirement) nor inside
    ``properties`` (an attribute's own shape)."""
    if not isinstance(node, dict):
        return
    if isinstance(node.get("required"), list):
        node["required"] = [name for name in node["required"] if keep(name)]
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(key) or ():
            _filter_required(branch, keep)
    for key in ("then", "else"):
        _filter_required(node.get(key), keep)


# -- issues ------------------------------------------------------------------------
# Codes: 90220 "'[x]' is required but not supplied." and 99022 (too few or
# too many values) are the ones Amazon's processing-report example shows
# (schemas/feeds/listings-feed-processing-report-schema-v2.example.json);
# 4000001 for any other invalid value is the emulator's choice
# [UNCONFIRMED: Amazon's code for it is not in the sources].
MISSING_CODE = "90220"
COUNT_CODE = "99022"
INVALID_CODE = "4000001"
IMAGE_ATTRIBUTES = frozenset({"main_product_image_locator"})
PRICE_ATTRIBUTES = frozenset({"purchasable_offer"})


def issue(code, message, attributes, category, severity="ERROR", marketplace_id=None):
    entry = {
        "code": code,
        "message": message,
        "severity": severity,
        "attributeNames": list(attributes),
        "categories": [category],
    }
    if marketplace_id:
        entry["marketplaceIds"] = [marketplace_id]
    return entry


def _missing_category(name):
    if name in IMAGE_ATTRIBUTES:
        return "MISSING_IMAGE"
    if name in PRICE_ATTRIBUTES:
        return "MISSING_PRICE"
    return "MISSING_ATTRIBUTE"


def _invalid_category(name):
    if name in IMAGE_ATTRIBUTES:
        return "INVALID_IMAGE"
    if name in PRICE_ATTRIBUTES:
        return "INVALID_PRICE"
    return "INVALID_ATTRIBUTE"


def _missing(names, marketplace_id):
    return [
        issue(
            MISSING_CODE,
            f"'[{name}]' is required but not supplied.",
            [name],
            _missing_category(name),
            marketplace_id=marketplace_id,
        )
        for name in names
    ]


def _leaf_errors(error):
    """The errors under ``error`` that say what is wrong (anyOf/oneOf keep
    theirs in ``context``)."""
    if error.context and error.validator in ("anyOf", "oneOf", "allOf"):
        for child in error.context:
            yield from _leaf_errors(child)
    else:
        yield error


def issues_of(definition, attributes, marketplace_id, memo=None):
    """The ERROR issues of ``attributes`` under ``definition`` (a list of
    ``Issue``), one per problem, in a stable order.  ``memo`` (a dict kept
    with the listing) remembers each attribute's verdict for its values."""
    memo = {} if memo is None else memo
    if memo.get("checksum") != definition.checksum:
        memo.clear()
        memo.update(checksum=definition.checksum, attributes={})
    parts = memo["attributes"]
    found = _issues(
        definition.skeleton.iter_errors(attributes), attributes, marketplace_id
    )
    for name in sorted(attributes):
        if name not in definition.properties:
            continue  # an attribute the product type does not know: ignored
        key = json.dumps(attributes[name], sort_keys=True)
        if parts.get(name, (None,))[0] != key:
            issues = definition.property_issues(
                name, attributes[name], marketplace_id, key
            )
            parts[name] = (key, issues)
        found += [dict(entry) for entry in parts[name][1]]
    for name in [name for name in parts if name not in attributes]:
        del parts[name]
    unique = {}
    for entry in found:
        unique.setdefault((entry["code"], entry["message"]), entry)
    return list(unique.values())


def _issues(errors, attributes, marketplace_id):
    """Issues of jsonschema errors (duplicates left in)."""
    found = []
    for error in errors:
        path = list(error.absolute_path)
        if not path and error.validator == "required":
            names = [
                n for n in error.validator_value if n not in (error.instance or {})
            ]
            found += _missing(names, marketplace_id)
        elif not path and error.validator in ("anyOf", "oneOf"):
            # "one of these is required" (identifier or its exemption).
            names = []
            for leaf in _leaf_errors(error):
                if leaf.validator == "required":
                    names += [n for n in leaf.validator_value if n not in attributes]
            found.append(
                issue(
                    MISSING_CODE,
                    f"'[{' or '.join(names)}]' is required but not supplied.",
                    names,
                    _missing_category(names[0] if names else ""),
                    marketplace_id=marketplace_id,
                )
            )
        else:
            name = str(path[0]) if path else ""
            where = ".".join(str(p) for p in path[1:] if not isinstance(p, int))
            label = f"{name}.{where}" if where else name
            count = error.validator in (
                "minItems",
                "maxItems",
                "minUniqueItems",
                "maxUniqueItems",
            )
            found.append(
                issue(
                    COUNT_CODE if count else INVALID_CODE,
                    f"The value of '{label}' is invalid: {error.message[:300]}",
                    [name] if name else [],
                    _invalid_category(name),
                    marketplace_id=marketplace_id,
                )
            )
    return found


def property_groups(name):
    """``propertyGroups`` of getDefinitionsProductType for a product type."""
    props = source(name).get("properties") or {}
    groups = {}
    for key, (title, description, members) in COMMON_GROUPS.items():
        groups[key] = (title, description, members)
    for key, members in PRODUCT_TYPES[name]["groups"].items():
        title, description = GROUP_TITLES[key]
        groups[key] = (title, description, members)
    return {
        key: {
            "title": title,
            "description": description,
            "propertyNames": [m for m in members if m in props],
        }
        for key, (title, description, members) in groups.items()
    }
