"""Shipments of eBay orders send their tracking back to eBay, once.

Once: every try looks for the shipment's fulfillment on eBay before it
creates one, so a try whose answer was lost (a timeout, a dropped
connection, a transaction rolled back after the call) is never sent twice.
"""

import logging

from odoo import fields, models

from ..ebay import EbayValidationError
from ..ebay.fulfillment import FulfillmentApi, iso_utc
from .marketplace.job_edge import marketplace_job

_logger = logging.getLogger(__name__)


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ebay_carrier_code = fields.Char(
        string="eBay carrier code",
        help="The shippingCarrierCode eBay knows this carrier by (USPS, UPS...).",
    )


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "marketplace.protected.fields.mixin"]

    # Where the tracking is with eBay: the connector's, never set by hand
    # (a delivery marked "sent" would never reach eBay).
    ebay_tracking_state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent to eBay"), ("error", "Error")],
        string="eBay tracking",
        readonly=True,
        copy=False,
        system_field=True,
    )
    ebay_fulfillment_id = fields.Char(readonly=True, copy=False, system_field=True)
    ebay_tracking_error = fields.Text(readonly=True, copy=False, system_field=True)

    def _marketplace_order(self):
        return self.sale_id.ebay_order_id

    def _action_done(self):
        result = super()._action_done()
        self._ebay_queue_tracking()
        return result

    def write(self, vals):
        result = super().write(vals)
        if vals.get("carrier_tracking_ref"):
            self.filtered(lambda p: p.state == "done")._ebay_queue_tracking()
        return result

    def _ebay_queue_tracking(self):
        for picking in self:
            if (
                picking.picking_type_code != "outgoing"
                or not picking._marketplace_order()
                or not picking.carrier_tracking_ref
                or picking.ebay_tracking_state in ("queued", "sent")
            ):
                continue
            if not picking.carrier_id.ebay_carrier_code:
                message = self.env._(
                    "Carrier %(carrier)s has no eBay carrier code: set it on the "
                    "carrier, then add the tracking number again.",
                    carrier=picking.carrier_id.name or self.env._("(none)"),
                )
                picking._write_system(
                    {"ebay_tracking_state": "error", "ebay_tracking_error": message}
                )
                picking.message_post(body=message)
                continue
            picking._write_system(
                {"ebay_tracking_state": "queued", "ebay_tracking_error": False}
            )
            # As the system: the person who validated the delivery may have no
            # eBay rights at all, and the job writes the tracking state.
            picking.sudo().with_delay(
                identity_key=f"ebay.tracking:{picking.id}",
                description=f"eBay tracking {picking.name}",
            )._job_ebay_send_tracking()

    def _ebay_line_items(self):
        lines = []
        for move in self.move_ids.filtered(lambda m: m.state == "done"):
            line_item = move.sale_line_id.ebay_line_item_id
            if line_item and move.quantity:
                lines.append({"lineItemId": line_item, "quantity": int(move.quantity)})
        return lines

    @marketplace_job
    def _job_ebay_send_tracking(self):
        """Queue job: createShippingFulfillment for this picking's lines."""
        self.ensure_one()
        if self.ebay_tracking_state != "queued":
            return f"skipped: tracking is {self.ebay_tracking_state}"
        order = self._marketplace_order()
        line_items = self._ebay_line_items()
        if not line_items:
            self.ebay_tracking_state = False
            return "no eBay line in this shipment"
        body = {
            "lineItems": line_items,
            "shippedDate": iso_utc(self.date_done or fields.Datetime.now()),
            "shippingCarrierCode": self.carrier_id.ebay_carrier_code,
            "trackingNumber": self.carrier_tracking_ref,
        }
        account = order.account_id
        with account._job_edge(
            record=self, operation="createShippingFulfillment"
        ) as edge:
            api = FulfillmentApi(edge.client)
            fulfillment_id = self._ebay_existing_fulfillment(api, order)
            if not fulfillment_id:
                try:
                    fulfillment_id = api.create_shipping_fulfillment(
                        order.ebay_order_id, body
                    )
                except EbayValidationError:
                    # Sent meanwhile by another run? Then it is done.
                    fulfillment_id = self._ebay_existing_fulfillment(api, order)
                    if not fulfillment_id:
                        raise
        if edge.refused or edge.gave_up:
            return self._ebay_tracking_failed(edge.message)
        if edge.retrying:
            self.ebay_tracking_error = edge.message
            return f"tracking not sent yet: {edge.message}"
        self.write(
            {
                "ebay_tracking_state": "sent",
                "ebay_fulfillment_id": fulfillment_id,
                "ebay_tracking_error": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Tracking %(ref)s sent to eBay.", ref=self.carrier_tracking_ref
            )
        )
        return f"tracking sent: {fulfillment_id}"

    def _marketplace_job_gave_up(self, edge):
        """Out of tries: the delivery's tracking error is its dead letter
        (written by the job, with eBay's reason)."""
        return True

    def _ebay_existing_fulfillment(self, api, order):
        """The fulfillment eBay already has for this shipment's tracking."""
        data = api.get_shipping_fulfillments(order.ebay_order_id)
        for fulfillment in data.get("fulfillments", []):
            if fulfillment.get("shipmentTrackingNumber") == self.carrier_tracking_ref:
                return fulfillment.get("fulfillmentId")
        return None

    def _ebay_tracking_failed(self, message):
        self.write({"ebay_tracking_state": "error", "ebay_tracking_error": message})
        self.message_post(
            body=self.env._("The tracking did not reach eBay: %(m)s", m=message)
        )
        return f"tracking not sent: {message}"

    def action_ebay_resend_tracking(self):
        self.check_access("write")
        self.filtered(lambda p: p.ebay_tracking_state == "error")._write_system(
            {"ebay_tracking_state": False}
        )
        self._ebay_queue_tracking()
        return True
