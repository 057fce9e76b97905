"""How an account's orders reach accounting: invoicing and the marketplace's money.

A marketplace collects the buyer's money and pays it out to the seller later,
less its fees.  Until the payout, that money is the marketplace's balance for
the seller: the account's payment journal stands for it.  A paid order's
invoice is paid on that journal, a refund is paid back from it, and the
payouts and fees are booked on it, so that a payout reconciles with the bank
statement line.
"""

from odoo import fields, models


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    invoice_paid_orders = fields.Boolean(
        string="Invoice paid orders automatically",
        default=False,
        help="Each paid order's sale order gets its invoice once imported, "
        "paid on the marketplace balance journal.",
    )
    payment_journal_id = fields.Many2one(
        "account.journal",
        string="Marketplace balance journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="The journal that stands for the money the marketplace holds for "
        "you: the buyers' payments are registered on it, refunds are paid "
        "from it and payouts leave it for your bank.",
    )
