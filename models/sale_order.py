"""Sale orders know the marketplace order they came from."""

from odoo import api, fields, models
from odoo.tools import format_amount


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "marketplace.protected.fields.mixin"]

    # Which marketplace order this sale came from: set by the import, never
    # by hand (tracking of its deliveries goes to that order's marketplace).
    marketplace_order_id = fields.Many2one(
        "marketplace.order",
        string="Marketplace order",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        system_field=True,
    )
    marketplace_state = fields.Selection(
        related="marketplace_order_id.state", string="Marketplace status"
    )

    marketplace_tax_note = fields.Text(
        string="Tax collected by the marketplace",
        compute="_compute_marketplace_tax_note",
    )

    @api.depends(
        "amount_total",
        "marketplace_order_id.total",
        "marketplace_order_id.marketplace_collected_tax",
    )
    def _compute_marketplace_tax_note(self):
        """Why the total is less than the buyer paid: the sales tax the
        marketplace collected and remits itself is not the seller's, so the
        import leaves it out of the lines (read as the system: the person
        reading the sale may not read marketplace orders)."""
        for sale in self:
            order = sale.sudo().marketplace_order_id
            if not order.marketplace_collected_tax:
                sale.marketplace_tax_note = False
                continue
            currency = sale.currency_id
            sale.marketplace_tax_note = self.env._(
                "The buyer paid %(paid)s on %(channel)s, %(tax)s of it sales tax "
                "that %(channel)s collected and pays to the tax authorities "
                "itself (%(scheme)s). That tax is not yours to charge or "
                "declare, so this order's lines carry no tax and its total is "
                "%(total)s.",
                paid=format_amount(self.env, order.total, currency),
                channel=order.account_id._channel_label(),
                tax=format_amount(self.env, order.marketplace_collected_tax, currency),
                scheme=order._marketplace_collected_tax_words(),
                total=format_amount(self.env, sale.amount_total, currency),
            )

    def action_open_marketplace_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "marketplace.order",
            "res_id": self.marketplace_order_id.id,
            "view_mode": "form",
        }

    @api.depends(
        "order_line.invoice_lines", "marketplace_order_id.refund_ids.credit_note_id"
    )
    def _get_invoiced(self):
        """Odoo lists the invoices and credit notes of the sale's lines; a
        marketplace refund's credit note is not linked to them (the sale's
        quantities stay as sold: nothing to invoice again), so it is added
        here, read as the system (the reader may not read refunds)."""
        result = super()._get_invoiced()
        for sale in self:
            credit_notes = sale.sudo().marketplace_order_id.refund_ids.credit_note_id
            if credit_notes:
                sale.invoice_ids |= credit_notes.with_env(self.env)
                sale.invoice_count = len(sale.invoice_ids)
        return result
