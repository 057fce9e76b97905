"""A payout: money the marketplace sends from the seller's balance to the
seller's bank.

Each channel reads its marketplace's payouts (eBay: the Finances API,
models/ebay/marketplace_account_finances.py) and hands them to
:meth:`MarketplacePayout._book`.  A payout is one row per account and
marketplace payout id, and one posted entry on the balance journal that
moves its amount from the balance to the company's liquidity transfer
account (Odoo's account for money between two of the company's own
journals).  When the money reaches the bank, the bank's statement line on
the payout bank journal is reconciled with that transfer line, as any
internal transfer is (:meth:`MarketplacePayout._match_bank_lines`, after each
read, or by the seller).  A payout that fails after it was booked brings the
money back to the balance: its entry is reversed.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .finance_moves import post_entry


class MarketplacePayout(models.Model):
    _name = "marketplace.payout"
    _description = "Marketplace Payout"
    _order = "date desc, id desc"
    _inherit = ["marketplace.account.record.mixin"]
    _rec_name = "remote_id"

    remote_id = fields.Char(
        string="Payout",
        required=True,
        readonly=True,
        system_field=True,
        help="The marketplace's identifier of the payout.",
    )
    date = fields.Date(required=True, readonly=True, system_field=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, readonly=True, system_field=True
    )
    amount = fields.Monetary(readonly=True, system_field=True)
    state = fields.Selection(
        [("sent", "Sent to the bank"), ("failed", "Failed")],
        required=True,
        readonly=True,
        system_field=True,
    )
    marketplace_status = fields.Char(
        string="Status on the marketplace", readonly=True, system_field=True
    )
    bank_reference = fields.Char(
        readonly=True,
        system_field=True,
        help="How the payout appears on the bank statement, when the marketplace says.",
    )
    transaction_count = fields.Integer(
        string="Transactions", readonly=True, system_field=True
    )
    move_id = fields.Many2one(
        "account.move",
        string="Journal entry",
        readonly=True,
        check_company=True,
        copy=False,
        system_field=True,
    )
    reversal_move_id = fields.Many2one(
        "account.move",
        string="Reversal entry",
        readonly=True,
        check_company=True,
        copy=False,
        system_field=True,
    )
    is_reconciled = fields.Boolean(
        string="Matched with the bank",
        compute="_compute_is_reconciled",
        help="The bank statement line of this payout is reconciled with it.",
    )

    _sql_constraints = [
        (
            "account_remote_uniq",
            "unique(account_id, remote_id)",
            "This payout is already booked for this account.",
        )
    ]

    @api.depends("move_id.line_ids.reconciled")
    def _compute_is_reconciled(self):
        for payout in self:
            transfer = payout._transfer_line()
            payout.is_reconciled = bool(transfer) and transfer.reconciled

    def _transfer_line(self):
        """The line of the payout's entry the bank statement line meets."""
        self.ensure_one()
        transfer = self.company_id.transfer_account_id
        return self.move_id.line_ids.filtered(lambda line: line.account_id == transfer)

    def _match_bank_lines(self):
        """Reconcile each sent payout not matched yet with its bank statement
        line on the account's payout bank journal: the one line not
        reconciled yet of the payout's amount, dated from the payout on (when
        several are, the one whose label carries the bank reference; else
        none: the seller chooses).  Returns the payouts matched."""
        matched = self.browse()
        for payout in self.filtered(
            lambda p: p.state == "sent" and p.move_id and not p.is_reconciled
        ):
            journal = payout.account_id.payout_bank_journal_id
            transfer = payout._transfer_line()
            if not journal or not transfer:
                continue
            lines = self.env["account.bank.statement.line"].search(
                [
                    ("journal_id", "=", journal.id),
                    ("is_reconciled", "=", False),
                    ("amount", "=", payout.amount),
                    ("date", ">=", payout.date),
                ]
            )
            if len(lines) > 1 and payout.bank_reference:
                lines = lines.filtered(
                    lambda line, ref=payout.bank_reference: (
                        ref in (line.payment_ref or "")
                    )
                )
            if len(lines) != 1:
                continue
            _liquidity, suspense, _other = lines._seek_for_lines()
            if not suspense:
                continue
            # As Odoo matches an internal transfer: the statement line's
            # suspense line takes the transfer account and meets the
            # payout's transfer line.
            suspense.account_id = transfer.account_id
            (suspense + transfer).reconcile()
            matched |= payout
        return matched

    @api.model
    def _book(self, account, values_list):
        """Book each payout once; reverse a booked one that failed since.

        ``values_list``: dicts ``{remote_id, date (date), currency
        (res.currency), amount, sent (bool), marketplace_status,
        bank_reference, transaction_count}``.  Returns the rows created or
        changed.
        """
        existing = {
            payout.remote_id: payout
            for payout in self.search(
                [
                    ("account_id", "=", account.id),
                    ("remote_id", "in", [v["remote_id"] for v in values_list]),
                ]
            )
        }
        touched = self.browse()
        for values in values_list:
            payout = existing.get(values["remote_id"])
            state = "sent" if values["sent"] else "failed"
            if payout:
                if payout.state == state:
                    continue
                payout._change_state(values, state)
                touched |= payout
                continue
            move = self.env["account.move"]
            if values["sent"]:
                move = self._post_payout_entry(account, values)
            payout = self._create_system(
                [
                    {
                        "account_id": account.id,
                        "remote_id": values["remote_id"],
                        "date": values["date"],
                        "currency_id": values["currency"].id,
                        "amount": values["amount"],
                        "state": state,
                        "marketplace_status": values.get("marketplace_status"),
                        "bank_reference": values.get("bank_reference"),
                        "transaction_count": values.get("transaction_count") or 0,
                        "move_id": move.id,
                    }
                ]
            )
            existing[payout.remote_id] = payout
            touched |= payout
        return touched

    @api.model
    def _post_payout_entry(self, account, values):
        transfer = account.company_id.transfer_account_id
        if not transfer:
            raise UserError(
                self.env._(
                    "Company %(company)s has no liquidity transfer account: set "
                    "one in the accounting settings so that payouts can be "
                    "booked.",
                    company=account.company_id.name,
                )
            )
        label = self.env._(
            "%(channel)s payout %(payout)s",
            channel=account._channel_label(),
            payout=values["remote_id"],
        )
        return post_entry(
            account,
            ref=values.get("bank_reference") or label,
            date=values["date"],
            currency=values["currency"],
            amount=values["amount"],
            counterpart=transfer,
            label=label,
        )

    def _change_state(self, values, state):
        """A sent payout that failed: the money is back on the balance (its
        entry reversed); a failed one sent again: booked now."""
        self.ensure_one()
        vals = {"state": state, "marketplace_status": values.get("marketplace_status")}
        if state == "failed" and self.move_id and not self.reversal_move_id:
            reversal = self.move_id._reverse_moves(
                [{"ref": self.env._("Failed: %(ref)s", ref=self.move_id.ref)}]
            )
            reversal.action_post()
            vals["reversal_move_id"] = reversal.id
        elif state == "sent":
            vals["move_id"] = self._post_payout_entry(self.account_id, values).id
            vals["reversal_move_id"] = False
        self._write_system(vals)
