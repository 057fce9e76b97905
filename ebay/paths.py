"""Ids put in the path of an eBay URL.

Every id a client puts in a path (SKU, offer, order, policy, image, group,
location and key ids) goes through :func:`path_segment`, apiclient's quoting
with eBay's error (see ``apiclient/paths.py`` for why dots are refused).
"""

from ..apiclient.paths import DOT_SEGMENTS
from ..apiclient.paths import path_segment as _path_segment
from .errors import EbayValidationError

__all__ = ["DOT_SEGMENTS", "path_segment"]


def path_segment(value, what="id"):
    """``value`` quoted for one URL path segment, or EbayValidationError.

    :param what: what the value is, for the message ("SKU", "offer id"...)
    """
    return _path_segment(value, what, error=EbayValidationError, service="eBay")
