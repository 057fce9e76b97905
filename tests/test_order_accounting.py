"""eBay orders into accounting: a paid order's invoice, paid on the account's
balance journal; refunds reported by polls and notifications becoming one
credit note each; returns restocking on receipt only; the settings' rights."""

import json
import uuid

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .ebay_common import OrderCase, TwoCompaniesCase

JOB = "_job_sync_accounting"


class AccountingMixin:
    """The account invoices its paid orders, paid on an eBay balance journal."""

    def _balance_journal(self, company):
        if not company.chart_template:
            self.env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
        return self.env["account.journal"].create(
            {
                "name": "eBay balance",
                "code": "EBAY",
                "type": "bank",
                "company_id": company.id,
            }
        )

    def _accounting_jobs(self, order=None):
        domain = [("method_name", "=", JOB), ("state", "=", "pending")]
        jobs = self.env["queue.job"].search(domain)
        if order:
            jobs = jobs.filtered(lambda j: j.records == order)
        return jobs

    def _run_accounting(self, held_up=False):
        """Run the pending accounting jobs as the runner would; their results
        (none held up unless ``held_up``)."""
        results = []
        for record in self._accounting_jobs():
            record.state = "started"
            results.append(Job.load(self.env, record.uuid).perform())
            record.state = "done"
        self.env.invalidate_all()
        if not held_up:
            self.assertFalse([r for r in results if r.startswith("held up")], results)
        return results


