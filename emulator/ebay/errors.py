"""eBay's error bodies, as its REST APIs send them.

Shape (schema ``Error`` / ``ErrorDetailV3`` in every contract)::

    {"errors": [{"errorId": 25002, "domain": "API_INVENTORY",
                 "category": "REQUEST", "message": "...", "longMessage": "..."}]}

Ids come from the contracts' ``x-response-codes`` (../shared/EBAY_ERROR_CODES.md)
and, for the gateway-level ones (1001, 1100, 2001-2004), from eBay's pages.
"""

# API base path prefix -> eBay error domain.
DOMAINS = {
    "/sell/inventory/": "API_INVENTORY",
    "/sell/account/": "API_ACCOUNT",
    "/sell/fulfillment/": "API_FULFILLMENT",
    "/sell/feed/": "API_FEED",
    "/sell/metadata/": "API_METADATA",
    "/commerce/notification/": "API_NOTIFICATION",
    "/commerce/taxonomy/": "API_TAXONOMY",
    "/commerce/identity/": "API_IDENTITY",
    "/commerce/media/": "API_MEDIA",
    "/developer/analytics/": "API_ANALYTICS",
    "/sell/analytics/": "API_ANALYTICS",
}

# The domain's "any user error" id, where its contract declares one; other
# domains answer the gateway's generic 2004.
USER_ERROR_IDS = {
    "API_INVENTORY": 25002,  # Any User error. {additionalInfo}
    "API_ACCOUNT": 20400,  # Invalid request. {additionalInfo}
    "API_FULFILLMENT": 32600,  # Invalid input data
}
# The domain's "internal system or process" id (all declared as HTTP 500).
SYSTEM_ERROR_IDS = {
    "API_INVENTORY": 25001,
    "API_ACCOUNT": 20500,
    "API_FULFILLMENT": 30500,
    "API_FEED": 160001,
    "API_METADATA": 46000,
    "API_NOTIFICATION": 195000,
    "API_TAXONOMY": 62000,
    "API_MEDIA": 190000,
}
SYSTEM_MESSAGE = (
    "There was a problem with an eBay internal system or process. "
    "Contact eBay developer support for assistance."
)


def domain_for(path):
    for prefix, domain in DOMAINS.items():
        if path.startswith(prefix):
            return domain
    return "API_UNKNOWN"


def error(error_id, domain, message, long_message=None, category="REQUEST", **extra):
    """One entry of ``errors[]``; ``extra`` adds e.g. ``parameters``."""
    entry = {
        "errorId": error_id,
        "domain": domain,
        "category": category,
        "message": message,
        "longMessage": long_message or message,
    }
    entry.update(extra)
    return entry


def body(*errors):
    return {"errors": list(errors)}


def invalid_token():
    return body(
        error(
            1001,
            "OAuth",
            "Invalid access token",
            "Invalid access token. Check the value of the Authorization HTTP "
            "request header.",
        )
    )


def insufficient_scope():
    return body(
        error(
            1100,
            "ACCESS",
            "Access denied",
            "Insufficient permissions to fulfill the request.",
        )
    )


def too_many_requests():
    return body(
        error(
            2001,
            "ACCESS",
            "Too many requests.",
            "The request limit has been reached for the resource.",
        )
    )


def system_error(path, message=None):
    """A 500/503 body: the API's own system error, else the gateway's 2003.

    ``message`` replaces eBay's text (a fault that tests what Odoo makes of
    an error text it cannot trust).
    """
    domain = domain_for(path)
    if domain in SYSTEM_ERROR_IDS:
        return body(
            error(
                SYSTEM_ERROR_IDS[domain],
                domain,
                message or SYSTEM_MESSAGE,
                category="APPLICATION",
            )
        )
    return body(
        error(
            2003,
            "ACCESS",
            message or "Internal error",
            message or SYSTEM_MESSAGE,
            "APPLICATION",
        )
    )


def user_error(path, message=None):
    """A 400 body: the domain's "any user error", else the gateway's 2004."""
    domain = domain_for(path)
    text = message or "Invalid request"
    return body(error(USER_ERROR_IDS.get(domain, 2004), domain, text))


def invalid_request(path, reason):
    """A 400 body for one problem with the request."""
    return contract_violation(path, [reason])


def contract_violation(path, reasons):
    """A 400 body listing (up to ten of) the ways the request breaks the
    contract, one ``errors[]`` entry each, as eBay lists field errors."""
    domain = domain_for(path)
    error_id = USER_ERROR_IDS.get(domain, 2004)
    return body(
        *(
            error(error_id, domain, "Invalid request", f"The request has errors: {r}")
            for r in reasons[:10]
        )
    )


def not_found(path):
    return body(
        error(
            2002,
            domain_for(path),
            "Resource not found",
            "The requested resource or operation does not exist.",
        )
    )


def not_implemented(path, operation_id):
    """The operation is in eBay's contract but the emulator has no handler.

    Not something eBay answers: the status (501) makes the gap obvious to
    whoever added a call the emulator does not know yet.
    """
    return body(
        error(
            2003,
            domain_for(path),
            "Not implemented by the emulator",
            f"The eBay emulator has no handler for {operation_id or path}; "
            "register one with emulator.ebay.routes.route.",
            category="APPLICATION",
        )
    )
