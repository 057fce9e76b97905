"""Where an order was bought: the marketplace of the account it was sold on.

One account may sell on several marketplaces of its channel (its sites,
the marketplaces of a region): the order keeps the one its buyer bought on, as
the marketplace says it in the order (``sold_on``, the marketplace's own
id), and a seller reads its name.  Each channel reads it from its order
data (:meth:`_marketplace_sold_on`) and names it
(:meth:`_marketplace_sold_on_name`).
"""

from odoo import api, fields, models


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    sold_on = fields.Char(
        string="Marketplace id",
        readonly=True,
        copy=False,
        index=True,
        system_field=True,
        help="The marketplace's id of where the buyer bought.",
    )
    sold_on_name = fields.Char(
        string="Sold on",
        compute="_compute_sold_on_name",
        help="The marketplace the buyer bought on.",
    )

    @api.depends("sold_on")
    def _compute_sold_on_name(self):
        for order in self:
            order.sold_on_name = (
                order._marketplace_sold_on_name() or order.sold_on or False
            )

    @api.model
    def _import_payloads(self, account, payloads):
        orders = super()._import_payloads(account, payloads)
        # One write per marketplace, not per order: a poll's batch stays cheap.
        to_write = {}
        for order, data in zip(orders, payloads, strict=True):
            where = self._marketplace_sold_on(account, data)
            if where and where != order.sold_on:
                to_write[where] = to_write.get(where, self.browse()) | order
        for where, sold in to_write.items():
            sold._write_system({"sold_on": where})
        return orders

    @api.model
    def _marketplace_sold_on(self, account, data):
        """Hook: the marketplace's id of where the order of ``data`` (the
        channel's order data) was bought, or False."""
        return False

    def _marketplace_sold_on_name(self):
        """Hook: the name of the order's marketplace, or False."""
        return False
