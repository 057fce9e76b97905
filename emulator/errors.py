"""eBay's error bodies, as its REST APIs send them."""

# API base path prefix -> eBay error domain.
DOMAINS = {
    "/sell/inventory/": "API_INVENTORY",
    "/sell/account/": "API_ACCOUNT",
    "/sell/fulfillment/": "API_FULFILLMENT",
    "/commerce/notification/": "API_NOTIFICATION",
    "/commerce/taxonomy/": "API_TAXONOMY",
    "/commerce/identity/": "API_IDENTITY",
    "/commerce/media/": "API_MEDIA",
    "/sell/feed/": "API_FEED",
    "/sell/metadata/": "API_METADATA",
}

# A generic "any user error" id per domain (EBAY_ERROR_CODES.md).
USER_ERROR_IDS = {
    "API_INVENTORY": 25002,
    "API_ACCOUNT": 20400,
    "API_FULFILLMENT": 30500,
    "API_NOTIFICATION": 195002,
    "API_TAXONOMY": 62004,
}
SYSTEM_ERROR_IDS = {
    "API_INVENTORY": 25001,
    "API_ACCOUNT": 20500,
    "API_NOTIFICATION": 195000,
}


def domain_for(path):
    for prefix, domain in DOMAINS.items():
        if path.startswith(prefix):
            return domain
    return "API_UNKNOWN"


def error(error_id, domain, message, long_message=None, category="REQUEST", **extra):
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


def system_error(path):
    domain = domain_for(path)
    return body(
        error(
            SYSTEM_ERROR_IDS.get(domain, 2003),
            domain if domain != "API_UNKNOWN" else "ACCESS",
            "There was a problem with an eBay internal system or process. "
            "Contact eBay developer support for assistance.",
            category="APPLICATION",
        )
    )


def invalid_request(path, reason):
    domain = domain_for(path)
    return body(
        error(
            USER_ERROR_IDS.get(domain, 2004),
            domain,
            "Invalid request",
            f"The request has errors: {reason}",
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
