"""Product Type Definitions API 2020-09-01
(models/product-type-definitions-api-model) and the schema downloads.

searchDefinitionsProductTypes finds the emulator's product types by
keywords or item name; getDefinitionsProductType answers links to the
schema and the meta-schema, each with its checksum (the base64 MD5 of the
bytes the link serves), the property groups and the version.  The schema
itself is not in the answer: Amazon's links are presigned S3 URLs, valid 7
days, fetched without an access token (AMAZON_FACTS.md section 8); here
they point at this emulator under ``/_schemas/``, signed the same way (an
``X-Amz-Signature`` over the path and query with a secret of the
emulator's, ``X-Amz-Date`` + ``X-Amz-Expires`` seven days on the emulator
clock): a forged or expired link answers S3's 403 AccessDenied.
"""

import calendar
import hashlib
import hmac
import secrets
import time
from urllib.parse import urlencode

from . import errors, product_types
from .marketplaces import MARKETPLACES
from .routes import route

BASE = "/definitions/2020-09-01/productTypes"
SCHEMAS = "/_schemas/product-types"
META_PATH = "/_schemas/meta-schema/v1"
LINK_SECONDS = 7 * 24 * 3600  # "valid for 7 days" (AMAZON_FACTS.md section 8)
SIGNATURE = "X-Amz-Signature"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _csv(value):
    return [part for part in (value or "").split(",") if part]


def _marketplaces(req):
    ids = _csv(req.query.get("marketplaceIds"))
    unknown = [m for m in ids if m not in MARKETPLACES]
    if not ids or unknown:
        return None, (
            400,
            errors.invalid_input(
                "Invalid marketplaceIds.",
                f"Unknown marketplace {', '.join(unknown)}" if unknown else None,
            ),
            {},
        )
    return ids, None


@route("GET", BASE, auth="seller")
def search_definitions_product_types(req):
    marketplace_ids, refusal = _marketplaces(req)
    if refusal:
        return refusal
    keywords = [k.strip().lower() for k in _csv(req.query.get("keywords")) if k.strip()]
    item_name = (req.query.get("itemName") or "").strip().lower()
    if keywords and item_name:
        # The model: "Cannot be used with keywords" (either one or neither).
        return (
            400,
            errors.invalid_input("Use either keywords or itemName, not both."),
            {},
        )
    found = []
    for name in product_types.names():
        meta = product_types.PRODUCT_TYPES[name]
        words = {name.lower(), meta["displayName"].lower(), *meta["keywords"]}
        if keywords and not any(
            keyword in word or word in keyword for keyword in keywords for word in words
        ):
            continue
        if item_name and not any(word in item_name for word in words):
            continue
        found.append(
            {
                "name": name,
                "displayName": meta["displayName"],
                "marketplaceIds": list(marketplace_ids),
            }
        )
    return (
        200,
        {"productTypes": found, "productTypeVersion": product_types.catalog_version()},
        {},
    )


