"""The client's own token buckets, so calls wait for Amazon's rate instead
of drawing 429s.

Amazon throttles with a token bucket per (application and seller,
operation): ``rate`` tokens a second refill up to ``burst``
(AMAZON_FACTS §6).  :class:`RateLimiter` keeps the same buckets on our side,
per (key, operation) where the key names the seller account: it starts from
the models' defaults (:data:`DEFAULT_RATES`), learns the rate Amazon applies
from ``x-amzn-RateLimit-Limit`` (:meth:`RateLimiter.observe`), and backs off
after a 429 (:meth:`RateLimiter.throttled`).

A call that would wait longer than its ``max_wait`` is not made:
:meth:`RateLimiter.acquire` raises :class:`AmazonRateLimited` with the
seconds until a token is free, so a queue job is rescheduled instead of a
worker sleeping for minutes (createFeed's rate is one call every 2 minutes).

Buckets live in the process: several Odoo workers each keep their own, so
together they may still go over; the 429s that follow are handled like any
other (back off, retry later), which Amazon says to expect.
"""

import math
import threading
import time
from types import MappingProxyType

from .errors import AmazonRateLimited

# (rate per second, burst) of each operation, from the "Usage Plan" table in
# each operation's description in Amazon's models (amazon-models, see
# emulator/tests/test_amazon_client.py which checks this table against them).
DEFAULT_RATES = MappingProxyType(
    {
        # Listings Items 2021-08-01
        "getListingsItem": (5, 10),
        "putListingsItem": (5, 10),
        "patchListingsItem": (5, 5),
        "deleteListingsItem": (5, 5),
        "searchListingsItems": (5, 5),
        # Product Type Definitions 2020-09-01
        "searchDefinitionsProductTypes": (5, 10),
        "getDefinitionsProductType": (5, 10),
        # Sellers v1
        "getMarketplaceParticipations": (0.016, 15),
        "getAccount": (0.016, 15),
        # Feeds 2021-06-30
        "createFeedDocument": (0.5, 15),
        "createFeed": (0.0083, 15),
        "getFeed": (2, 15),
        "getFeeds": (0.0222, 10),
        "cancelFeed": (2, 15),
        "getFeedDocument": (0.0222, 10),
        # Reports 2021-06-30
        "createReport": (0.0167, 15),
        "getReport": (2, 15),
        "getReports": (0.0222, 10),
        "cancelReport": (0.0222, 10),
        "getReportDocument": (0.0167, 15),
        # Tokens 2021-03-01
        "createRestrictedDataToken": (1, 10),
        # Listings Restrictions 2021-08-01
        "getListingsRestrictions": (5, 10),
        # Orders 2026-01-01 (getOrder has the same plan in v0)
        "searchOrders": (0.0056, 20),
        "getOrder": (0.5, 30),
        "confirmShipment": (2, 10),
        "updateShipmentStatus": (5, 15),
        # Catalog Items 2022-04-01, FBA Inventory v1
        "searchCatalogItems": (2, 2),
        "getCatalogItem": (2, 2),
        "getInventorySummaries": (2, 2),
        # Notifications v1 (every operation)
        "getSubscriptions": (1, 5),
        "getSubscription": (1, 5),
        "createSubscription": (1, 5),
        "getSubscriptionById": (1, 5),
        "deleteSubscriptionById": (1, 5),
        "getDestinations": (1, 5),
        "createDestination": (1, 5),
        "getDestination": (1, 5),
        "deleteDestination": (1, 5),
    }
)

# JSON_LISTINGS_FEED has its own createFeed limit: 5 feeds per 5 minutes per
# region (AMAZON_FACTS §7, changelog 2025-05-06); the feeds client acquires
# this operation name for it, besides createFeed's own bucket.
JSON_LISTINGS_FEED_OPERATION = "createFeed:JSON_LISTINGS_FEED"
DEFAULT_RATES = MappingProxyType(
    {**DEFAULT_RATES, JSON_LISTINGS_FEED_OPERATION: (5 / 300, 5)}
)

# An operation the table does not know: one call a second, no burst (safe).
UNKNOWN_OPERATION_RATE = (1, 1)
# How long a call may wait for a token by default, in seconds: a worker may
# sleep this long; beyond it the job is rescheduled.
DEFAULT_MAX_WAIT = 5.0
# From this rate on (tokens a second), network jitter can spend a token
# Amazon has not refilled yet: such buckets keep one spare.
FAST_BUCKET_RATE = 1.0


