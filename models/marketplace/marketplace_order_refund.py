"""A refund the marketplace made to a buyer, known once by its id.

Whatever mix of polls, notifications and replays reports a refund, its row
(order, remote refund id) is claimed with INSERT ... ON CONFLICT DO NOTHING
in the import that reads it, and the accounting job turns it into one credit
note (and, when goods were shipped, one return to receive) under a lock on
the row: a second report, or a second job, finds it done.

The marketplace says what it refunded, not what comes back: the whole units
a line's refund pays for are the units expected back (the seller may change
the return before receiving it, or cancel it when nothing comes back).
"""

import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)

REFUND_STATES = [
    ("new", "To book"),
    ("waiting", "Waiting for the marketplace"),
    ("done", "Booked"),
    ("no_invoice", "No invoice to credit"),
    ("failed", "Failed on the marketplace"),
]


def lock_or_retry(env, table, ids, what):
    """Lock rows ``ids`` of ``table`` (FOR UPDATE NOWAIT), or have queue_job
    run the job again later: another worker is booking them now, or booked
    them after this transaction began (it would not see that work)."""
    try:
        with env.cr.savepoint(flush=False):
            env.cr.execute(
                f"SELECT id FROM {table} WHERE id = ANY(%s) FOR UPDATE NOWAIT",
                (list(ids),),
            )
    except (
        psycopg2.errors.LockNotAvailable,
        psycopg2.errors.SerializationFailure,
    ) as exc:
        raise RetryableJobError(
            f"{what} is being booked by another job", seconds=10
        ) from exc


