"""Ids put in the path of a URL, for every channel.

Every id a client puts in a path (a SKU, an order or a product type) goes
through :func:`path_segment`: it is quoted, so ``/``, ``?``, ``#``, ``%`` or
spaces in an id stay inside its segment, and it is refused when it is
empty, ``.`` or ``..``: quoting leaves a dot as it is, and URL normalisation
(requests, proxies, the service's front end) reads those as "this folder"
and "the parent folder", so the call would reach another resource.
"""

from urllib.parse import quote

from .errors import Refused

DOT_SEGMENTS = (".", "..")


def path_segment(value, what="id", error=Refused, service="the service"):
    """``value`` quoted for one URL path segment, or ``error`` (a Refused).

    :param what: what the value is, for the message ("SKU", "order id"...)
    :param error: the channel's Refused subclass to raise
    :param service: how the message names the other side ("eBay")
    """
    text = "" if value is None else str(value)
    if not text:
        raise error(f"An empty {what} cannot be sent to {service}.")
    if text in DOT_SEGMENTS:
        raise error(
            f"The {what} {text!r} cannot be sent to {service}: in a URL, '.' and "
            f"'..' name a folder, not an item. Change the {what}."
        )
    return quote(text, safe="")
