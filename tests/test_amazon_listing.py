"""Amazon listings against the emulator: the product type chosen by search
and cached by checksum, Odoo's schema check before any call, Amazon's
preview, put, patch, delete and re-list, the read-back of what Amazon
decided after accepting, and the call log with Amazon's request ids."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.marketplace.job_edge import job_limits
from .amazon_common import CLIENT_LOGGER, US, AmazonCase
from .amazon_listing_common import LISTINGS, AmazonListingMixin

SCHEMA_LINK = "product-types|productTypes/.+/schema|schemas"


@tagged("post_install", "-at_install")
class TestAmazonProductType(AmazonListingMixin, AmazonCase):
    def test_search_and_choose_caches_the_schema_by_checksum(self):
        template = self.env["product.template"].create({"name": "Cotton shirt"})
        action = template.action_search_amazon_product_type()
        wizard = (
            self.env[action["res_model"]]
            .with_context(action["context"])
            .create({"account_id": self.account.id, "marketplace_code": US})
        )
        self.assertEqual(wizard.keywords, "Cotton shirt")
        wizard.action_search()
        self.assertIn("SHIRT", wizard.line_ids.mapped("code"))
        self.assertNotIn("HEADPHONES", wizard.line_ids.mapped("code"))
        wizard.line_ids.filtered(lambda l: l.code == "SHIRT").action_choose()
        product_type = template.amazon_product_type_id
        self.assertEqual(
            (product_type.code, product_type.marketplace_code), ("SHIRT", US)
        )
        self.assertTrue(product_type.checksum)
        self.assertIn('"item_name"', product_type.schema)
        # Every call is in the call log with Amazon's request id.
        calls = self.env["marketplace.call"].search(
            [("account_id", "=", self.account.id)]
        )
        operations = set(calls.mapped("operation"))
        self.assertLessEqual(
            {"searchDefinitionsProductTypes", "getDefinitionsProductType"}, operations
        )
        self.assertTrue(all(calls.mapped("request_id")))
        # The same checksum again: the definition is asked, the schema is
        # not downloaded a second time.
        downloads = len(calls.filtered(lambda c: "download" in c.operation.lower()))
        self.assertEqual(downloads, 1)
        again = self._shirt_type()
        self.assertEqual(again, product_type)
        calls = self.env["marketplace.call"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(
            len(calls.filtered(lambda c: "download" in c.operation.lower())), 1
        )


@tagged("post_install", "-at_install")
class TestAmazonListing(AmazonListingMixin, AmazonCase):
    def setUp(self):
        super().setUp()
        self.emulator.clear_calls()

    # -- Odoo's check --------------------------------------------------------------
    def test_schema_problems_are_shown_on_the_product_and_nothing_is_sent(self):
        product = self._tee(amazon_brand=False, amazon_attribute_overrides=False)
        listing = self._listing(product)
        self.emulator.clear_calls()
        listing.action_publish()
        self.assertEqual(listing.state, "error")
        issues = product.amazon_issue_ids
        self.assertEqual(set(issues.mapped("source")), {"validation"})
        names = issues.mapped("attribute_names")
        self.assertIn("brand", names)
        self.assertIn("department", names)
        self.assertIn("Brand", listing.last_error)
        self.assertEqual(self._submissions(), [], "nothing was sent to Amazon")
        self.assertIsNone(self._on_amazon(listing.sku))

    def test_wrong_barcode_is_a_problem_before_anything_is_sent(self):
        product = self._tee()
        product.barcode = "4006381333932"  # last digit mistyped
        listing = self._listing(product)
        listing.action_publish()
        self.assertEqual(listing.state, "error")
        self.assertIn("check digit", listing.last_error)
        self.assertEqual(self._submissions(), [])

    def test_job_checks_again_before_the_put(self):
        """Between the action and the job the product lost its brand: the
        job finds it and sends nothing."""
        product = self._tee()
        listing = self._listing(product)
        self._queue_publish(listing)
        product.product_tmpl_id.amazon_brand = False
        self._run(listing, "_job_run", "publish")
        self.assertEqual(listing.state, "error")
        self.assertIn("brand", listing.issue_ids.mapped("attribute_names"))
        self.assertEqual(self._submissions(), [])

    # -- preview ---------------------------------------------------------------------
    def test_preview_valid_creates_nothing(self):
        listing = self._listing()
        listing.action_preview()
        self.assertEqual(listing.preview_status, "VALID")
        self.assertFalse(listing.issue_ids)
        put = self.emulator.calls(path=LISTINGS, method="PUT")
        self.assertEqual(len(put), 1)
        self.assertEqual(put[0]["query"]["mode"], "VALIDATION_PREVIEW")
        self.assertIsNone(self._on_amazon(listing.sku))
        self.assertEqual(listing.state, "draft")

    def test_preview_invalid_shows_amazons_issues(self):
        product = self._tee(amazon_attribute_overrides=False)
        listing = self._listing(product)
        result = listing.action_preview()
        self.assertEqual(listing.preview_status, "INVALID")
        amazon = listing.issue_ids.filtered(lambda i: i.source == "preview")
        self.assertTrue(amazon, "Amazon's own issues are shown")
        self.assertIn("department", " ".join(amazon.mapped("attribute_names")))
        self.assertTrue(amazon.mapped("code"))
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIsNone(self._on_amazon(listing.sku))

    # -- put, read back, patch, delete -----------------------------------------------
    def test_put_accepted_then_read_back_buyable(self):
        listing = self._listing()
        trap = self._publish(listing)
        self.assertEqual(listing.state, "published")
        self.assertTrue(listing.is_live)
        self.assertTrue(listing.submission_id)
        self.assertFalse(listing.amazon_status, "ACCEPTED is not applied")
        readback = [j for j in trap.enqueued_jobs if j.method_name == "_job_readback"]
        self.assertEqual(len(readback), 1, "the read-back waits for Amazon")
        self.assertTrue(readback[0].eta)
        put = self.emulator.calls(path=LISTINGS, method="PUT")[-1]
        body = put["body"]
        attributes = body["attributes"]
        self.assertEqual(body["productType"], "SHIRT")
        self.assertEqual(attributes["brand"][0]["value"], "Odoo Wear")
        self.assertEqual(
            attributes["externally_assigned_product_identifier"][0]["type"], "ean"
        )
        self.assertEqual(
            attributes["fulfillment_availability"][0]["quantity"],
            listing.pushed_quantity,
        )
        self.assertEqual(listing.pushed_quantity, 12)
        image = attributes["main_product_image_locator"][0]["media_location"]
        self.assertIn(f"/web/image/product.product/{listing.product_id.id}/", image)
        # Read back after Amazon applied it: status, ASIN.
        self._applied(listing)
        self.assertIn("BUYABLE", listing.amazon_status)
        self.assertTrue(listing.asin)
        self.assertEqual(self._on_amazon(listing.sku)["productType"], "SHIRT")
        calls = listing.call_ids
        self.assertEqual(
            set(calls.mapped("operation")) & {"putListingsItem", "getListingsItem"},
            {"putListingsItem", "getListingsItem"},
        )
        request_ids = {c["request_id"] for c in self.emulator.calls(path=LISTINGS)}
        self.assertLessEqual(set(calls.mapped("request_id")), request_ids)

    def test_read_back_before_amazon_applied_looks_again_later(self):
        self.emulator.config(apply_delay=3600)
        listing = self._listing()
        self._publish(listing)
        trap = self._run(listing, "_job_readback")
        self.assertFalse(listing.amazon_status)
        self.assertEqual(listing.readback_count, 1)
        again = [j for j in trap.enqueued_jobs if j.method_name == "_job_readback"]
        self.assertEqual(len(again), 1)

    def test_issues_raised_after_acceptance_are_read_back(self):
        listing = self._listing()
        self._publish(listing)
        self.emulator.apply_pending()
        self.emulator.add_issue(
            self.SELLER,
            listing.sku,
            US,
            {
                "code": "18027",
                "message": "The image could not be downloaded.",
                "severity": "ERROR",
                "attributeNames": ["main_product_image_locator"],
                "categories": ["INVALID_IMAGE"],
            },
        )
        self._run(listing, "_job_readback")
        issue = listing.product_id.amazon_issue_ids.filtered(
            lambda i: i.source == "amazon"
        )
        self.assertEqual(issue.code, "18027")
        self.assertEqual(issue.attribute_names, "main_product_image_locator")
        self.assertNotIn("BUYABLE", listing.amazon_status or "")

    def test_patch_sends_price_and_quantity(self):
        listing = self._listing()
        self._publish(listing)
        self._applied(listing)
        listing.price = 24.5
        # 12 in stock, 5 held back: 7 offered (the neutral stock rules).
        self.account.stock_buffer = 5
        listing.action_update_offer()
        self._run(listing, "_job_run", "patch")
        self.assertEqual(listing.state, "published")
        patch = self.emulator.calls(path=LISTINGS, method="PATCH")[-1]["body"]
        ops = {p["path"]: p["op"] for p in patch["patches"]}
        self.assertEqual(ops["/attributes/fulfillment_availability"], "merge")
        self.emulator.apply_pending()
        attributes = self._on_amazon(listing.sku)["attributes"]
        self.assertEqual(attributes["fulfillment_availability"][0]["quantity"], 7)
        price = attributes["purchasable_offer"][0]["our_price"][0]["schedule"][0]
        self.assertEqual(price["value_with_tax"], 24.5)
        self.assertEqual((listing.pushed_quantity, listing.pushed_price), (7, 24.5))

    def test_delete_then_relist(self):
        listing = self._listing()
        self._publish(listing)
        self._applied(listing)
        listing.action_delete()
        self._run(listing, "_job_run", "delete")
        self.assertEqual(listing.state, "ended")
        self.assertFalse(listing.is_live)
        self.emulator.apply_pending()
        self.assertIsNone(self._on_amazon(listing.sku))
        self._publish(listing)
        self.assertEqual(listing.state, "published")
        self._applied(listing)
        self.assertIn("BUYABLE", listing.amazon_status)

    # -- failures --------------------------------------------------------------------
    @mute_logger(CLIENT_LOGGER, "odoo.addons.marketplace_connector.apiclient")
    def test_throttled_put_is_tried_again_later(self):
        listing = self._listing()
        self._queue_publish(listing)
        self.emulator.fault(LISTINGS, "429", method="PUT")
        trap = self._run(listing, "_job_run", "publish")
        self.assertEqual(listing.state, "queued")
        self.assertEqual(listing.retry_count, 1)
        retry = [j for j in trap.enqueued_jobs if j.kwargs.get("marketplace_try")]
        self.assertEqual(len(retry), 1)
        self.assertIsNone(self._on_amazon(listing.sku))
        failed = listing.call_ids.filtered(lambda c: c.http_status == 429)
        self.assertEqual(len(failed), 1)

    @mute_logger(CLIENT_LOGGER, "odoo.addons.marketplace_connector.apiclient")
    def test_gives_up_into_the_dead_letter_inbox_and_requeues(self):
        listing = self._listing()
        self._queue_publish(listing)
        self.emulator.fault(LISTINGS, "503", method="PUT", times=-1)
        tries = job_limits(self.env, "amazon.listing", "_job_run")[1]
        job = None
        for _try in range(tries):
            with trap_jobs() as trap:
                if job:
                    job.perform()
                else:
                    listing.sudo()._job_run("publish")
            following = [
                j for j in trap.enqueued_jobs if j.kwargs.get("marketplace_try")
            ]
            job = following[0] if following else None
        self.assertIsNone(job, "no try after the last")
        self.assertEqual(listing.state, "failed")
        self.assertEqual(listing.retry_count, tries)
        self.assertEqual(
            len(listing.call_ids.filtered(lambda c: c.http_status == 503)), tries
        )
        letter = self.env["marketplace.dead.letter"].search(
            [("res_model", "=", "amazon.listing"), ("res_id", "=", listing.id)]
        )
        self.assertEqual((letter.kind, letter.state), ("listing", "open"))
        self.assertIsNone(self._on_amazon(listing.sku))
        # Amazon is back: Requeue from the letter publishes it.
        self.emulator.clear_faults()
        with trap_jobs():
            letter.action_requeue()
        self.assertEqual(listing.state, "queued")
        self._run(listing, "_job_run", "publish")
        self.assertEqual(listing.state, "published")
        self.assertNotEqual(letter.state, "open")

    def test_override_amazon_does_not_allow_is_caught_before_the_put(self):
        """An override with a value the product type does not allow, given
        after the action's check: the job's check finds it, nothing is sent."""
        product = self._tee()
        listing = self._listing(product)
        self._queue_publish(listing)
        product.product_tmpl_id.amazon_attribute_overrides = (
            '{"department": [{"value": "martians", "language_tag": "en_US"}]}'
        )
        self._run(listing, "_job_run", "publish")
        self.assertEqual(listing.state, "error")
        self.assertIn("Department", listing.last_error)
        self.assertEqual(self._submissions(), [])
