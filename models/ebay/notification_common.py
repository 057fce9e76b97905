"""What eBay's notification controller and the notification model share.

The topics Odoo subscribes to, the replay window and clock skew a signed
post must fall in, and the cache of eBay's public signing keys with the
error raised when a key cannot be had.  A module of its own: the controller
imports it, not a model file.
"""

from datetime import timedelta

from ... import const
from ...ebay.notification import SignatureError

ORDER_TOPIC = "ORDER_CONFIRMATION"
ACCOUNT_DELETION_TOPIC = "MARKETPLACE_ACCOUNT_DELETION"
TOPICS = (ORDER_TOPIC, ACCOUNT_DELETION_TOPIC)
KEY_CACHE_SECONDS = 3600  # eBay recommends caching public keys for an hour
# A key id eBay does not know is remembered as unknown this long: a flood of
# posts naming it makes one getPublicKey call, not one each.
UNKNOWN_KEY_CACHE_SECONDS = 300
STALE_AFTER = timedelta(seconds=const.NOTIFICATION_REPLAY_WINDOW_SECONDS)
CLOCK_SKEW = timedelta(seconds=const.NOTIFICATION_CLOCK_SKEW_SECONDS)
# (eBay's API host, kid) -> (expires, key text or None if unknown, digest).
# Keyed by host: a key is eBay's for that environment, whichever account or
# company asked for it, and nothing but eBay's fixed hosts fills this cache.
public_keys = {}


class KeyUnavailable(Exception):
    """eBay's key could not be had now: nothing was, or could be, asked.

    ``transient``: eBay or the network failed, so eBay's redelivery may
    succeed; otherwise the account may not call eBay at all.
    """

    def __init__(self, reason, transient=False):
        super().__init__(reason)
        self.transient = transient


def key_fields(data):
    """``(key, digest)`` of a getPublicKey answer; SignatureError if odd."""
    key = data.get("key") if isinstance(data, dict) else None
    digest = data.get("digest") if isinstance(data, dict) else None
    if not isinstance(key, str) or not key or not isinstance(digest, str | None):
        raise SignatureError("eBay's public key answer is not usable")
    return key, digest
