"""Orders API v0 confirmShipment: a seller-fulfilled order's package shipped.

Orders v0's read operations are deprecated, its confirmShipment is not
(AMAZON_FACTS.md §11; models/orders-api-model/ordersV0.json).  One call per
package: ``POST /orders/v0/orders/{orderId}/shipmentConfirmation`` with
``{marketplaceId, packageDetail: {packageReferenceId, carrierCode,
carrierName?, shippingMethod?, trackingNumber, shipDate, orderItems:
[{orderItemId, quantity}]}}``; Amazon answers 204 and no body.

packageReferenceId is the seller's: "a seller-supplied identifier that
uniquely identifies a package within the scope of an order.  Only positive
numeric values are supported" (the model).  A second call with the same
packageReferenceId *edits* that package instead of adding one ("If you need
to make an edit to the shipment, submit another confirmShipment operation
with the same packageReferenceID", developer-docs "Confirm the shipment
status"); a package with another id is another package.

Amazon checks carrierCode against the carriers Seller Central lists; an
unlisted carrier is ``Other`` with its name in carrierName.  The model holds
no list: :data:`CARRIER_CODES` is Seller Central's, as its shipping
confirmation template help page lists them (sellercentral help G641,
"carrier-code", the Singapore copy in the search corpus)
[UNCONFIRMED: the list grows over time and varies by marketplace; Other
always works].
"""

from .paths import path_segment

BASE = "/orders/v0/orders"
OTHER = "Other"
# (carrierCode, the name a person reads), in Seller Central's order.
CARRIER_CODES = (
    ("USPS", "USPS"),
    ("UPS", "UPS"),
    ("UPSMI", "UPS Mail Innovations (UPSMI)"),
    ("FedEx", "FedEx"),
    ("DHL", "DHL"),
    ("DHL Global Mail", "DHL Global Mail"),
    ("DHL eCommerce", "DHL eCommerce"),
    ("Blue Package", "Blue Package"),
    ("Fastway", "Fastway"),
    ("UPS Mail Innovations", "UPS Mail Innovations"),
    ("Lasership", "LaserShip"),
    ("Royal Mail", "Royal Mail"),
    ("FedEx SmartPost", "FedEx SmartPost"),
    ("OSM", "OSM Worldwide"),
    ("OnTrac", "OnTrac"),
    ("Streamlite", "Streamlite"),
    ("Newgistics", "Newgistics"),
    ("Canada Post", "Canada Post"),
    ("City Link", "City Link"),
    ("GLS", "GLS"),
    ("GO!", "GO! Express"),
    ("Hermes Logistik Gruppe", "Hermes Logistik Gruppe"),
    ("Parcelforce", "Parcelforce"),
    ("TNT", "TNT"),
    ("Target", "Target"),
    ("SagawaExpress", "Sagawa Express"),
    ("NipponExpress", "Nippon Express"),
    ("YamatoTransport", "Yamato Transport"),
    ("Ninjavan", "Ninja Van"),
    ("Qxpress", "Qxpress"),
    ("Singapore Post", "Singapore Post"),
    ("4PX", "4PX"),
    ("Yanwen", "Yanwen"),
    ("Aramex", "Aramex"),
    ("China Post", "China Post"),
    ("SF Express", "SF Express"),
    (OTHER, "Other (name the carrier)"),
)


def ship_date(moment):
    """A naive UTC datetime as Amazon writes times: 2022-02-11T01:00:00.000Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def package_detail(
    package_reference_id,
    carrier_code,
    tracking_number,
    ship_date,
    order_items,
    carrier_name=None,
    shipping_method=None,
):
    """A ``PackageDetail``; ``order_items``: ``[(orderItemId, quantity)]``;
    ``ship_date``: ISO 8601 text.  ``carrier_name`` is sent for ``Other``
    only, where Amazon requires it."""
    detail = {
        "packageReferenceId": str(package_reference_id),
        "carrierCode": carrier_code,
        "trackingNumber": tracking_number,
        "shipDate": ship_date,
        "orderItems": [
            {"orderItemId": str(item_id), "quantity": int(quantity)}
            for item_id, quantity in order_items
        ],
    }
    if carrier_code == OTHER and carrier_name:
        detail["carrierName"] = carrier_name
    if shipping_method:
        detail["shippingMethod"] = shipping_method
    return detail


class ShipmentsApi:
    def __init__(self, client):
        self.client = client

    def confirm_shipment(self, order_id, marketplace_id, package):
        """confirmShipment of one package (a ``PackageDetail``, see
        :func:`package_detail`); None (Amazon answers 204)."""
        self.client.request(
            "confirmShipment",
            "POST",
            f"{BASE}/{path_segment(order_id, 'order id')}/shipmentConfirmation",
            json={"marketplaceId": marketplace_id, "packageDetail": package},
        )
