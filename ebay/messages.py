"""eBay error ids turned into messages a seller can act on.

Unknown ids keep eBay's own text (and the id), so nothing eBay said is lost.
"""

ACTIONABLE = {
    1001: "eBay refused the access token: reconnect the eBay account.",
    2001: "eBay's call limit was reached for now: wait before calling again.",
    25002: "eBay refused the data sent: see eBay's message below.",
    25003: "The price is invalid: set a price above zero in the listing.",
    25004: "The quantity is invalid: check the listing's quantity.",
    25005: "The eBay category is missing, unknown or not a leaf category: "
    "choose a leaf category on the listing.",
    25007: "The shipping (fulfillment) policy is missing or invalid: choose one "
    "on the eBay account.",
    25008: "The payment policy is missing or invalid: choose one on the eBay account.",
    25009: "The return policy is missing or invalid: choose one on the eBay account.",
    25012: "The inventory location is missing: create it from the eBay account "
    "(its warehouse needs a postal code).",
    25014: "eBay needs at least one picture: add an image URL to the listing.",
    25015: "A picture URL is invalid: use HTTPS image URLs.",
    25016: "A field is invalid (often the title, at most 80 characters).",
    25017: "Required information is missing on the listing.",
    25019: "The listing cannot be revised now (it may have reached eBay's 250 "
    "revisions per day).",
    25021: "The condition is not allowed in this category.",
    25029: "The category requires an item specific (aspect) that is missing: "
    "fill it on the listing.",
    25702: "eBay does not know this SKU yet: publish the product first.",
    25707: "The SKU is invalid: use the product's internal reference, at most 50 "
    "characters.",
    25713: "eBay no longer has this offer: publish the listing again.",
    25727: "Too many items in one bulk call (eBay takes 25).",
    25729: "An offer already exists for this SKU and marketplace.",
    25733: "Each inventory item of a bulk call needs a locale.",
}


def actionable_message(errors, default=""):
    """One line per eBay error: our advice, then eBay's own words and id."""
    lines = []
    for entry in errors or []:
        error_id = entry.get("errorId")
        ebay_text = entry.get("longMessage") or entry.get("message") or ""
        advice = ACTIONABLE.get(error_id)
        if advice and ebay_text:
            lines.append(f"{advice} (eBay {error_id}: {ebay_text})")
        elif advice:
            lines.append(f"{advice} (eBay {error_id})")
        else:
            lines.append(f"{ebay_text} (eBay {error_id})" if error_id else ebay_text)
    return "\n".join(line for line in lines if line) or default
