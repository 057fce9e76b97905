"""Who may do what with Amazon listings: two companies, a Marketplace User
and a Marketplace Manager of company B; a refusal happens before Amazon,
the queue or the issues see anything."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_common import AmazonCase, AmazonTwoCompaniesMixin
from .amazon_listing_common import AmazonListingMixin


@tagged("post_install", "-at_install")
class TestAmazonListingRights(AmazonListingMixin, AmazonTwoCompaniesMixin, AmazonCase):
    def setUp(self):
        super().setUp()
        self._setup_company_b()
        self.listing_a = self._listing()
        self.emulator.clear_calls()

    def test_company_b_sees_and_touches_nothing_of_a(self):
        for person in (self.user_b, self.manager_b):
            Listing = self.env["amazon.listing"].with_user(person)
            self.assertFalse(Listing.search([("id", "=", self.listing_a.id)]))
            with trap_jobs() as trap, self.assertRaises(AccessError):
                self.listing_a.with_user(person).action_publish()
            self.assertEqual(trap.enqueued_jobs, [])
            with self.assertRaises(AccessError):
                self.listing_a.with_user(person).action_preview()
            Issue = self.env["amazon.listing.issue"].with_user(person)
            self.assertFalse(Issue.search([("listing_id", "=", self.listing_a.id)]))
        self.assertEqual(self.listing_a.state, "draft")
        self.assertFalse(self.listing_a.issue_ids)
        self.assertEqual(self._submissions(), [])
        self.assertEqual(self.emulator.calls(path="^/listings/"), [])

    def test_a_listing_stays_in_its_account_and_company(self):
        with self.assertRaises(AccessError):
            self.listing_a.with_user(self.manager_b).write(
                {"account_id": self.account_b.id}
            )
        # Company B's user cannot list A's own product on B's account.
        self.listing_a.product_id.product_tmpl_id.company_id = self.company_a
        # An AccessError (A's product) or check_company's UserError.
        with self.assertRaises(UserError):
            self.env["amazon.listing"].with_user(self.user_b).create(
                {
                    "account_id": self.account_b.id,
                    "participation_id": self._us(self.account_b).id,
                    "product_id": self.listing_a.product_id.id,
                }
            )

    def test_user_publishes_but_does_not_write_what_amazon_says(self):
        # A product shared by the companies, listed on B's account.
        product_b = self._tee("TEE-B", barcode="4006381333948")
        listing_b = self._listing(product_b, account=self.account_b)
        as_user = listing_b.with_user(self.user_b)
        for field, value in (
            ("asin", "B000000000"),
            ("amazon_status", "BUYABLE"),
            ("state", "published"),
            ("submission_id", "x"),
        ):
            with self.assertRaises(AccessError):
                as_user.write({field: value})
        Issue = self.env["amazon.listing.issue"].with_user(self.user_b)
        with self.assertRaises(AccessError):
            Issue.create(
                {"listing_id": listing_b.id, "message": "fake", "source": "amazon"}
            )
        with self.assertRaises(AccessError):
            as_user.unlink()
        with self.assertRaises(AccessError):
            self.env["amazon.product.type"].with_user(self.manager_b).create(
                {"code": "FAKE", "marketplace_code": "ATVPDKIKX0DER"}
            )
        with trap_jobs() as trap:
            as_user.action_publish()
        self.assertEqual(listing_b.state, "queued")
        self.assertEqual(len(trap.enqueued_jobs), 1)
        # B's manager may delete B's listing.
        listing_b.with_user(self.manager_b).unlink()
        self.assertFalse(listing_b.exists())
