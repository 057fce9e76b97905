"""eBay's fees and payouts, read daily from the Finances API and booked on
the account's balance journal (models/marketplace/marketplace_account_finances.py).

What each transaction type does to the balance, and who books it:

* SALE: the buyer's payment came in (the order's invoice payment, booked
  with the order) less eBay's fees: the fees are booked here;
* REFUND: the refund went out (the credit note's payment) and eBay credited
  back part of its fee: the credit is booked here;
* NON_SALE_CHARGE, SHIPPING_LABEL (charges) and CREDIT (eBay's credits to
  the seller): booked here whole, as fees;
* the other types (disputes, transfers, loans...) are left to the seller,
  and counted in the job's result.
"""

from datetime import date, timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ...ebay.finances import FinancesApi
from ..marketplace.job_edge import marketplace_job

# eBay posts a transaction when its money moves, which may be later than
# the event it belongs to (a sale is dated from its order): every read looks
# back this far (re-seen transactions book nothing).
OVERLAP = timedelta(days=2)
FIRST_READ_LOOKBACK = timedelta(days=30)
# A payout's status settles within days (INITIATED, then SUCCEEDED or a
# failure): its window looks back this far, so a late failure is seen.
PAYOUT_LOOKBACK = timedelta(days=14)
# A payout's bank statement line is looked for this long after it.
MATCH_LOOKBACK = timedelta(days=60)
# Types whose whole amount is a charge or a credit of eBay's.
WHOLE_AMOUNT_TYPES = ("NON_SALE_CHARGE", "SHIPPING_LABEL", "CREDIT")
FEE_TYPES = ("SALE", "REFUND", *WHOLE_AMOUNT_TYPES)


def _date(text):
    """The date of eBay's UTC timestamp (2026-12-01T10:00:00.000Z)."""
    return date.fromisoformat(text[:10])


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_enqueue_finance_read(self):
        if self.channel != "ebay":
            return super()._marketplace_enqueue_finance_read()
        return (
            self.sudo()
            .with_delay(
                identity_key=f"ebay.finances.read:{self.id}",
                description=f"eBay fees and payouts {self.name}",
            )
            ._job_read_finances()
        )

    def action_read_finances(self):
        """The button: read and book the new fees and payouts now."""
        self.ensure_one()
        self.check_access("write")  # managers only, before anything is queued
        self._marketplace_enqueue_finance_read()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The new fees and payouts of %(name)s will be booked in a moment.",
                    name=self.name,
                ),
            },
        }

    @marketplace_job
    def _job_read_finances(self):
        """Queue job: read the transactions and payouts since the watermark
        (every page) and book their fees and payouts once."""
        self.ensure_one()
        # The windows stay open-ended: what eBay posts while this read runs
        # is read now and again by the next read (booked once).
        until = fields.Datetime.now()
        start = self.finance_watermark or until - FIRST_READ_LOOKBACK
        since = start - OVERLAP
        transactions, payouts = [], []
        with self._job_edge(record=self, operation="getTransactions") as edge:
            api = FinancesApi(edge.client)
            offset = 0
            while True:
                page, more = api.get_transactions_page(since, offset=offset)
                transactions += page
                if not more or not page:
                    break
                offset += len(page)
            offset = 0
            while True:
                page, more = api.get_payouts_page(
                    min(since, until - PAYOUT_LOOKBACK), offset=offset
                )
                payouts += page
                if not more or not page:
                    break
                offset += len(page)
        if edge.failed:
            self._write_system({"finance_error": edge.message})
            return f"read failed: {edge.message}"
        try:
            # Nothing half-booked: a fee or payout that cannot be booked
            # (no journal, no fee account) books none of this read.
            with self.env.cr.savepoint():
                fees = self.env["marketplace.fee"]._book(
                    self, self._ebay_fee_values(transactions)
                )
                booked = self.env["marketplace.payout"]._book(
                    self, [self._ebay_payout_values(p) for p in payouts]
                )
                matched = (
                    self.env["marketplace.payout"]
                    .search(
                        [
                            ("account_id", "=", self.id),
                            ("state", "=", "sent"),
                            ("date", ">=", (until - MATCH_LOOKBACK).date()),
                        ]
                    )
                    ._match_bank_lines()
                )
        except UserError as err:
            self._write_system({"finance_error": err.args[0]})
            return f"not booked: {err.args[0]}"
        self._write_system(
            {
                "finance_watermark": until,
                "last_finance_read": until,
                "finance_error": False,
            }
        )
        left = [t for t in transactions if t.transaction_type not in FEE_TYPES]
        return (
            f"{len(transactions)} transaction(s), {len(payouts)} payout(s) read; "
            f"{len(fees)} fee row(s), {len(booked)} payout(s) booked, "
            f"{len(matched)} matched with the bank; "
            f"{len(left)} transaction(s) of other types left to book by hand"
        )

    # -- eBay's transactions as the neutral booking takes them -------------------
    def _ebay_currency(self, code):
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", code)], limit=1)
        )
        if not currency:
            raise UserError(
                self.env._(
                    "eBay paid in %(code)s, a currency Odoo does not know.", code=code
                )
            )
        return currency

    def _ebay_fee_values(self, transactions):
        values = []
        for transaction in transactions:
            kind = transaction.transaction_type
            if kind == "SALE":
                amount = transaction.fee_total
                name = self.env._(
                    "eBay fees, order %(order)s", order=transaction.order_id
                )
            elif kind == "REFUND":
                amount = -transaction.fee_total
                name = self.env._(
                    "eBay fees credited back, refund on order %(order)s",
                    order=transaction.order_id,
                )
            elif kind in WHOLE_AMOUNT_TYPES:
                amount = -transaction.signed_amount
                name = self.env._(
                    "eBay %(what)s %(id)s",
                    what=transaction.memo or self.env._("charge"),
                    id=transaction.transaction_id,
                )
            else:
                continue
            values.append(
                {
                    "remote_id": transaction.key,
                    "name": name,
                    "order_ref": transaction.order_id,
                    "date": _date(transaction.date),
                    "currency": self._ebay_currency(transaction.currency),
                    "amount": float(amount),
                }
            )
        return values

    def _ebay_payout_values(self, payout):
        return {
            "remote_id": payout.payout_id,
            "date": _date(payout.date),
            "currency": self._ebay_currency(payout.currency),
            "amount": float(payout.amount),
            "sent": payout.sent,
            "marketplace_status": payout.status,
            "bank_reference": payout.bank_reference,
            "transaction_count": payout.transaction_count,
        }
