"""Delivery methods know the carrier code eBay knows their carrier by."""

from odoo import api, fields, models

from ...ebay.fulfillment import SHIPPING_CARRIER_CODES


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ebay_carrier_code = fields.Selection(
        selection="_selection_ebay_carrier_code",
        string="eBay carrier",
        help="The carrier eBay shows the buyer with the tracking number: "
        "choose the one that carries this delivery method's parcels "
        "(eBay's shippingCarrierCode). Without it, tracking is not sent to eBay.",
    )

    @api.model
    def _selection_ebay_carrier_code(self):
        """eBay's carrier codes, and any code a delivery method holds that is
        not among them (typed before the field was a choice): it keeps
        working and shows as it is."""
        known = list(SHIPPING_CARRIER_CODES)
        codes = {code for code, _label in known}
        self.env["delivery.carrier"].flush_model(["ebay_carrier_code"])
        self.env.cr.execute(
            "SELECT DISTINCT ebay_carrier_code FROM delivery_carrier "
            "WHERE ebay_carrier_code IS NOT NULL"
        )
        stored = sorted(code for (code,) in self.env.cr.fetchall() if code not in codes)
        return known + [(code, code) for code in stored]
