"""Two companies: what a user and a manager of company B can reach of A.

Company A is the test company with its connected seller account; company B
gets its own connected account, a Marketplace User and a Marketplace
Manager who belong to B only.  Calls go through ``with_user(...)``, as an
RPC call of that person does (not as the superuser the tests run as).
"""

from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.tests.common import trap_jobs

from .ebay_common import PUSH, TwoCompaniesCase


class TestCompanyIsolation(TwoCompaniesCase):
    def test_a_listing_takes_its_account_company(self):
        self.assertEqual(self.listing_b.company_id, self.company_b)
        self.assertEqual(self.listing_b.create_uid, self.user_b)

    def test_b_people_cannot_move_a_listing_onto_a_account(self):
        for person in (self.user_b, self.manager_b):
            listing = self.listing_b.with_user(person)
            with self.assertRaises(AccessError, msg=person.login):
                listing.write({"account_id": self.account.id})
            with self.assertRaises(AccessError, msg=person.login):
                listing.write(
                    {"account_id": self.account.id, "company_id": self.company_a.id}
                )
            with self.assertRaises(AccessError, msg=person.login):
                listing.write({"company_id": self.company_a.id})
        self.assertEqual(self.listing_b.account_id, self.account_b)
        self.assertEqual(self.listing_b.company_id, self.company_b)

    def test_b_people_cannot_create_records_on_a_account(self):
        listing_a = self._listing()
        for person in (self.user_b, self.manager_b):
            Listing = self.env["ebay.listing"].with_user(person)
            # A's account is not readable for them: its company is not taken.
            with self.assertRaises(AccessError, msg=person.login):
                Listing.create(
                    {"account_id": self.account.id, "product_id": self.product_b.id}
                )
            # Naming their own company does not pass the company check.
            with self.assertRaises(UserError, msg=person.login):
                Listing.create(
                    {
                        "account_id": self.account.id,
                        "company_id": self.company_b.id,
                        "product_id": self.product_b.id,
                    }
                )
            # Item specifics on A's listing: the record rule refuses them.
            with self.assertRaises(AccessError, msg=person.login):
                self.env["ebay.listing.aspect"].with_user(person).create(
                    {"listing_id": listing_a.id, "name": "Brand", "value": "Forged"}
                )
        manager_b = self.env["ebay.policy"].with_user(self.manager_b)
        with self.assertRaises(AccessError):
            manager_b.create(
                {"account_id": self.account.id, "kind": "payment", "name": "Forged"}
            )
        self.assertFalse(listing_a.aspect_ids)

    def test_item_specifics_stay_on_their_listing(self):
        listing_a = self._listing()
        aspect = (
            self.env["ebay.listing.aspect"]
            .with_user(self.user_b)
            .create({"listing_id": self.listing_b.id, "name": "Colour", "value": "Red"})
        )
        self.assertEqual(aspect.company_id, self.company_b)
        for person in (self.user_b, self.manager_b):
            with self.assertRaises(AccessError, msg=person.login):
                aspect.with_user(person).write({"listing_id": listing_a.id})
        self.assertFalse(listing_a.aspect_ids)
        # What the form does stays allowed.
        aspect.with_user(self.user_b).write({"value": "Blue"})
        self.assertEqual(self.listing_b.aspect_ids.value, "Blue")

    def test_b_people_do_not_read_a_records(self):
        listing_a = self._published()
        aspect_a = self.env["ebay.listing.aspect"].create(
            {"listing_id": listing_a.id, "name": "Brand", "value": "Acme"}
        )
        records_a = [
            self.account,
            listing_a,
            aspect_a,
            self.account.ebay_policy_ids[:1],
            self.env["marketplace.call"].search(
                [("account_id", "=", self.account.id)], limit=1
            ),
        ]
        for person in (self.user_b, self.manager_b):
            for record in records_a:
                self.assertTrue(record, record._name)
                Model = self.env[record._name].with_user(person)
                self.assertFalse(
                    Model.search([("id", "=", record.id)]),
                    f"{person.login} finds {record._name} of A",
                )
                with self.assertRaises(AccessError, msg=record._name):
                    Model.browse(record.id).read(["display_name"])
            # Their own company's records, they do see.
            self.assertEqual(
                self.env["ebay.listing"].with_user(person).search([]), self.listing_b
            )

    def test_stock_push_of_a_never_sends_b_listing(self):
        listing_a = self._published()
        # The attack seen: B's listing moved onto A's account, marked live
        # with A's offer and pending, so that A's next push sends it.
        attack = {
            "account_id": self.account.id,
            "is_live": True,
            "offer_id": listing_a.offer_id,
            "push_pending": True,
        }
        for person in (self.user_b, self.manager_b):
            listing = self.listing_b.with_user(person)
            with self.assertRaises(AccessError, msg=person.login):
                listing.write(attack)
            for name, value in attack.items():
                with self.assertRaises(AccessError, msg=f"{person.login}: {name}"):
                    listing.write({name: value})
        self.assertFalse(self.listing_b.is_live or self.listing_b.push_pending)
        self.product.lst_price = 25.0  # A's own listing has something to push
        self.emulator._call("DELETE", "calls")
        self._perform_pushes()
        pushed = [
            request["sku"]
            for call in self.emulator.calls(path=PUSH)
            for request in call["body"]["requests"]
        ]
        self.assertEqual(pushed, [listing_a.sku])

    def test_b_notified_orders_are_imported_in_b(self):
        """The batch import runs as the account's company, whatever company
        the job's user works in (A here)."""
        listing = self._published(self.product_b)
        order_id = self.emulator._call(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": listing.sku, "quantity": 1}],
                "buyer": {"username": "b_buyer"},
                "notify": False,
            },
        )["orderId"]
        notification = self.env["marketplace.notification"]._store_once(
            self.account_b,
            "b-note-1",
            "ORDER_CONFIRMATION",
            None,
            {"orderId": order_id},
        )
        self.assertEqual(self.env.company, self.company_a)
        with trap_jobs() as trap:
            notification._enqueue()
            trap.perform_enqueued_jobs()
        self.assertEqual(notification.state, "done", notification.result)
        sale = self.env["sale.order"].search([("client_order_ref", "=", order_id)])
        self.assertEqual(sale.company_id, self.company_b)
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.warehouse_id, self.warehouse_b)
        self.assertEqual(sale.picking_ids.company_id, self.company_b)
        self.assertEqual(
            sale.order_line.move_ids.location_id.warehouse_id, self.warehouse_b
        )
