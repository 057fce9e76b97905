"""Bulk work shows progress: a publish or an end of many listings opens a
window that counts them queued, done and in error, with a progress bar,
while their jobs run against the emulators."""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .amazon_common import AmazonCase
from .amazon_listing_common import AmazonListingMixin
from .ebay_common import ListingCase, TwoCompaniesCase

COUNTS = ["total_count", "queued_count", "done_count", "error_count", "other_count"]


class ProgressMixin:
    def _progress_of(self, action, said=None):
        """The progress the action opens; after a notification saying
        ``said`` when given."""
        if said is not None:
            self.assertEqual(action["tag"], "display_notification")
            self.assertEqual(action["params"]["message"], said)
            action = action["params"]["next"]
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "marketplace.bulk.progress")
        return self.env["marketplace.bulk.progress"].browse(action["res_id"])

    def _counts(self, progress):
        progress.invalidate_recordset()
        return [progress[name] for name in COUNTS]

    def _behind(self, progress, method):
        action = getattr(progress, method)()
        return self.env[action["res_model"]].search(action["domain"])


@tagged("post_install", "-at_install")
class TestBulkProgress(ProgressMixin, ListingCase):
    def setUp(self):
        super().setUp()
        self.ready = [
            self._listing(self._product(f"BULK-{i}", f"Bulk lamp {i}", 4))
            for i in (1, 2)
        ]
        # No category: Odoo's check refuses it before any call.
        self.unready = self._product("BULK-3", "Bulk vase", 4)

    def _apply(self, operation, products, said=None):
        wizard = self.env["ebay.listing.action.wizard"].create(
            {
                "account_id": self.account.id,
                "operation": operation,
                "product_ids": [Command.set(products.ids)],
            }
        )
        with trap_jobs():
            action = wizard.action_apply()
        return self._progress_of(action, said)

    def test_counts_follow_the_listings_as_their_jobs_run(self):
        first, second = self.ready
        products = first.product_id | second.product_id | self.unready
        progress = self._apply(
            "publish", products, "2 listing(s) queued for eBay; 1 need fixing first."
        )
        self.assertEqual(progress.name, "Publishing 3 listings")
        refused = self.unready._ebay_listings_for(self.account)
        self.assertEqual(refused.state, "error")
        self.assertEqual(self._counts(progress), [3, 2, 0, 1, 0])
        self.assertAlmostEqual(progress.progress, 100.0 / 3, places=1)
        self.assertFalse(progress.is_done)
        self.assertEqual(self._behind(progress, "action_open_queued"), first | second)
        self.assertEqual(self._behind(progress, "action_open_error"), refused)

        self._run(first)
        self.assertEqual(first.state, "published", first.last_error)
        self.assertEqual(self._counts(progress), [3, 1, 1, 1, 0])
        self.assertFalse(progress.is_done)
        self._run(second)
        self.assertEqual(self._counts(progress), [3, 0, 2, 1, 0])
        self.assertTrue(progress.is_done)
        self.assertEqual(progress.progress, 100.0)
        self.assertEqual(self._behind(progress, "action_open_done"), first | second)
        self.assertEqual(
            self._behind(progress, "action_open_all"), first | second | refused
        )

        # Ending them: the two live ones go, the refused one is not sent.
        ending = self._apply("end", products)
        self.assertEqual(ending.name, "Ending 3 listings")
        self.assertEqual(self._counts(ending), [3, 2, 0, 1, 0])
        self._run(first, "end")
        self._run(second, "end")
        self.assertEqual((first | second).mapped("state"), ["ended", "ended"])
        self.assertEqual(self._counts(ending), [3, 0, 2, 1, 0])
        self.assertTrue(ending.is_done)
        self.assertEqual(self._behind(ending, "action_open_done"), first | second)

    def test_a_listing_not_sent_is_counted_apart(self):
        first, _second = self.ready
        # A draft listing is not live: ending it sends nothing.
        progress = self._apply("end", first.product_id)
        self.assertEqual(self._counts(progress), [1, 0, 0, 0, 1])
        self.assertTrue(progress.is_done)
        self.assertEqual(self._behind(progress, "action_open_other"), first)

    def test_only_listings_have_progress(self):
        with self.assertRaises(ValidationError):
            self.env["marketplace.bulk.progress"].create(
                {
                    "operation": "publish",
                    "res_model": "res.partner",
                    "res_ids": self.env.user.partner_id.ids,
                }
            )


@tagged("post_install", "-at_install")
class TestBulkProgressCompanies(ProgressMixin, TwoCompaniesCase):
    def test_company_b_sees_nothing_of_company_a(self):
        listing = self._listing()
        with trap_jobs():
            listing.action_publish()
        progress = self._progress_of(
            self.env["marketplace.bulk.progress"]._open_for(listing, "publish")
        )
        self.assertEqual(progress.company_id, self.company_a)
        self.assertEqual(self._counts(progress), [1, 1, 0, 0, 0])
        with self.assertRaises(AccessError):
            progress.with_user(self.user_b).read(["queued_count"])
        # B's own progress naming A's listing counts nothing of it.
        own = (
            self.env["marketplace.bulk.progress"]
            .with_user(self.user_b)
            .create(
                {
                    "operation": "publish",
                    "res_model": "ebay.listing",
                    "res_ids": [listing.id, self.listing_b.id],
                }
            )
        )
        self.assertEqual(own.company_id, self.company_b)
        self.assertEqual(self._counts(own), [1, 0, 0, 0, 1], "B's draft listing only")
        action = own.action_open_all()
        listings_b = self.env[action["res_model"]].with_user(self.user_b)
        self.assertEqual(listings_b.search(action["domain"]), self.listing_b)


@tagged("post_install", "-at_install")
class TestAmazonBulkProgress(ProgressMixin, AmazonListingMixin, AmazonCase):
    def test_amazon_publish_wizard_opens_the_progress(self):
        good = self._tee()
        bad = self._tee("TEE-2", barcode=False, amazon_brand=False)
        wizard = Form(
            self.env["amazon.listing.action.wizard"].with_context(
                active_model="product.product", active_ids=(good | bad).ids
            )
        ).save()
        with trap_jobs():
            action = wizard.action_apply()
        progress = self._progress_of(
            action, "1 listing(s) queued for Amazon; 1 need fixing first."
        )
        listings = self.env["amazon.listing"].search(
            [("product_id", "in", (good | bad).ids)]
        )
        published = listings.filtered(lambda l: l.product_id == good)
        self.assertEqual(
            listings.filtered(lambda l: l.product_id == bad).state, "error"
        )
        self.assertEqual(self._counts(progress), [2, 1, 0, 1, 0])
        self._run(published, "_job_run", "publish")
        self.assertEqual(published.state, "published", published.last_error)
        self.assertEqual(self._counts(progress), [2, 0, 1, 1, 0])
        self.assertTrue(progress.is_done)