@route("GET", f"{BASE}/{{productType}}", auth="seller")
def get_definitions_product_type(req):
    marketplace_ids, refusal = _marketplaces(req)
    if refusal:
        return refusal
    if len(marketplace_ids) != 1:
        # "limited to one marketplaceId at this time" (the model).
        return (
            400,
            errors.invalid_input("Only one marketplaceId is allowed at this time."),
            {},
        )
    marketplace_id = marketplace_ids[0]
    name = req.params["productType"]
    requirements = req.query.get("requirements") or "LISTING"
    enforced = req.query.get("requirementsEnforced") or "ENFORCED"
    definition = product_types.definition(name, marketplace_id, requirements, enforced)
    if definition is None:
        return (
            404,
            errors.errors("NOT_FOUND", f"Product type '{name}' not found."),
            {},
        )
    version = product_types.version(name)
    asked = req.query.get("productTypeVersion")
    if asked and asked not in ("LATEST", "RELEASE_CANDIDATE", version):
        return (
            404,
            errors.errors(
                "NOT_FOUND", f"Version '{asked}' of product type '{name}' not found."
            ),
            {},
        )
    _meta, _body, meta_checksum = product_types.meta_schema()
    schema_link = _signed(
        req,
        f"{SCHEMAS}/{name}/{version}",
        {
            "marketplaceId": marketplace_id,
            "requirements": requirements,
            "requirementsEnforced": enforced,
        },
    )
    locale = req.query.get("locale")
    if not locale or locale == "DEFAULT":
        locale = product_types.language_tags(marketplace_id)[0]
    return (
        200,
        {
            "metaSchema": {
                "link": {"resource": _signed(req, META_PATH, {}), "verb": "GET"},
                "checksum": meta_checksum,
            },
            "schema": {
                "link": {"resource": schema_link, "verb": "GET"},
                "checksum": definition.checksum,
            },
            "requirements": requirements,
            "requirementsEnforced": enforced,
            "propertyGroups": product_types.property_groups(name),
            "locale": locale,
            "marketplaceIds": [marketplace_id],
            "productType": name,
            "displayName": product_types.PRODUCT_TYPES[name]["displayName"],
            "productTypeVersion": {
                "version": version,
                "latest": True,
                "releaseCandidate": False,
            },
        },
        {},
    )


@route("GET", f"{SCHEMAS}/{{productType}}/{{version}}", auth=None)
def download_schema(req):
    """The schema a getDefinitionsProductType link points at (no token:
    the link is the credential, as Amazon's presigned URLs are)."""
    refusal = _check_signature(req)
    if refusal:
        return refusal
    name = req.params["productType"]
    definition = product_types.definition(
        name,
        req.query.get("marketplaceId") or "",
        req.query.get("requirements") or "LISTING",
        req.query.get("requirementsEnforced") or "ENFORCED",
    )
    if definition is None or req.params["version"] != product_types.version(name):
        return 404, errors.errors("NoSuchKey", "The specified key does not exist."), {}
    # A dict body is sent as json.dumps(body): definition.body's bytes.
    return 200, definition.schema, {}


@route("GET", META_PATH, auth=None)
def download_meta_schema(req):
    refusal = _check_signature(req)
    if refusal:
        return refusal
    meta, _body, _checksum = product_types.meta_schema()
    return 200, meta, {}


# -- presigned links ------------------------------------------------------------------
def _secret(state):
    with state.lock:
        store = state.data.setdefault("definitions", {})
        return store.setdefault("link_secret", secrets.token_bytes(32))


def _signature(state, path, params):
    canonical = f"{path}?{urlencode(sorted(params.items()))}"
    return hmac.new(_secret(state), canonical.encode(), hashlib.sha256).hexdigest()


def _signed(req, path, params):
    """A presigned URL of ``path`` with ``params``, valid LINK_SECONDS."""
    params = dict(
        params,
        **{
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Date": time.strftime(DATE_FORMAT, time.gmtime(req.state.now())),
            "X-Amz-Expires": str(LINK_SECONDS),
        },
    )
    signature = _signature(req.state, path, params)
    query = urlencode({**params, SIGNATURE: signature})
    return f"{req.base_url}{path}?{query}"


def _access_denied(message):
    # S3's error document (S3 answers XML; the core sends a text body as
    # text/html, which is what a client sees of it here).
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>AccessDenied</Code><Message>{message}</Message></Error>"
    )
    return 403, document, {}


def _check_signature(req):
    """None when the link is one this emulator signed and still valid."""
    params = {k: v for k, v in req.query.items() if k != SIGNATURE}
    given = req.query.get(SIGNATURE) or ""
    expected = _signature(req.state, req.path, params)
    if not hmac.compare_digest(given, expected):
        return _access_denied(
            "The request signature we calculated does not match the signature "
            "you provided."
        )
    try:
        signed_at = calendar.timegm(time.strptime(params["X-Amz-Date"], DATE_FORMAT))
        lifetime = int(params["X-Amz-Expires"])
    except (KeyError, ValueError):
        return _access_denied("Invalid presigned URL.")
    if req.state.now() > signed_at + lifetime:
        return _access_denied("Request has expired")
    return None
