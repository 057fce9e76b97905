"""Shipments of Amazon orders confirm their package to Amazon: confirmShipment.

One package per delivery: its done moves' order items (the sale line's
``marketplace_line_id`` is Amazon's orderItemId) with the quantities
shipped, so a backorder's delivery later sends a package of its own.  Its
packageReferenceId is the delivery's own id, the same on every try and
unique within the order (Amazon wants a positive number).

Once: before it sends, every try reads the order's packages back (getOrder
with includedData PACKAGES) and takes a package already there under this
delivery's reference as sent, so a try whose answer was lost (a timeout, a
dropped connection, a transaction rolled back after the call) never sends
it twice.  (Amazon would take a second confirmShipment with the same
packageReferenceId as an edit of the package, not a new one; the addon does
not rely on that, see emulator/amazon/orders_v0_api.py.)

Orders Amazon fulfils (FBA) are shipped by Amazon: nothing is sent.
"""

from odoo import fields, models

from ...amazon import AmazonRefused
from ...amazon.shipments import OTHER, package_detail, ship_date


class StockPicking(models.Model):
    _inherit = "stock.picking"

    amazon_package_reference = fields.Char(
        string="Amazon package reference",
        readonly=True,
        copy=False,
        system_field=True,
        help="The packageReferenceId this delivery's package has at Amazon.",
    )

    def _marketplace_tracking_problem(self):
        if self._marketplace_account().channel != "amazon":
            return super()._marketplace_tracking_problem()
        if self.sudo()._marketplace_order().fulfilled_by_marketplace:
            return None  # nothing is sent (_marketplace_send_tracking)
        carrier = self.carrier_id
        if not carrier.amazon_carrier_code:
            return self.env._(
                "Carrier %(carrier)s has no Amazon carrier: choose it on the "
                "delivery method, then send the tracking again.",
                carrier=carrier.name or self.env._("(none)"),
            )
        if carrier.amazon_carrier_code == OTHER and not carrier.amazon_carrier_name:
            return self.env._(
                "Carrier %(carrier)s is Other for Amazon but has no Amazon "
                "carrier name: name it on the delivery method, then send the "
                "tracking again.",
                carrier=carrier.name,
            )
        return None

    def _marketplace_send_tracking(self):
        if self._marketplace_account().channel != "amazon":
            return super()._marketplace_send_tracking()
        order = self._marketplace_order()
        items = self._amazon_order_items()
        if order.fulfilled_by_marketplace or not items:
            return None, None
        reference = str(self.id)
        carrier = self.carrier_id
        package = package_detail(
            reference,
            carrier.amazon_carrier_code,
            self.carrier_tracking_ref,
            ship_date(self.date_done or fields.Datetime.now()),
            items,
            carrier_name=carrier.amazon_carrier_name,
        )
        with order.account_id._job_edge(
            record=self, operation="confirmShipment"
        ) as edge:
            if not self._amazon_package_sent(edge.client, order, reference):
                try:
                    edge.client.shipments.confirm_shipment(
                        order.remote_order_id, order.amazon_marketplace_id, package
                    )
                except AmazonRefused:
                    # Landed meanwhile (another run)? Then it is sent.
                    if not self._amazon_package_sent(edge.client, order, reference):
                        raise
        if edge.failed:
            return edge, None
        self.amazon_package_reference = reference
        return edge, reference

    def _amazon_order_items(self):
        """``[(orderItemId, quantity)]`` of this delivery's done moves."""
        quantities = {}
        for move in self.move_ids.filtered(lambda m: m.state == "done"):
            line = move.sale_line_id
            item_id = line.marketplace_line_id
            # Amazon counts the item's units: the sale line's unit of measure.
            quantity = int(
                move.product_uom._compute_quantity(move.quantity, line.product_uom)
                if line
                else 0
            )
            if item_id and quantity > 0:
                quantities[item_id] = quantities.get(item_id, 0) + quantity
        return list(quantities.items())

    def _amazon_package_sent(self, client, order, reference):
        """Does Amazon's order already hold this delivery's package?"""
        data = client.orders.get_order(
            order.remote_order_id, included_data=("PACKAGES",)
        )
        return any(
            str(package.get("packageReferenceId")) == reference
            for package in (data or {}).get("packages") or []
        )