class _Bucket:
    """Our copy of one of Amazon's token buckets.

    ``burst`` is Amazon's burst as far as we know.  On a fast bucket (a
    token a second or more) we use one token less (:attr:`capacity`), so
    Amazon's bucket keeps one spare for requests that reach it a little
    closer together than they left (network jitter).  A slow bucket (the 5
    JSON_LISTINGS_FEED feeds per 5 minutes) refills by a few thousandths of a
    token in that jitter: a spare there would only cost a fifth of its
    calls, so it gets none.
    ``tokens`` may go below zero: each waiting caller holds a reservation,
    so callers are served one ``1/rate`` apart.
    """

    __slots__ = ("burst", "ceiling", "default", "rate", "stamp", "tokens")

    def __init__(self, rate, burst, now):
        self.default = (float(rate), float(burst))
        self.rate = float(rate)
        self.burst = float(burst)
        # The burst we may climb back to after a 429 made us lower it.
        self.ceiling = float(burst)
        self.stamp = now
        self.tokens = self.capacity

    @property
    def capacity(self):
        fast = self.rate >= FAST_BUCKET_RATE
        return self.burst - 1 if fast and self.burst >= 2 else self.burst

    def refill(self, now):
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.stamp = now

    def wait_for_token(self):
        """Seconds until one token is there (0 when one is)."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


def _retry_after(seconds):
    """Whole seconds to wait, at least one (what job schedulers take)."""
    return max(1, math.ceil(seconds))


def parse_rate(value):
    """The rate of an ``x-amzn-RateLimit-Limit`` value (a decimal, requests
    per second), or None when there is none or it is not a positive number."""
    try:
        rate = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return rate if math.isfinite(rate) and rate > 0 else None


class RateLimiter:
    """Thread-safe token buckets per (key, operation).

    :param rates: ``{operation: (rate, burst)}`` (default :data:`DEFAULT_RATES`)
    :param clock: monotonic seconds (tests may pass their own)
    :param sleep: how a caller waits (``time.sleep``)
    """

    def __init__(self, rates=DEFAULT_RATES, clock=time.monotonic, sleep=time.sleep):
        self.rates = dict(rates)
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._buckets = {}

    def _bucket(self, key, operation, now):
        bucket = self._buckets.get((key, operation))
        if bucket is None:
            rate, burst = self.rates.get(operation, UNKNOWN_OPERATION_RATE)
            bucket = self._buckets[(key, operation)] = _Bucket(rate, burst, now)
        else:
            bucket.refill(now)
        return bucket

    def acquire(self, key, operation, max_wait=DEFAULT_MAX_WAIT):
        """Take a token for one call, waiting for it up to ``max_wait``
        seconds; return the seconds waited.

        When the token is further away than that, nothing is taken and
        :class:`AmazonRateLimited` is raised with ``retry_after`` the seconds
        until it is there: the caller tries again later.
        """
        with self._lock:
            now = self.clock()
            bucket = self._bucket(key, operation, now)
            wait = bucket.wait_for_token()
            if wait > max_wait:
                raise AmazonRateLimited(
                    f"Amazon's call limit for {operation} is reached for now "
                    f"(about {wait:.0f} s until the next call may go)",
                    retry_after=_retry_after(wait),
                )
            bucket.tokens -= 1
        if wait > 0:
            self.sleep(wait)
        return wait

    def observe(self, key, operation, header_value):
        """Learn the rate Amazon applies from ``x-amzn-RateLimit-Limit``.

        The header gives the rate only, never the burst.  A rate below the
        models' default lowers the burst in the same proportion (whether
        Amazon's plans scale both is UNCONFIRMED: this is the side that draws
        fewer 429s); a higher one raises the rate and keeps the default
        burst.  A success also lets a burst lowered by 429s grow back by
        one.  Returns the rate now used, or None when the header had none.
        """
        rate = parse_rate(header_value)
        with self._lock:
            bucket = self._bucket(key, operation, self.clock())
            if rate is not None and not math.isclose(rate, bucket.rate):
                default_rate, default_burst = bucket.default
                bucket.ceiling = max(
                    1.0, math.floor(default_burst * min(1.0, rate / default_rate))
                )
                bucket.rate = rate
                bucket.burst = min(bucket.burst, bucket.ceiling)
                # The answer that told us came out of Amazon's bucket too.
                bucket.tokens = min(bucket.tokens, bucket.capacity - 1)
            bucket.burst = min(bucket.ceiling, bucket.burst + 1)
            bucket.tokens = min(bucket.tokens, bucket.capacity)
            return rate

    def throttled(self, key, operation):
        """Amazon answered 429: empty the bucket and halve the burst we
        allow ourselves, so the next calls go one ``1/rate`` apart instead
        of hammering.  Returns the seconds to wait before trying again."""
        with self._lock:
            bucket = self._bucket(key, operation, self.clock())
            bucket.burst = max(1.0, math.floor(bucket.burst / 2))
            bucket.tokens = min(bucket.tokens, 0.0)
            return _retry_after(bucket.wait_for_token())

    def limits(self, key, operation):
        """``(rate, burst)`` currently used for (key, operation)."""
        with self._lock:
            bucket = self._bucket(key, operation, self.clock())
            return bucket.rate, bucket.burst


_shared = RateLimiter()


def shared_limiter():
    """The process's limiter, which every client uses unless given its own
    (buckets must outlive one client: a job builds a client per run)."""
    return _shared
