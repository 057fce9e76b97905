"""Ids put in the path of an SP-API URL (a SKU, a seller id, a product
type): quoted, and refused when empty or a dot segment (see
``apiclient/paths.py``).  SKUs may hold ``/``, ``#``, spaces or ``%``
(Amazon asks for them URL-encoded in the path, AMAZON_FACTS §5)."""

from ..apiclient.paths import path_segment as _path_segment
from .errors import AmazonRefused


def path_segment(value, what="id"):
    """``value`` quoted for one URL path segment, or AmazonRefused."""
    return _path_segment(value, what, error=AmazonRefused, service="Amazon")


def csv(values):
    """A query list as Amazon wants it: one value, comma-separated."""
    if isinstance(values, str):
        return values
    return ",".join(str(v) for v in values)
