"""Where an account's fees and payouts are booked, and how far they are read.

The account's balance journal (``payment_journal_id``, on the Accounting
page) stands for the money the marketplace holds for the seller.  A daily
job of each channel that has a finances API reads the new fees and payouts
since the account's finance watermark and books them there: fees
(``marketplace.fee``) to the fee expense account, payouts
(``marketplace.payout``) to the liquidity transfer account, from which the
payout bank journal's statement line takes them.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    payout_bank_journal_id = fields.Many2one(
        "account.journal",
        string="Payout bank journal",
        check_company=True,
        domain="[('type', '=', 'bank')]",
        help="The bank journal of the account the marketplace pays you out "
        "to: its statement lines of the payouts are reconciled with them.",
    )
    fee_account_id = fields.Many2one(
        "account.account",
        string="Fee expense account",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="Where the marketplace's fees are booked.  Empty: the expense "
        "account of the product category All.",
    )
    fee_ids = fields.One2many("marketplace.fee", "account_id", string="Fees")
    payout_ids = fields.One2many("marketplace.payout", "account_id", string="Payouts")
    # Kept by each channel's finance read, as the order watermark is.
    finance_watermark = fields.Datetime(
        readonly=True,
        copy=False,
        system_field=True,
        help="Fees and payouts dated up to here are booked.",
    )
    last_finance_read = fields.Datetime(
        string="Last fees and payouts read",
        readonly=True,
        copy=False,
        system_field=True,
    )
    # Why the last read failed (or could not book); cleared by the next one.
    finance_error = fields.Text(readonly=True, copy=False, system_field=True)

    @api.model
    def _cron_read_finances(self):
        """Daily: queue each connected account's read of fees and payouts
        (only accounts with a balance journal book anything)."""
        for account in self.search(
            [("state", "=", "connected"), ("payment_journal_id", "!=", False)]
        ):
            account._marketplace_enqueue_finance_read()

    def _marketplace_enqueue_finance_read(self):
        """Queue the channel's read of fees and payouts; a channel without a
        finances API has nothing to read."""
        return

    def _marketplace_fee_account(self):
        """The account fees are booked to, or UserError naming what to set."""
        self.ensure_one()
        category = self.env.ref(
            "product.product_category_all", raise_if_not_found=False
        )
        account = self.fee_account_id or (
            category
            and category.with_company(self.company_id).property_account_expense_categ_id
        )
        if not account:
            raise UserError(
                self.env._(
                    "Account %(name)s has no fee expense account: choose one on "
                    "its Accounting page so that its fees can be booked.",
                    name=self.name,
                )
            )
        return account
