"""Sell Analytics API v1: the seller standards profile and the customer
service metrics, and the readings the connector keeps of them.

A *reading* is one figure of the seller's standing on one day, in the neutral
shape ``marketplace.standing`` stores::

    {"metric": "defect_rate", "label": "Transaction defect rate",
     "level": "TOP_RATED", "rank": 3, "value": 0.002, "threshold": 0.005,
     "kind": "rate", "window_start": "2026-09-03"}

``rank`` orders the levels of one metric, higher is better (Top Rated 3,
Above Standard 2, Below Standard 1; customer service ratings Low 4 ...
Very high 1), so the neutral side sees a drop without knowing eBay's words;
None when there is nothing to rank (a rating eBay does not give).
"""

from .errors import EbayValidationError
from .paths import path_segment

BASE = "/sell/analytics/v1"
SCOPE = "https://api.ebay.com/oauth/api_scope/sell.analytics.readonly"

STANDARDS_RANKS = {"TOP_RATED": 3, "ABOVE_STANDARD": 2, "BELOW_STANDARD": 1}
# getCustomerServiceMetric's benchmark rating: LOW is the best (RatingTypeEnum).
RATING_RANKS = {"LOW": 4, "AVERAGE": 3, "HIGH": 2, "VERY_HIGH": 1}
# The standards program that covers a marketplace (ProgramEnum): the others
# count in the global program.
PROGRAMS = {
    "EBAY_US": "PROGRAM_US",
    "EBAY_MOTORS_US": "PROGRAM_US",
    "EBAY_GB": "PROGRAM_UK",
    "EBAY_IE": "PROGRAM_UK",
    "EBAY_DE": "PROGRAM_DE",
    "EBAY_AT": "PROGRAM_DE",
    "EBAY_CH": "PROGRAM_DE",
}
GLOBAL_PROGRAM = "PROGRAM_GLOBAL"
# Profile metric keys the connector names (the others keep eBay's key).
METRIC_CODES = {
    "DEFECTIVE_TRANSACTION_RATE": "defect_rate",
    "SHIPPING_MISS_RATE": "late_shipment_rate",
    "CLAIMS_SAF_RATE": "cases_closed_rate",
    "MIN_TXN_COUNT": "transactions",
}
CUSTOMER_SERVICE_CODES = {
    "ITEM_NOT_RECEIVED": "item_not_received_rate",
    "ITEM_NOT_AS_DESCRIBED": "item_not_as_described_rate",
}
# No customer service metric to read: 54200 (409) "not available for the
# provided evaluation type and marketplace" (no transaction there in 12
# months, or not active for a whole period); 54401 (400) the marketplace is
# not one the resource serves.
NOT_AVAILABLE_ERROR_IDS = frozenset({54200, 54401})


class AnalyticsApi:
    def __init__(self, client):
        self.client = client

    def find_seller_standards_profiles(self):
        data = (
            self.client.request(
                "GET",
                f"{BASE}/seller_standards_profile",
                operation="findSellerStandardsProfiles",
            ).data
            or {}
        )
        return data.get("standardsProfiles") or []

    def get_seller_standards_profile(self, program, cycle):
        return (
            self.client.request(
                "GET",
                f"{BASE}/seller_standards_profile/"
                f"{path_segment(program, 'program')}/{path_segment(cycle, 'cycle')}",
                operation="getSellerStandardsProfile",
            ).data
            or {}
        )

    def get_customer_service_metric(self, metric_type, evaluation_type, marketplace_id):
        """The metric's answer, or None where eBay has none for this
        marketplace and evaluation (:data:`NOT_AVAILABLE_ERROR_IDS`)."""
        try:
            response = self.client.request(
                "GET",
                f"{BASE}/customer_service_metric/"
                f"{path_segment(metric_type, 'metric type')}/"
                f"{path_segment(evaluation_type, 'evaluation type')}",
                params={"evaluation_marketplace_id": marketplace_id},
                operation="getCustomerServiceMetric",
            )
        except EbayValidationError as err:
            if NOT_AVAILABLE_ERROR_IDS & set(err.error_ids):
                return None
            raise
        return response.data or {}


