"""Orders API 2026-01-01: searchOrders and getOrder (AMAZON_FACTS §11; v0's
getOrders/getOrder are deprecated).

Both return Amazon's JSON as dicts.  ``included_data`` names the datasets
an order should carry (:data:`DATASETS`); without any Amazon sends the
basic order only (ids, times, sales channel, items and their product), so
an importer asks at least for FULFILLMENT (status, FBA or not) and PROCEEDS
(the money).  searchOrders' rate is very low (0.0056 per second, burst 20):
the client's limiter holds the calls back, and a page is the one answer a
call gives (the caller keeps ``pagination.nextToken`` to go on later).

Buyer and recipient PII come with a Restricted Data Token (``tokens.py``)
passed as ``restricted_data_token``: sent in place of the LWA token for
that call only, never logged nor kept.
"""

from datetime import timezone

from .paths import csv, path_segment

BASE = "/orders/2026-01-01/orders"
PAGE_MAX = 100  # maxResultsPerPage: 1 to 100 (the model)
DATASETS = (
    "BUYER",
    "RECIPIENT",
    "PROCEEDS",
    "EXPENSE",
    "PROMOTION",
    "CANCELLATION",
    "FULFILLMENT",
    "PACKAGES",
    "TAX",
    "PAYMENT",
    "FULFILLMENT_ORDERS",
)


def _iso(value):
    """A datetime (aware or UTC-naive) or an ISO 8601 string, as Amazon
    takes it."""
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    spec = "milliseconds" if value.microsecond else "seconds"
    return value.isoformat(timespec=spec) + "Z"


def _datasets(included_data):
    unknown = [d for d in included_data if d not in DATASETS]
    if unknown:
        raise ValueError(f"unknown includedData {unknown}; known: {list(DATASETS)}")
    return csv(included_data)


def order_path(order_id):
    """getOrder's path of ``order_id`` (what an RDT for it names)."""
    return f"{BASE}/{path_segment(order_id, 'order id')}"


class OrdersApi:
    """The Orders API 2026-01-01 operations of the client's seller."""

    def __init__(self, client):
        self.client = client

    def search_orders(
        self,
        marketplace_ids,
        last_updated_after=None,
        created_after=None,
        pagination_token=None,
        max_results=PAGE_MAX,
        included_data=(),
        fulfilled_by=(),
        fulfillment_statuses=(),
        restricted_data_token=None,
    ):
        """searchOrders: one page, as Amazon sends it: ``{"orders": [...],
        "pagination": {"nextToken"}?, "lastUpdatedBefore" | "createdBefore"}``.

        Exactly one of ``last_updated_after`` / ``created_after`` (datetimes
        or ISO strings); the next page repeats every argument but
        ``max_results`` and ``included_data`` with ``pagination_token``."""
        if (last_updated_after is None) == (created_after is None):
            raise ValueError("give exactly one of last_updated_after, created_after")
        if not 1 <= int(max_results) <= PAGE_MAX:
            raise ValueError(f"max_results must be between 1 and {PAGE_MAX}")
        params = {"maxResultsPerPage": int(max_results)}
        if marketplace_ids:
            params["marketplaceIds"] = csv(marketplace_ids)
        if last_updated_after is not None:
            params["lastUpdatedAfter"] = _iso(last_updated_after)
        else:
            params["createdAfter"] = _iso(created_after)
        if fulfilled_by:
            params["fulfilledBy"] = csv(fulfilled_by)
        if fulfillment_statuses:
            params["fulfillmentStatuses"] = csv(fulfillment_statuses)
        if included_data:
            params["includedData"] = _datasets(included_data)
        if pagination_token:
            params["paginationToken"] = pagination_token
        return self.client.request(
            "searchOrders",
            "GET",
            BASE,
            params=params,
            access_token=restricted_data_token,
        ).data

    def get_order(self, order_id, included_data=(), restricted_data_token=None):
        """getOrder: the order (``Order``), with ``included_data``'s parts."""
        params = {"includedData": _datasets(included_data)} if included_data else None
        data = self.client.request(
            "getOrder",
            "GET",
            order_path(order_id),
            params=params,
            access_token=restricted_data_token,
        ).data
        return (data or {}).get("order")