@tagged("post_install", "-at_install")
class TestOrderAccounting(AccountingMixin, OrderCase):
    def setUp(self):
        super().setUp()
        self.journal = self._balance_journal(self.env.company)
        self.account.write(
            {"invoice_paid_orders": True, "payment_journal_id": self.journal.id}
        )

    def _refund(self, order_id, **body):
        return self.emulator._call("POST", f"orders/{order_id}/refund", json=body)

    def _notified(self, order_id):
        """eBay's ORDER_CONFIRMATION for the order again (each delivery a
        new id), processed as the notification job does."""
        notification = self.env["marketplace.notification"].create(
            {
                "account_id": self.account.id,
                "notification_id": str(uuid.uuid4()),
                "topic": "ORDER_CONFIRMATION",
                "data": json.dumps({"orderId": order_id}),
            }
        )
        notification._job_process()
        self.assertEqual(notification.state, "done", notification.result)

    def _credit_notes(self, sale):
        return sale.invoice_ids.filtered(lambda m: m.move_type == "out_refund")

    def test_a_paid_order_is_invoiced_and_paid_on_the_balance_journal(self):
        self._buy([{"sku": "TSHIRT-1", "quantity": 2}], shippingCost=4.99)
        with trap_jobs() as trap:
            self._poll()
        order = self._orders()
        trap.assert_enqueued_job(
            order._job_sync_accounting,
            properties={"identity_key": f"marketplace.order.accounting:{order.id}"},
        )
        # Not made by the import itself: a failing invoice holds back no order.
        sale = order.sale_order_id
        self.assertFalse(sale.invoice_ids)
        trap.perform_enqueued_jobs()
        invoice = sale.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "posted"))
        self.assertAlmostEqual(invoice.amount_total, 2 * 19.9 + 4.99)
        self.assertEqual(invoice.payment_state, "paid")
        payment = invoice.matched_payment_ids
        self.assertEqual(payment.journal_id, self.journal)
        self.assertAlmostEqual(payment.amount, invoice.amount_total)
        self.assertEqual(sale.invoice_status, "invoiced")
        # Polled again (the overlap window) and run again: nothing more.
        with trap_jobs() as trap:
            self._poll()
        trap.assert_jobs_count(0, only=order._job_sync_accounting)
        self.assertEqual(order._job_sync_accounting(), "nothing to do")
        self.assertEqual(len(sale.invoice_ids), 1)

    def test_no_automatic_invoice_when_the_setting_is_off(self):
        self.account.invoice_paid_orders = False
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        with trap_jobs() as trap:
            self._poll()
        trap.assert_jobs_count(0, only=self._orders()._job_sync_accounting)
        self.assertFalse(self._orders().sale_order_id.invoice_ids)

    def test_without_a_balance_journal_the_order_says_why(self):
        self.account.payment_journal_id = False
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        [result] = self._run_accounting(held_up=True)
        self.assertEqual(result, f"held up: {self._orders().accounting_error}")
        order = self._orders()
        self.assertEqual(order.state, "imported", "the order itself is fine")
        self.assertIn("balance journal", order.accounting_error)
        self.assertFalse(order.sale_order_id.invoice_ids, "nothing half-made")
        # Chosen: the next run invoices it and clears the message.
        self.account.payment_journal_id = self.journal
        order._job_sync_accounting()
        self.assertFalse(order.accounting_error)
        self.assertEqual(order.sale_order_id.invoice_ids.payment_state, "paid")

    def test_a_partial_refund_reported_twice_makes_one_credit_note(self):
        data = self._buy([{"sku": "TSHIRT-1", "quantity": 2}])
        self._poll()
        self._run_accounting()
        sale = self._orders().sale_order_id
        self._refund(data["orderId"], amount=5.0)
        # Reported by the poll, then by a notification that re-reads the
        # order, each queueing the accounting; and the poll again.
        self._poll()
        self._notified(data["orderId"])
        self._run_accounting()
        self._poll()
        self._run_accounting()
        order = self._orders()
        [refund] = order.refund_ids
        self.assertEqual((refund.state, refund.amount), ("done", 5.0))
        [credit_note] = self._credit_notes(sale)
        self.assertEqual(refund.credit_note_id, credit_note)
        self.assertEqual(credit_note.state, "posted")
        self.assertAlmostEqual(credit_note.amount_total, 5.0)
        self.assertEqual(credit_note.reversed_entry_id, sale.invoice_ids - credit_note)
        # Paid back from the balance journal.
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertEqual(credit_note.matched_payment_ids.journal_id, self.journal)
        self.assertEqual(credit_note.matched_payment_ids.payment_type, "outbound")
        self.assertFalse(refund.return_picking_id, "money only: nothing comes back")
        # The sale's quantities stay as sold: nothing to invoice again.
        self.assertEqual(sale.invoice_status, "invoiced")
        self.assertEqual(order.invoice_ids, sale.invoice_ids)
        # A second refund is a second credit note.
        self._refund(data["orderId"], amount=2.5)
        self._poll()
        self._run_accounting()
        self.assertEqual(
            sorted(self._credit_notes(sale).mapped("amount_total")), [2.5, 5.0]
        )

    def test_two_jobs_booking_one_refund_make_one_credit_note(self):
        data = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self._run_accounting()
        self._refund(data["orderId"], amount=3.0)
        self._poll()
        order = self._orders()
        # A second job of the same order (a requeued dead job, an enqueue
        # beside the identity key): the second finds the refund booked.
        order._job_sync_accounting()
        order._job_sync_accounting()
        self.assertEqual(len(self._credit_notes(order.sale_order_id)), 1)

    def test_a_line_refund_credits_that_line(self):
        data = self._buy(
            [{"sku": "TSHIRT-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 1}]
        )
        self._poll()
        self._run_accounting()
        self._refund(data["orderId"], lines=[{"sku": "MUG-1", "amount": 4.0}])
        self._poll()
        self._run_accounting()
        sale = self._orders().sale_order_id
        [credit_note] = self._credit_notes(sale)
        [line] = credit_note.invoice_line_ids
        self.assertEqual(line.product_id, self.mug)
        self.assertAlmostEqual(line.price_subtotal, 4.0)
        self.assertFalse(self._orders().refund_ids.return_picking_id)

    def test_a_full_refund_credits_the_whole_invoice(self):
        data = self._buy([{"sku": "TSHIRT-1", "quantity": 1}], shippingCost=4.99)
        self._poll()
        self._run_accounting()
        self.emulator._call("POST", f"orders/{data['orderId']}/cancel")
        self._poll()
        self._run_accounting()
        sale = self._orders().sale_order_id
        self.assertEqual(sale.state, "cancel")
        invoice = sale.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        [credit_note] = self._credit_notes(sale)
        self.assertAlmostEqual(credit_note.amount_total, invoice.amount_total)
        self.assertEqual(
            credit_note.invoice_line_ids.product_id, invoice.invoice_line_ids.product_id
        )

    def test_a_pending_refund_is_booked_once_done(self):
        data = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self._run_accounting()
        # The seller's issueRefund, still PENDING on eBay: nothing yet.
        self._refund(data["orderId"], amount=2.0, status="PENDING", bySeller=True)
        self._poll()
        self._run_accounting()
        order = self._orders()
        self.assertEqual(order.refund_ids.state, "waiting")
        self.assertFalse(self._credit_notes(order.sale_order_id))
        # eBay completes it: booked.
        self.emulator._call("POST", f"orders/{data['orderId']}/refunds/complete")
        self._poll()
        self._run_accounting()
        self.assertEqual(order.refund_ids.state, "done")
        self.assertAlmostEqual(
            self._credit_notes(order.sale_order_id).amount_total, 2.0
        )

    def test_a_return_restocks_only_when_received(self):
        data = self._buy([{"sku": "MUG-1", "quantity": 2}])
        self._poll()
        self._run_accounting()
        sale = self._orders().sale_order_id
        delivery = sale.picking_ids
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        on_hand = self.mug.with_context(warehouse_id=sale.warehouse_id.id).qty_available
        # The buyer sends one mug back; eBay refunds it.
        self._refund(data["orderId"], lines=[{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self._notified(data["orderId"])
        self._run_accounting()
        [refund] = self._orders().refund_ids
        self.assertEqual(refund.state, "done")
        [credit_note] = self._credit_notes(sale)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1)
        self.assertAlmostEqual(credit_note.amount_total, 19.9)
        back = refund.return_picking_id
        self.assertEqual(back.picking_type_code, "incoming")
        self.assertEqual(back.move_ids.product_uom_qty, 1)
        self.assertNotEqual(back.state, "done")
        self.mug.invalidate_recordset()
        self.assertEqual(
            self.mug.with_context(warehouse_id=sale.warehouse_id.id).qty_available,
            on_hand,
            "not restocked before the goods come back",
        )
        # The mug arrives: the seller validates the return.
        for move in back.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        back.button_validate()
        self.mug.invalidate_recordset()
        self.assertEqual(
            self.mug.with_context(warehouse_id=sale.warehouse_id.id).qty_available,
            on_hand + 1,
        )
        self.assertEqual(sale.invoice_status, "invoiced")
        # Reported again later: no second return, no second credit note.
        self._poll()
        self._run_accounting()
        self.assertEqual(len(self._credit_notes(sale)), 1)
        self.assertEqual(len(sale.picking_ids), 2)

    def test_a_refund_before_shipping_says_to_take_it_off_the_delivery(self):
        data = self._buy([{"sku": "MUG-1", "quantity": 2}])
        self._poll()
        self._run_accounting()
        self._refund(data["orderId"], lines=[{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self._run_accounting()
        refund = self._orders().refund_ids
        self.assertFalse(refund.return_picking_id)
        self.assertIn("Take them off the delivery", refund.note)
        self.assertIn("1 × ", refund.note)


@tagged("post_install", "-at_install")
class TestOrderAccountingRights(AccountingMixin, TwoCompaniesCase):
    def setUp(self):
        super().setUp()
        self.journal = self._balance_journal(self.company_a)
        self.journal_b = self._balance_journal(self.company_b)

    def test_only_managers_change_the_accounting_settings(self):
        # B's user reads B's account, and may not change how it is booked.
        account_b = self.account_b.with_user(self.user_b)
        self.assertFalse(account_b.invoice_paid_orders)
        with self.assertRaises(AccessError):
            account_b.write({"invoice_paid_orders": True})
        with self.assertRaises(AccessError):
            account_b.write({"payment_journal_id": self.journal_b.id})
        # B's manager may, with B's journal only.
        managed = self.account_b.with_user(self.manager_b)
        managed.write(
            {"invoice_paid_orders": True, "payment_journal_id": self.journal_b.id}
        )
        self.assertEqual(self.account_b.payment_journal_id, self.journal_b)
        with self.assertRaises(UserError):
            self.account_b.write({"payment_journal_id": self.journal.id})
        # A's account is out of B's manager's reach.
        with self.assertRaises(AccessError):
            self.account.with_user(self.manager_b).write({"invoice_paid_orders": True})

    def test_refunds_are_read_only_and_kept_per_company(self):
        Refund = self.env["marketplace.order.refund"]
        order = self.env["marketplace.order"].create(
            {"account_id": self.account.id, "remote_order_id": "A-1"}
        )
        refund = Refund.create({"order_id": order.id, "remote_refund_id": "R-1"})
        self.assertEqual(refund.company_id, self.company_a)
        self.assertFalse(Refund.with_user(self.manager_b).search([]))
        with self.assertRaises(AccessError):
            refund.with_user(self.manager_b).read(["amount"])
        with self.assertRaises(AccessError):
            Refund.with_user(self.manager_b).create(
                {"order_id": order.id, "remote_refund_id": "R-2"}
            )

    def test_create_a_balance_journal_for_the_account(self):
        with self.assertRaises(AccessError):
            self.account_b.with_user(self.user_b).action_create_payment_journal()
        self.assertFalse(self.account_b.payment_journal_id)
        self.account_b.action_create_payment_journal()
        journal = self.account_b.payment_journal_id
        self.assertEqual((journal.type, journal.company_id), ("bank", self.company_b))
        self.assertIn(self.account_b.name, journal.name)


@tagged("post_install", "-at_install")
class TestRefundDates(AccountingMixin, OrderCase):
    def test_a_refund_older_than_the_invoice_is_credited_on_the_invoice_day(self):
        self.account.write(
            {
                "invoice_paid_orders": True,
                "payment_journal_id": self._balance_journal(self.env.company).id,
            }
        )
        self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        self._run_accounting()
        order = self._orders()
        invoice = order.sale_order_id.invoice_ids
        # eBay reports a refund made before Odoo invoiced the order (an
        # account that started invoicing late, a late poll).
        data = order._marketplace_fetch_order()
        data["paymentSummary"]["refunds"] = [
            {
                "refundReferenceId": "R-OLD-1",
                "refundStatus": "REFUNDED",
                "refundDate": "2020-01-02T10:00:00.000Z",
                "amount": {"value": "1.00", "currency": "USD"},
            }
        ]
        self.env["marketplace.order"]._import_payloads(self.account, [data])
        self._run_accounting()
        credit_note = order.refund_ids.credit_note_id
        self.assertEqual(credit_note.invoice_date, invoice.invoice_date)