def number(value):
    """A metric value as a float: a number, a numeric string or an object
    carrying ``value`` (the contract leaves its form open); None otherwise."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def program_for(marketplace_id):
    return PROGRAMS.get(marketplace_id, GLOBAL_PROGRAM)


def pick_profile(profiles, program, cycle):
    """The profile of ``program`` and ``cycle``, else the global one's."""
    by_key = {
        (p.get("program"), (p.get("cycle") or {}).get("cycleType")): p for p in profiles
    }
    return by_key.get((program, cycle)) or by_key.get((GLOBAL_PROGRAM, cycle))


def _date(text):
    return text[:10] if isinstance(text, str) and len(text) >= 10 else None


def standards_readings(profiles, marketplace_id):
    """Readings of the seller standards of the marketplace's program.

    ``standards_level``: the level in force (the CURRENT cycle, eBay's last
    monthly evaluation); ``projected_level``: the level the next evaluation
    gives if nothing changes (PROJECTED, computed daily).  The rates come
    from the projected profile, as they stand today, which is what a seller
    can still act on; the current one's when there is no projection.
    """
    program = program_for(marketplace_id)
    current = pick_profile(profiles, program, "CURRENT")
    projected = pick_profile(profiles, program, "PROJECTED")
    readings = []
    for code, profile in (("standards_level", current), ("projected_level", projected)):
        if not profile or not profile.get("standardsLevel"):
            continue
        level = profile["standardsLevel"]
        readings.append(
            {
                "metric": code,
                "label": None,
                "level": level,
                "rank": STANDARDS_RANKS.get(level),
                "value": None,
                "threshold": None,
                "kind": "level",
                "window_start": None,
            }
        )
    for metric in (projected or current or {}).get("metrics") or []:
        key = metric.get("metricKey")
        if not key:
            continue
        kind = "rate" if metric.get("type") == "FRACTION" else "count"
        level = metric.get("level")
        upper = number(metric.get("thresholdUpperBound"))
        lower = number(metric.get("thresholdLowerBound"))
        readings.append(
            {
                "metric": METRIC_CODES.get(key, key.lower()),
                "label": metric.get("name") or key,
                "level": level,
                "rank": STANDARDS_RANKS.get(level),
                "value": number(metric.get("value")),
                # A rate keeps its level up to its upper bound; a count from
                # its lower bound.
                "threshold": upper if kind == "rate" else lower,
                "kind": kind,
                "window_start": _date(metric.get("lookbackStartDate")),
            }
        )
    return readings


def customer_service_reading(data, metric_type):
    """One reading of a customer service metric: its worst dimension's
    rating against similar sellers, its rate (and the peers' average, beside
    the neutral keys); None when eBay rates no dimension."""
    worst = None
    for dimension in (data or {}).get("dimensionMetrics") or []:
        for metric in dimension.get("metrics") or []:
            if metric.get("metricKey") != "RATE":
                continue
            benchmark = metric.get("benchmark") or {}
            rating = benchmark.get("rating")
            rank = RATING_RANKS.get(rating)
            if rank is None:
                continue
            if worst is None or rank < worst["rank"]:
                worst = {
                    "metric": CUSTOMER_SERVICE_CODES.get(
                        metric_type, metric_type.lower()
                    ),
                    "label": None,
                    "level": rating,
                    "rank": rank,
                    "value": number(metric.get("value")),
                    # The peers' average is no limit that keeps a rating:
                    # eBay rates the deviation from it, in bands it does not
                    # publish.
                    "threshold": None,
                    "peer_average": number(
                        (benchmark.get("metadata") or {}).get("average")
                    ),
                    "kind": "rate",
                    # A year of peer benchmarking, not the evaluation period
                    # of the seller standards that late shipments count in.
                    "window_start": None,
                }
    return worst
