"""eBay's fees and payouts read from the Finances API and booked on the
account's balance journal; a payout reconciled with the bank statement line."""

import itertools

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..ebay.endpoints import DEFAULT_SCOPES, SCOPE_PREFIX
from ..ebay.finances import FinancesApi
from .common import MANAGER_GROUPS, USER_GROUPS, ago
from .ebay_common import OrderCase, TwoCompaniesCase

FINANCES = "^/sell/finances/v1/"
CODES = itertools.count(1)  # journal codes, unique per company


def load_chart(env, company):
    """Odoo's generic chart of accounts for ``company``, if it has none."""
    if not company.chart_template:
        env["account.chart.template"].try_loading(
            "generic_coa", company, install_demo=False
        )


def gross(order):
    """What the buyer paid eBay for the order's items and shipping."""
    pricing = order["pricingSummary"]
    return float(pricing["priceSubtotal"]["value"]) + float(
        pricing["deliveryCost"]["value"]
    )


class FinanceMixin:
    def _journals(self, company):
        """The marketplace balance journal (its payments go straight to its
        own account: no statement comes from the marketplace) and the bank
        the payouts reach."""
        Journal = self.env["account.journal"].with_company(company)
        balance = Journal.create(
            {"name": "eBay balance", "type": "bank", "code": f"EB{next(CODES)}"}
        )
        for line in (
            balance.inbound_payment_method_line_ids
            | balance.outbound_payment_method_line_ids
        ):
            line.payment_account_id = balance.default_account_id
        bank = Journal.create(
            {"name": "Payout bank", "type": "bank", "code": f"PB{next(CODES)}"}
        )
        return balance, bank

    def _journals_for(self, account):
        balance, bank = self._journals(account.company_id)
        account.write(
            {"payment_journal_id": balance.id, "payout_bank_journal_id": bank.id}
        )
        return balance, bank

    def _read(self, account=None):
        return (account or self.account)._job_read_finances()

    def _held(self, account=None):
        """What eBay still holds for the seller, as its Finances API says:
        the transactions not paid out yet."""
        api = FinancesApi((account or self.account)._ebay_client())
        transactions, _more = api.get_transactions_page(ago(days=30))
        return round(
            sum(float(t.signed_amount) for t in transactions if not t.payout_id), 2
        )

    def _balance(self, journal):
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", journal.default_account_id.id),
                ("parent_state", "=", "posted"),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)


