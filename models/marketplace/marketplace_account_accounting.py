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

    def action_create_payment_journal(self):
        """Make a bank journal standing for the marketplace's balance and
        choose it: what a seller without one would set up by hand.  As the
        person who asks: making a journal is an accountant's right."""
        self.ensure_one()
        self.check_access("write")
        Journal = self.env["account.journal"].with_company(self.company_id)
        taken = set(
            Journal.search([("company_id", "=", self.company_id.id)]).mapped("code")
        )
        code = next(f"MKT{n}" for n in range(1, 100) if f"MKT{n}" not in taken)
        journal = Journal.create(
            {
                "name": self.env._("%(account)s balance", account=self.name),
                "code": code,
                "type": "bank",
                "company_id": self.company_id.id,
            }
        )
        self.payment_journal_id = journal.id
        return True
