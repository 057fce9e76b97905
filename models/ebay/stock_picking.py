"""Shipments of eBay orders send their tracking to eBay: a shipping fulfillment.

Once: every try looks for the shipment's fulfillment on eBay before it
creates one, so a try whose answer was lost (a timeout, a dropped
connection, a transaction rolled back after the call) is never sent twice.
"""

from odoo import fields, models

from ...ebay import EbayValidationError
from ...ebay.fulfillment import FulfillmentApi, iso_utc


class StockPicking(models.Model):
    _inherit = "stock.picking"

    ebay_fulfillment_id = fields.Char(
        string="eBay fulfillment ID", readonly=True, copy=False, system_field=True
    )

    def _marketplace_tracking_problem(self):
        if self._marketplace_account().channel != "ebay":
            return super()._marketplace_tracking_problem()
        if not self.carrier_id.ebay_carrier_code:
            return self.env._(
                "Carrier %(carrier)s has no eBay carrier code: set it on the "
                "carrier, then add the tracking number again.",
                carrier=self.carrier_id.name or self.env._("(none)"),
            )
        return None

    def _marketplace_send_tracking(self):
        if self._marketplace_account().channel != "ebay":
            return super()._marketplace_send_tracking()
        order = self._marketplace_order()
        line_items = self._ebay_line_items()
        if not line_items:
            return None, None
        body = {
            "lineItems": line_items,
            "shippedDate": iso_utc(self.date_done or fields.Datetime.now()),
            "shippingCarrierCode": self.carrier_id.ebay_carrier_code,
            "trackingNumber": self.carrier_tracking_ref,
        }
        with order.account_id._job_edge(
            record=self, operation="createShippingFulfillment"
        ) as edge:
            api = FulfillmentApi(edge.client)
            fulfillment_id = self._ebay_existing_fulfillment(api, order)
            if not fulfillment_id:
                try:
                    fulfillment_id = api.create_shipping_fulfillment(
                        order.remote_order_id, body
                    )
                except EbayValidationError:
                    # Sent meanwhile by another run? Then it is done.
                    fulfillment_id = self._ebay_existing_fulfillment(api, order)
                    if not fulfillment_id:
                        raise
        if edge.failed:
            return edge, None
        self.ebay_fulfillment_id = fulfillment_id
        return edge, fulfillment_id

    def _ebay_line_items(self):
        lines = []
        for move in self.move_ids.filtered(lambda m: m.state == "done"):
            line_item = move.sale_line_id.marketplace_line_id
            if line_item and move.quantity:
                lines.append({"lineItemId": line_item, "quantity": int(move.quantity)})
        return lines

    def _ebay_existing_fulfillment(self, api, order):
        """The fulfillment eBay already has for this shipment's tracking."""
        data = api.get_shipping_fulfillments(order.remote_order_id)
        for fulfillment in data.get("fulfillments", []):
            if fulfillment.get("shipmentTrackingNumber") == self.carrier_tracking_ref:
                return fulfillment.get("fulfillmentId")
        return None
