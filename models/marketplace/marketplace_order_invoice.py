"""Marketplace orders into accounting: the invoice of a paid order, paid on
the account's balance journal, and the refunds the marketplace reports.

The import only records what the marketplace reports (its refunds, once by
their ids, ``marketplace.order.refund``) and queues a job per order that has
accounting to do.  The job runs after the import's transaction: an invoice
Odoo cannot make is written on the order and holds back no import.  It is
idempotent: the sale order's invoice is made once (the job locks the sale
order and making the invoice writes it, so a second job waits or starts
again and finds it), each refund is booked once (under its row's lock).
"""

import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from .marketplace_order import _concurrency_error
from .marketplace_order_refund import lock_or_retry

_logger = logging.getLogger(__name__)


class MarketplaceOrder(models.Model):
    _inherit = "marketplace.order"

    refund_ids = fields.One2many(
        "marketplace.order.refund", "order_id", string="Refunds", readonly=True
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices and credit notes",
        compute="_compute_invoice_ids",
    )
    accounting_error = fields.Text(
        string="Why accounting is held up",
        readonly=True,
        copy=False,
        system_field=True,
    )

    @api.depends("sale_order_id.invoice_ids", "refund_ids.credit_note_id")
    def _compute_invoice_ids(self):
        for order in self:
            order.invoice_ids = (
                order.sale_order_id.invoice_ids | order.refund_ids.credit_note_id
            )

    # -- after the import -----------------------------------------------------------
    @api.model
    def _queue_accounting(self, pairs):
        """Called by the import with the ``(row, OrderValues)`` pairs that have
        a sale order: record their refunds, and queue the accounting of the
        orders that have some to do (an invoice to make, a refund to book)."""
        to_book = self.env["marketplace.order.refund"]._record_reported(pairs)
        todo = to_book
        for order, values in pairs:
            if order._needs_invoice(values):
                todo |= order
        for order in todo:
            order.sudo().with_delay(
                identity_key=f"marketplace.order.accounting:{order.id}",
                description=f"{order.account_id._channel_label()} order "
                f"{order.remote_order_id} into accounting",
            )._job_sync_accounting()

    def _needs_invoice(self, values):
        sale = self.sale_order_id
        return bool(
            self.account_id.invoice_paid_orders
            and sale.state == "sale"
            and sale.invoice_status == "to invoice"
            and (values is None or values.paid or values.refunded)
        )

    # -- the job ----------------------------------------------------------------
    def _job_sync_accounting(self):
        """Queue job: the paid order's invoice (when the account invoices
        them) and its payment; each refund reported and not booked yet."""
        self.ensure_one()
        order = self.with_company(self.company_id)
        sale = order.sale_order_id
        if not sale:
            return "no sale order"
        try:
            lock_or_retry(self.env, "sale_order", sale.ids, f"Order {sale.name}")
            done = []
            with self.env.cr.savepoint():
                invoice = order._invoice_and_pay()
                if invoice:
                    done.append(invoice.name)
                for refund in self.env["marketplace.order.refund"].search(
                    [("order_id", "=", order.id), ("state", "=", "new")], order="id"
                ):
                    refund._book(order._customer_invoice())
                    done.append(refund.remote_refund_id)
        except RetryableJobError:
            raise
        except psycopg2.OperationalError as exc:
            if _concurrency_error(exc):
                raise RetryableJobError(
                    f"Order {sale.name} changed meanwhile", seconds=10
                ) from exc
            raise
        except UserError as exc:
            # Written for the seller (a journal to choose, nothing to
            # invoice yet...): on the order, where staff work.
            order.accounting_error = exc.args[0]
            return f"held up: {exc.args[0]}"
        if order.accounting_error:
            order.accounting_error = False
        return ", ".join(done) or "nothing to do"

    def _customer_invoice(self):
        """The sale order's posted invoice (made by the connector or by hand)."""
        return self.sale_order_id.invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )[:1]

    def _invoice_and_pay(self):
        """The invoice this job made (posted, paid on the balance journal),
        or None when there was none to make."""
        if not self._needs_invoice(None):
            return None
        journal = self.account_id.payment_journal_id
        if not journal:
            raise UserError(
                self.env._(
                    "Choose the marketplace balance journal on the account's "
                    "Accounting page: the buyer's payment is registered on it."
                )
            )
        invoice = self.sale_order_id._create_invoices()
        if not invoice:
            raise UserError(
                self.env._(
                    "Nothing to invoice yet on %(sale)s (products invoiced on "
                    "delivery are invoiced once delivered).",
                    sale=self.sale_order_id.name,
                )
            )
        invoice.action_post()
        self._register_marketplace_payment(invoice, journal)
        return invoice

    def _register_marketplace_payment(self, move, journal):
        """The marketplace collected (or gave back) the money of ``move``: a
        payment on its balance journal, reconciled with ``move``."""
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(
                {
                    "journal_id": journal.id,
                    "payment_date": move.invoice_date
                    or fields.Date.context_today(self),
                    "communication": move.name,
                }
            )
            ._create_payments()
        )
