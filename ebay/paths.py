"""Ids put in the path of an eBay URL.

Every id a client puts in a path (SKU, offer, order, policy, image, group,
location and key ids) goes through :func:`path_segment`: it is quoted, so
``/``, ``?`` or ``#`` in an id stay inside its segment, and it is refused
when it is empty, ``.`` or ``..``: quoting leaves a dot as it is, and URL
normalisation (requests, proxies, eBay's front end) reads those as "this
folder" and "the parent folder", so the call would reach another resource.
"""

from urllib.parse import quote

from .errors import EbayValidationError

DOT_SEGMENTS = (".", "..")


def path_segment(value, what="id"):
    """``value`` quoted for one URL path segment, or EbayValidationError.

    :param what: what the value is, for the message ("SKU", "offer id"...)
    """
    text = "" if value is None else str(value)
    if not text:
        raise EbayValidationError(f"An empty {what} cannot be sent to eBay.")
    if text in DOT_SEGMENTS:
        raise EbayValidationError(
            f"The {what} {text!r} cannot be sent to eBay: in a URL, '.' and '..' "
            f"name a folder, not an item. Change the {what}."
        )
    return quote(text, safe="")