@tagged("post_install", "-at_install")
class TestFinances(FinanceMixin, OrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chart(cls.env, cls.env.company)

    def setUp(self):
        super().setUp()
        self.balance_journal, self.bank_journal = self._journals(self.env.company)
        self.account.write(
            {
                "payment_journal_id": self.balance_journal.id,
                "payout_bank_journal_id": self.bank_journal.id,
            }
        )

    def _sold_and_paid(self, lines, **extra):
        """A paid eBay order, imported, invoiced and its payment registered
        on the balance journal (what invoicing a paid order does)."""
        bought = self._buy(lines, **extra)
        self._poll()
        order = self.env["marketplace.order"].search(
            [("remote_order_id", "=", bought["orderId"])]
        )
        invoice = order.sale_order_id._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"journal_id": self.balance_journal.id})._create_payments()
        return bought, invoice

    def test_a_payout_reconciled(self):
        first, invoice = self._sold_and_paid(
            [{"sku": "TSHIRT-1", "quantity": 2}], shippingCost=5
        )
        self.assertEqual(invoice.payment_state, "paid")
        self.emulator._call("POST", "finances/charges", json={"amount": 0.35})
        payout = self.emulator._call("POST", "payouts", json={})
        # A second sale after the payout: its money is still held by eBay.
        second, _invoice = self._sold_and_paid([{"sku": "MUG-1", "quantity": 1}])

        result = self._read()
        self.assertIn("3 transaction(s), 1 payout(s) read", result)
        self.assertFalse(self.account.finance_error)
        fees = self.account.fee_ids
        sale_fee = fees.filtered(lambda f: f.remote_id == f"SALE:{first['orderId']}")
        # eBay's fees of the first order: 13.25% of its items and shipping,
        # and 0.40 per order.
        self.assertAlmostEqual(sale_fee.amount, round(gross(first) * 0.1325, 2) + 0.40)
        self.assertEqual(sale_fee.move_id.state, "posted")
        self.assertEqual(sale_fee.move_id.journal_id, self.balance_journal)
        self.assertEqual(len(fees), 3)  # two sales and the charge
        booked = self.account.payout_ids
        self.assertEqual(booked.remote_id, payout["payoutId"])
        self.assertEqual(booked.state, "sent")
        self.assertAlmostEqual(booked.amount, float(payout["amount"]["value"]))
        self.assertEqual(booked.move_id.journal_id, self.balance_journal)
        self.assertFalse(booked.is_reconciled)

        # Read again (the next day's overlap): nothing is booked twice.
        moves = self.env["account.move"].search_count([])
        self._read()
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        self.assertEqual(len(self.account.fee_ids), 3)
        self.assertEqual(len(self.account.payout_ids), 1)

        # The bank's statement line of the payout, matched as Odoo matches
        # an internal transfer: its suspense line against the transfer line.
        line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "amount": float(payout["amount"]["value"]),
                "payment_ref": payout["bankReference"],
            }
        )
        self.assertFalse(line.is_reconciled)
        _liquidity, suspense, _other = line._seek_for_lines()
        transfer = booked._transfer_line()
        suspense.account_id = transfer.account_id
        (suspense + transfer).reconcile()
        self.assertTrue(line.is_reconciled)
        self.assertTrue(booked.is_reconciled)
        # The balance journal holds what eBay still holds: the second sale
        # less its fees.
        self.assertGreater(self._held(), 0)
        self.assertEqual(self._balance(self.balance_journal), self._held())
        self.assertIn(second["orderId"], fees.mapped("order_ref"))
        self._assert_no_contract_violation()

    def test_the_next_read_matches_the_bank_line(self):
        self._sold_and_paid([{"sku": "TSHIRT-1", "quantity": 1}])
        payout = self.emulator._call("POST", "payouts", json={})
        self._read()
        booked = self.account.payout_ids
        amount = float(payout["amount"]["value"])
        Line = self.env["account.bank.statement.line"]
        other = Line.create(
            {
                "journal_id": self.bank_journal.id,
                "amount": amount + 1,
                "payment_ref": "x",
            }
        )
        line = Line.create(
            {
                "journal_id": self.bank_journal.id,
                "amount": amount,
                "payment_ref": payout["bankReference"],
            }
        )
        self.assertIn("1 matched with the bank", self._read())
        self.assertTrue(line.is_reconciled)
        self.assertTrue(booked.is_reconciled)
        self.assertFalse(other.is_reconciled)

    def test_a_refund_credits_fees_back(self):
        bought, _invoice = self._sold_and_paid([{"sku": "TSHIRT-1", "quantity": 1}])
        self.emulator._call("POST", f"orders/{bought['orderId']}/cancel")
        self._read()
        credit = self.account.fee_ids.filtered(
            lambda f: f.remote_id.startswith("REFUND:")
        )
        self.assertEqual(len(credit), 1)
        self.assertAlmostEqual(credit.amount, -round(gross(bought) * 0.1325, 2))
        self.assertEqual(credit.order_ref, bought["orderId"])
        self._assert_no_contract_violation()

    def test_a_failed_payout_comes_back(self):
        self._sold_and_paid([{"sku": "TSHIRT-1", "quantity": 1}])
        payout = self.emulator._call("POST", "payouts", json={})
        self._read()
        booked = self.account.payout_ids
        self.assertEqual(booked.state, "sent")
        held = self._balance(self.balance_journal)
        self.emulator._call(
            "POST", f"payouts/{payout['payoutId']}", json={"status": "TERMINAL_FAILED"}
        )
        self._read()
        self.assertEqual(booked.state, "failed")
        self.assertEqual(booked.reversal_move_id.state, "posted")
        self.assertAlmostEqual(
            self._balance(self.balance_journal), held + float(payout["amount"]["value"])
        )

    def test_nothing_half_booked_without_a_journal(self):
        self._sold_and_paid([{"sku": "TSHIRT-1", "quantity": 1}])
        self.account.payment_journal_id = False
        result = self._read()
        self.assertIn("not booked", result)
        self.assertIn("no marketplace balance journal", self.account.finance_error)
        self.assertFalse(self.account.fee_ids)
        self.assertFalse(self.account.finance_watermark)

    def test_pages_are_all_read(self):
        for _i in range(3):
            self.emulator._call("POST", "finances/charges", json={"amount": 1})
        api = FinancesApi(self.account._ebay_client())
        page, more = api.get_transactions_page(ago(days=1), limit=2)
        self.assertEqual((len(page), more), (2, True))
        self.emulator.clear_calls()
        self._read()
        self.assertEqual(len(self.account.fee_ids), 3)
        calls = self.emulator.calls(path="/sell/finances/v1/transaction$")
        self.assertEqual(len(calls), 1)  # 3 fit a page of 1000

    def test_the_finances_scope_is_asked_for(self):
        finances = f"{SCOPE_PREFIX}/sell.finances"
        self.assertIn(finances, self.account._scope_list())
        # An account connected before the connector read finances.
        old = [s for s in DEFAULT_SCOPES if s != finances]
        account = self._connect(self._new_account(ebay_scopes="\n".join(old)))
        self._journals_for(account)
        self.emulator._call("POST", "finances/charges", json={"amount": 1})
        with self.assertLogs("odoo.addons.marketplace_connector", "WARNING"):
            self._read(account)
        self.assertTrue(account.finance_error)
        self.assertFalse(account.fee_ids)
        # Its reconnect asks eBay for the scope.
        scopes = (
            self.env["ebay.connect.wizard"]
            .with_context(default_account_id=account.id)
            .default_get(["account_id", "scopes"])["scopes"]
        )
        self.assertEqual(scopes.split(), [*old, finances])

    def test_the_cron_queues_one_read_per_account(self):
        with trap_jobs() as trap:
            self.env["marketplace.account"]._cron_read_finances()
        trap.assert_enqueued_job(
            self.account._job_read_finances,
            properties={"identity_key": f"ebay.finances.read:{self.account.id}"},
        )
        self.assertFalse(self.emulator.calls(path=FINANCES))


