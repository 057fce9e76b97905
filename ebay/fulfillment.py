"""Sell Fulfillment API: orders (paged) and shipping fulfillments."""

from .errors import EbayValidationError
from .paths import path_segment

BASE = "/sell/fulfillment/v1"
PAGE_LIMIT = 200  # eBay's maximum page size for getOrders
# (shippingCarrierCode, the name a person reads): the carriers a tracking
# number is sent with.  eBay's own list is the Trading API's
# ShippingCarrierCodeType (GeteBayDetails) or the Metadata API's
# getShippingCarriers per marketplace; the codes from UPS to Nacex are
# ShippingCarrierCodeType's as its published SDKs list them, the ones after
# are eBay's codes for carriers of its UK, Canadian and Australian sites
# [UNCONFIRMED: the list grows over time and varies by marketplace; Other
# always works].
SHIPPING_CARRIER_CODES = (
    ("USPS", "USPS"),
    ("UPS", "UPS"),
    ("FedEx", "FedEx"),
    ("DHL", "DHL"),
    ("DeutschePost", "Deutsche Post"),
    ("Hermes", "Hermes"),
    ("iLoxx", "iLoxx"),
    ("ColiposteDomestic", "Colissimo (domestic)"),
    ("ColiposteInternational", "Colissimo (international)"),
    ("Chronopost", "Chronopost"),
    ("Correos", "Correos"),
    ("Seur", "Seur"),
    ("Nacex", "Nacex"),
    ("RoyalMail", "Royal Mail"),
    ("ParcelForce", "Parcelforce"),
    ("CanadaPost", "Canada Post"),
    ("AustraliaPost", "Australia Post"),
    ("Other", "Other"),
)
# getOrders' orderIds: "A comma-separated list ... (maximum 50)".
ORDER_IDS_LIMIT = 50


def iso_utc(moment):
    """eBay's timestamp format: 2016-05-15T08:25:43.511Z (UTC)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class FulfillmentApi:
    def __init__(self, client):
        self.client = client

    def _call(self, method, path, operation, **kwargs):
        return self.client.request(method, BASE + path, operation=operation, **kwargs)

    def get_orders_page(self, modified_since, offset=0, limit=PAGE_LIMIT):
        """One page of orders modified since ``modified_since`` (open-ended)."""
        window = f"lastmodifieddate:[{iso_utc(modified_since)}..]"

        return self._call(
            "GET",
            "/order",
            "getOrders",
            params={"filter": window, "limit": limit, "offset": offset},
        ).data

    def get_orders_by_ids(self, order_ids):
        """The orders ``order_ids`` (at most ORDER_IDS_LIMIT) in one getOrders
        call; an id eBay does not know is left out of the answer."""
        if not 1 <= len(order_ids) <= ORDER_IDS_LIMIT:
            raise ValueError(f"getOrders takes 1 to {ORDER_IDS_LIMIT} order ids")
        for order_id in order_ids:
            path_segment(order_id, "order id")  # the same check as getOrder's
            if "," in order_id:  # it would read as two ids
                raise EbayValidationError("an order id may not contain a comma")
        data = self._call(
            "GET", "/order", "getOrders", params={"orderIds": ",".join(order_ids)}
        ).data
        return (data or {}).get("orders") or []

    def get_order(self, order_id):
        return self._call(
            "GET", f"/order/{path_segment(order_id, 'order id')}", "getOrder"
        ).data

    def get_shipping_fulfillments(self, order_id):
        return (
            self._call(
                "GET",
                f"/order/{path_segment(order_id, 'order id')}/shipping_fulfillment",
                "getShippingFulfillments",
            ).data
            or {}
        )

    def create_shipping_fulfillment(self, order_id, body):
        response = self._call(
            "POST",
            f"/order/{path_segment(order_id, 'order id')}/shipping_fulfillment",
            "createShippingFulfillment",
            json=body,
        )
        location = response.headers.get("Location", "")
        return location.rsplit("/", 1)[-1] if location else None