class MarketplaceOrderRefund(models.Model):
    _name = "marketplace.order.refund"
    _description = "Marketplace Refund"
    _inherit = ["marketplace.protected.fields.mixin"]
    _order = "refunded_at desc, id desc"
    _rec_name = "remote_refund_id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "marketplace.order",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        system_field=True,
    )
    account_id = fields.Many2one(
        related="order_id.account_id", store=True, system_field=True
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, system_field=True
    )
    remote_refund_id = fields.Char(
        string="Marketplace refund", required=True, readonly=True, system_field=True
    )
    amount = fields.Float(readonly=True, system_field=True)
    currency_code = fields.Char(readonly=True, system_field=True)
    # {remote line id: amount}: what a refund of line items gave back on
    # each line; empty for a refund of the order as a whole.
    line_amounts = fields.Text(readonly=True, system_field=True)
    refunded_at = fields.Datetime(
        string="Refunded on", readonly=True, system_field=True
    )
    remote_status = fields.Char(
        string="Marketplace status", readonly=True, system_field=True
    )
    state = fields.Selection(
        REFUND_STATES, required=True, default="new", readonly=True, system_field=True
    )
    credit_note_id = fields.Many2one(
        "account.move",
        readonly=True,
        copy=False,
        check_company=True,
        system_field=True,
    )
    return_picking_id = fields.Many2one(
        "stock.picking",
        string="Return",
        readonly=True,
        copy=False,
        check_company=True,
        system_field=True,
    )
    note = fields.Text(readonly=True, system_field=True)

    _sql_constraints = [
        (
            "order_refund_uniq",
            "unique(order_id, remote_refund_id)",
            "This marketplace refund is already recorded for this order.",
        )
    ]

    # -- recording what the marketplace reports ---------------------------------
    @api.model
    def _record_reported(self, pairs):
        """Record the refunds the ``(order row, OrderValues)`` pairs report:
        new ones claimed once, known ones not booked yet brought up to date
        (a pending refund done since).  Returns the orders that have a
        refund to book."""
        reported = {
            (order.id, refund.remote_refund_id): (order, refund)
            for order, values in pairs
            for refund in values.refunds
        }
        if not reported:
            return self.env["marketplace.order"]
        self.env.flush_all()
        # Sorted: two imports of overlapping orders wait on each other
        # instead of deadlocking.
        keys = sorted(reported)
        self.env.cr.execute(
            """
            INSERT INTO marketplace_order_refund (
                order_id, account_id, company_id, remote_refund_id, state,
                create_uid, write_uid, create_date, write_date)
            SELECT o.id, o.account_id, o.company_id, k.remote_id, 'new', %s, %s,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM unnest(%s::int[], %s::varchar[]) WITH ORDINALITY
                   AS k(order_id, remote_id, n)
              JOIN marketplace_order o ON o.id = k.order_id
             ORDER BY k.n
            ON CONFLICT (order_id, remote_refund_id) DO NOTHING
            """,
            (
                self.env.uid,
                self.env.uid,
                [order_id for order_id, _r in keys],
                [remote_id for _o, remote_id in keys],
            ),
        )
        # Rows written in SQL: what this transaction's cache knows of the
        # orders' refunds is out of date.
        orders = self.env["marketplace.order"].browse(sorted({o for o, _r in keys}))
        orders.invalidate_recordset(["refund_ids"])
        rows = self.search(
            [
                ("order_id", "in", orders.ids),
                ("remote_refund_id", "in", list({r for _o, r in keys})),
            ]
        )
        to_book = self.env["marketplace.order"]
        for row in rows:
            found = reported.get((row.order_id.id, row.remote_refund_id))
            if not found or row.state not in ("new", "waiting"):
                continue
            _order, refund = found
            state = "new" if refund.done else "waiting"
            if refund.failed:
                state = "failed"
            values = {
                "amount": refund.amount.amount,
                "currency_code": refund.amount.currency,
                "line_amounts": json.dumps(dict(refund.line_amounts)),
                "refunded_at": refund.refunded_at or False,
                "remote_status": refund.status,
                "state": state,
            }
            # Write only what changed: each report of a known refund must
            # cost nothing.
            changed = {
                name: value
                for name, value in values.items()
                if row[name] != value and (row[name] or value)
            }
            if changed:
                row.write(changed)
            if state == "new":
                to_book |= row.order_id
        return to_book

    # -- booking ------------------------------------------------------------------
    def _book(self, invoice):
        """Credit ``invoice`` (the order's, or none) with this refund, pay the
        credit note back from the account's balance journal, and prepare the
        return of shipped goods it pays for; once (under the row's lock)."""
        self.ensure_one()
        lock_or_retry(
            self.env, self._table, self.ids, f"Refund {self.remote_refund_id}"
        )
        if self.state != "new":
            return
        values = {"state": "done", "note": False}
        if invoice:
            credit_note = self._credit_note(invoice)
            values["credit_note_id"] = credit_note.id
        else:
            values["state"] = "no_invoice"
        picking, note = self._prepare_return()
        values["return_picking_id"] = picking.id
        values["note"] = note
        self.write(values)
        self._log_booked(invoice)

    def _shares(self):
        """[(sale line, amount, whole units refunded or 0)] of a refund of
        line items, from the lines' shares."""
        sale = self.order_id.sale_order_id
        by_remote = {line.marketplace_line_id: line for line in sale.order_line}
        shares = []
        for remote_line_id, amount in json.loads(self.line_amounts or "{}").items():
            line = by_remote.get(remote_line_id)
            if not line:
                continue
            units = 0
            if line.price_unit:
                whole = round(amount / line.price_unit)
                if whole >= 1 and float_is_zero(
                    whole * line.price_unit - amount,
                    precision_rounding=sale.currency_id.rounding,
                ):
                    units = min(whole, line.product_uom_qty)
            shares.append((line, amount, units))
        return shares

    def _credit_note_lines(self, invoice):
        product_lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        shares = self._shares()
        channel = self.account_id._channel_label()
        lines = []
        if shares:
            for sale_line, amount, units in shares:
                invoice_line = product_lines.filtered(
                    lambda line, s=sale_line: s in line.sale_line_ids
                )[:1]
                lines.append(
                    {
                        "product_id": sale_line.product_id.id,
                        "name": self.env._(
                            "Refund on %(channel)s: %(line)s",
                            channel=channel,
                            line=sale_line.name,
                        ),
                        "quantity": units or 1,
                        "price_unit": amount / (units or 1),
                        "account_id": invoice_line.account_id.id,
                        "tax_ids": [fields.Command.set(invoice_line.tax_ids.ids)],
                    }
                )
        elif (
            float_compare(
                self.amount,
                invoice.amount_total,
                precision_rounding=invoice.currency_id.rounding,
            )
            >= 0
        ):
            # All of it back: the invoice's lines, credited as they were.
            for line in product_lines:
                lines.append(
                    {
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "quantity": line.quantity,
                        "price_unit": line.price_unit,
                        "account_id": line.account_id.id,
                        "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                    }
                )
        else:
            # Part of the order back (a goodwill refund, a delivery refund):
            # one line, on the income account of the goods.
            lines.append(
                {
                    "name": self.env._(
                        "Partial refund on %(channel)s", channel=channel
                    ),
                    "quantity": 1,
                    "price_unit": self.amount,
                    "account_id": product_lines[:1].account_id.id,
                    "tax_ids": [fields.Command.clear()],
                }
            )
        # No account found (an invoice line removed by hand): Odoo's own
        # choice for the product or the journal.
        return [
            {key: value for key, value in line.items() if key != "account_id" or value}
            for line in lines
        ]

    def _credit_note(self, invoice):
        """The posted credit note of this refund, paid back from the
        account's balance journal."""
        journal = self.account_id.payment_journal_id
        if not journal:
            raise UserError(
                self.env._(
                    "Choose the marketplace balance journal on the account's "
                    "Accounting page: the refund is paid back from it."
                )
            )
        credit_note = (
            self.env["account.move"]
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "journal_id": invoice.journal_id.id,
                    "currency_id": invoice.currency_id.id,
                    "reversed_entry_id": invoice.id,
                    "invoice_origin": invoice.invoice_origin,
                    # The refund's day, never before the invoice it credits.
                    "invoice_date": max(
                        (self.refunded_at or fields.Datetime.now()).date(),
                        invoice.invoice_date or fields.Date.context_today(self),
                    ),
                    "ref": self.env._(
                        "%(channel)s refund %(refund)s",
                        channel=self.account_id._channel_label(),
                        refund=self.remote_refund_id,
                    ),
                    "invoice_line_ids": [
                        fields.Command.create(line)
                        for line in self._credit_note_lines(invoice)
                    ],
                }
            )
        )
        credit_note.action_post()
        self.order_id._register_marketplace_payment(credit_note, journal)
        return credit_note

    def _prepare_return(self):
        """A return of the shipped units this refund pays for, to receive
        (nothing is restocked before the seller validates it), and a word
        on refunded units not shipped yet.  ``(picking or empty, note)``."""
        shares = [(line, units) for line, _a, units in self._shares() if units]
        Picking = self.env["stock.picking"]
        if not shares:
            return Picking, False
        sale = self.order_id.sale_order_id
        delivered = sale.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )
        returns, unshipped = {}, []
        for line, units in shares:
            # The units of this line shipped and not returned yet.
            moves = delivered.move_ids.filtered(
                lambda m, line=line: m.sale_line_id == line and m.state == "done"
            )
            left = units
            for move in moves:
                back = sum(
                    m.quantity for m in move.returned_move_ids if m.state != "cancel"
                )
                take = min(left, move.quantity - back)
                if take > 0:
                    returns.setdefault(move.picking_id, []).append((move, take))
                    left -= take
            if left > 0:
                unshipped.append(f"{left:g} × {line.product_id.display_name}")
        made = Picking
        for picking, moves in returns.items():
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_model="stock.picking", active_id=picking.id)
                .create({"picking_id": picking.id})
            )
            for return_line in wizard.product_return_moves:
                taken = [take for move, take in moves if move == return_line.move_id]
                # The credit note is the refund: the sale's quantities stay
                # as sold, so the order does not ask to be invoiced again.
                return_line.write({"quantity": sum(taken), "to_refund": False})
            made |= wizard._create_return()
        note = False
        if unshipped:
            note = self.env._(
                "Refunded before shipping: %(units)s. Take them off the delivery.",
                units=", ".join(unshipped),
            )
        return made[:1], note

    def _log_booked(self, invoice):
        sale = self.order_id.sale_order_id
        parts = [
            self.env._(
                "%(channel)s refunded %(amount)s %(currency)s.",
                channel=self.account_id._channel_label(),
                amount=f"{self.amount:.2f}",
                currency=self.currency_code or "",
            )
        ]
        if self.credit_note_id:
            parts.append(
                self.env._("Credit note %(name)s.", name=self.credit_note_id.name)
            )
        elif not invoice:
            parts.append(self.env._("No invoice to credit."))
        if self.return_picking_id:
            parts.append(
                self.env._(
                    "Return %(name)s: validate it when the goods arrive.",
                    name=self.return_picking_id.name,
                )
            )
        if self.note:
            parts.append(self.note)
        sale.message_post(body=" ".join(parts))