@tagged("post_install", "-at_install")
class TestFinanceRights(FinanceMixin, TwoCompaniesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chart(cls.env, cls.env.company)

    def setUp(self):
        super().setUp()
        load_chart(self.env, self.company_b)
        balance, bank = self._journals(self.env.company)
        self.account.write(
            {"payment_journal_id": balance.id, "payout_bank_journal_id": bank.id}
        )
        self.balance_b, self.bank_b = self._journals(self.company_b)
        self.account_b.write(
            {
                "payment_journal_id": self.balance_b.id,
                "payout_bank_journal_id": self.bank_b.id,
            }
        )
        self.emulator._call("POST", "finances/charges", json={"amount": 2})
        self._read()
        self._read(self.account_b)
        self.user_a = new_test_user(self.env, login="fin_user_a", groups=USER_GROUPS)
        self.manager_a = new_test_user(
            self.env, login="fin_manager_a", groups=MANAGER_GROUPS
        )

    def test_each_company_sees_its_own(self):
        # The emulator has one seller: both accounts booked its charge.
        self.assertEqual(len(self.account_b.fee_ids), 1)
        self.assertEqual(self.account_b.fee_ids.move_id.company_id, self.company_b)
        fees_b = self.env["marketplace.fee"].with_user(self.user_b).search([])
        self.assertEqual(fees_b, self.account_b.fee_ids)
        fees_a = self.env["marketplace.fee"].with_user(self.user_a).search([])
        self.assertEqual(fees_a, self.account.fee_ids)
        with self.assertRaises(AccessError):
            self.account.fee_ids.with_user(self.user_b).read(["amount"])

    def test_journals_of_another_company_are_refused(self):
        with self.assertRaises(UserError):
            self.account.payout_bank_journal_id = self.bank_b

    def test_people_cannot_write_what_is_booked(self):
        fee = self.account.fee_ids
        for person in (self.user_a, self.manager_a):
            with self.assertRaises(AccessError):
                fee.with_user(person).write({"amount": 0})
            with self.assertRaises(AccessError):
                self.env["marketplace.payout"].with_user(person).create(
                    {
                        "account_id": self.account.id,
                        "remote_id": "1",
                        "date": "2026-01-01",
                        "currency_id": self.env.company.currency_id.id,
                        "state": "sent",
                    }
                )

    def test_only_managers_book_now(self):
        with trap_jobs() as trap:
            with self.assertRaises(AccessError):
                self.account.with_user(self.user_a).action_read_finances()
            trap.assert_jobs_count(0)
            with self.assertRaises(AccessError):
                self.account.with_user(self.manager_b).action_read_finances()
            trap.assert_jobs_count(0)
            self.account.with_user(self.manager_a).action_read_finances()
            trap.assert_jobs_count(1)
