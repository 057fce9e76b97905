"""eBay's OpenAPI contracts as the emulator reads them.

The core checks requests and answers (``emulator/core/contracts.py``); this
module says where eBay's portal files must not be taken at their word.

Where eBay's contract is known to be wrong, the emulator corrects it here
(:class:`EbayCorrections`, read by the core's contract check), each with its
source:

1. ``required`` arrays: the portal files' are sometimes wrong
   (``EbayOfferDetailsWithKeys.required = [includeCatalogProductDetails]``
   although the field "defaults to true"; ``Address.required = [country,
   stateOrProvince]`` although a warehouse needs only postalCode and country;
   ebay-contracts/SOURCES.md, "Caution"), so ``required`` is ignored except
   for :data:`REQUIRED_ALLOW_LIST`, where eBay's own field texts agree;
2. enum types: the portal files type them as ``object`` and list their
   string values in the description; the classic files
   (``oas3.0-master/``) declare the same fields as ``string``, and every
   eBay sample sends strings: they become strings with the listed values
   (:meth:`EbayCorrections.adjust`);
3. ``aspects`` (Product, InventoryItemGroup): declared a string, a JSON map of
   name to list of values in every eBay sample; Analytics' ``SspMetric``
   value and bounds: declared objects, numbers in eBay's samples
   (:data:`CORRECTIONS`);
4. error answers: declared as one ``Error`` entry, or with no content; eBay
   sends ``{"errors": [...]}`` (:data:`ERROR_BODY`);
5. statuses eBay's gateway answers for every operation, declared or not
   (:data:`PLATFORM_STATUSES`);
6. a 204 that declares a JSON ``Error`` body (Notification's updateConfig,
   Account's deletes...) has no body: HTTP forbids one (RFC 9110 15.3.5).
"""

import re

from ..core.contracts import Corrections

# ``required`` fields kept (schema name -> fields): those whose eBay field text
# says they are required, or without which the request means nothing.
REQUIRED_ALLOW_LIST = {
    # Inventory: every bulk call's list of entries ...
    "BulkPriceQuantity": ["requests"],
    "BulkInventoryItem": ["requests"],
    "BulkGetInventoryItem": ["requests"],
    "BulkEbayOfferDetailsWithKeys": ["requests"],
    "BulkOffer": ["requests"],
    "BulkMigrateListing": ["requests"],
    # ... and the keys that name what an entry is about.
    "InventoryItemWithSkuLocale": ["sku"],  # "This field is required."
    "OfferKeyWithId": ["offerId"],
    "MigrateListing": ["listingId"],
    "InventoryItemGroup": ["variantSKUs"],  # "This required container ..."
    "PublishByInventoryItemGroupRequest": ["inventoryItemGroupKey", "marketplaceId"],
    "WithdrawByInventoryItemGroupRequest": ["inventoryItemGroupKey", "marketplaceId"],
    # Media, Fulfillment.
    "CreateImageFromUrlRequest": ["imageUrl"],
    "ShippingFulfillmentDetails": ["lineItems"],
    "LineItemReference": ["lineItemId"],
    "IssueRefundRequest": ["reasonForRefund"],  # "This field is required"
}

# Fields whose declared type contradicts eBay's own examples and live
# behaviour: ``aspects`` is documented as a string but is a JSON map of
# aspect name to list of values ({"Brand": ["GoPro"]}) in eBay's samples; the
# field's own text says "a collection of item specifics ... name-value pairs".
_ASPECTS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
# Analytics' ``SspMetric`` value and threshold bounds are declared
# ``object``; their own texts say "an Integer, Boolean, Amount, Fraction, or
# Double" and eBay's sample answers carry plain numbers: any JSON value.
_ANY_VALUE = {"description": "a number, boolean, string or object"}
CORRECTIONS = {
    ("Product", "aspects"): _ASPECTS,
    ("InventoryItemGroup", "aspects"): _ASPECTS,
    ("SspMetric", "value"): _ANY_VALUE,
    ("SspMetric", "thresholdLowerBound"): _ANY_VALUE,
    ("SspMetric", "thresholdUpperBound"): _ANY_VALUE,
}

# Statuses eBay's gateway answers for any operation, whether or not the
# operation's ``responses`` list them: 401 (errorId 1001, invalid token) and
# 403 (1100, insufficient scope) come from the OAuth layer before the API
# sees the call (developer.ebay.com/api-docs/static/handling-error-messages.html,
# errors.py); 429 (2001) is declared in no contract (EBAY_FACTS.md section 8);
# 500 and 503 are the outages every client must take as transient (STYLE.md
# rule 5).  Their bodies are still checked (eBay's error body).
PLATFORM_STATUSES = frozenset({401, 403, 429, 500, 503})

# eBay's error body.  The contracts declare every error answer's schema as
# ``Error``, which is ONE entry (errorId, domain, category, message...), or
# declare no content at all (Fulfillment, Taxonomy, Identity); eBay sends
# ``{"errors": [Error, ...]}`` (EBAY_FACTS.md section 8 [C]: the ``Error`` /
# ``ErrorDetailV3`` schema of every contract and
# developer.ebay.com/api-docs/static/handling-error-messages.html), which is
# what eBay's own bulk answers nest per entry (``InventoryItemResponse.errors``).
# ``{"$ref": "Error"}`` below is the contract's own entry schema.
ERROR_BODY = {
    "type": "object",
    "properties": {
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Error"}},
        "warnings": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Error"},
        },
    },
}

ENUM_VALUE = re.compile(r"- \*\*([A-Za-z0-9_.-]+)\*\*")


class EbayCorrections(Corrections):
    marketplace = "eBay"
    keep_required = False
    required_allow_list = REQUIRED_ALLOW_LIST
    field_corrections = CORRECTIONS
    platform_statuses = PLATFORM_STATUSES
    error_body = ERROR_BODY

    def adjust(self, out, node, name):
        """Enum "objects" as strings (correction 2)."""
        enum_like = out.get("type") == "object" and not out.get("properties")
        if enum_like and out.get("enum"):
            out["type"] = "string"
        elif enum_like and name and name.endswith("Enum"):
            values = ENUM_VALUE.findall(node.get("description", ""))
            out["type"] = "string"
            if values:
                out["enum"] = sorted(set(values))
        return out


CORRECTED = EbayCorrections()
