"""When a marketplace order had to ship, and when it did: what late
shipments are counted from (the dashboard's standing block).

``ship_by`` comes from the order as the marketplace sent it (the channel's
``_marketplace_ship_by``, read from the stored payload); ``shipped_at`` is
when the first delivery of its sale order was validated in Odoo, which is
when the tracking leaves for the marketplace.
"""

from odoo import api, fields, models


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    ship_by = fields.Datetime(
        string="Ship by",
        compute="_compute_ship_by",
        store=True,
        system_field=True,
        help="The latest shipping time the marketplace gave the buyer.",
    )
    shipped_at = fields.Datetime(
        string="Shipped on",
        compute="_compute_shipped_at",
        store=True,
        system_field=True,
        help="When the first delivery of the sale order was validated.",
    )
    shipped_late = fields.Boolean(
        compute="_compute_shipped_at",
        store=True,
        system_field=True,
        help="Shipped after its ship-by time.",
    )

    @api.depends("payload")
    def _compute_ship_by(self):
        for order in self:
            order.ship_by = order.sudo()._marketplace_ship_by() or False

    def _marketplace_ship_by(self):
        """Channel hook: the order's ship-by time (naive UTC) from its
        payload, or None when the marketplace gave none."""
        self.ensure_one()

    @api.depends(
        "ship_by",
        "sale_order_id.picking_ids.state",
        "sale_order_id.picking_ids.date_done",
    )
    def _compute_shipped_at(self):
        for order in self:
            done = order.sale_order_id.picking_ids.filtered(
                lambda p: (
                    p.picking_type_code == "outgoing"
                    and p.state == "done"
                    and p.date_done
                )
            )
            shipped = min(done.mapped("date_done")) if done else False
            order.shipped_at = shipped
            order.shipped_late = bool(
                shipped and order.ship_by and shipped > order.ship_by
            )
