"""Delivery methods know the carrier code eBay knows their carrier by."""

from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    ebay_carrier_code = fields.Char(
        string="eBay carrier code",
        help="The shippingCarrierCode eBay knows this carrier by (USPS, UPS...).",
    )
