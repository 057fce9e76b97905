"""Delivery methods know the carrier code Amazon knows their carrier by.

confirmShipment needs a carrierCode from Seller Central's list, or
``Other`` with the carrier's name (``amazon/shipments.py``).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...amazon.shipments import CARRIER_CODES, OTHER


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    amazon_carrier_code = fields.Selection(
        list(CARRIER_CODES),
        string="Amazon carrier",
        help="The carrier Amazon shows the buyer with the tracking number "
        "(Amazon's carrierCode). A carrier Amazon does not list is Other, "
        "with its name below. Without it, tracking is not sent to Amazon.",
    )
    amazon_carrier_name = fields.Char(
        string="Carrier name on Amazon",
        help="The carrier's name Amazon shows the buyer when the carrier is Other.",
    )

    @api.constrains("amazon_carrier_code", "amazon_carrier_name")
    def _check_amazon_carrier_name(self):
        for carrier in self:
            if (
                carrier.amazon_carrier_code == OTHER
                and not (carrier.amazon_carrier_name or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Delivery method %(name)s: name the carrier for Amazon "
                        "(its Amazon carrier is Other).",
                        name=carrier.name,
                    )
                )
