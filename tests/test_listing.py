from odoo import fields
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from ..ebay import EbayNotFound, payloads
from ..models.ebay.ebay_listing import REVISIONS_PER_DAY
from .ebay_common import INVENTORY, ListingCase, revoke_and_poll


class TestSellerSetup(ListingCase):
    def test_policies_location_and_defaults(self):
        self.assertTrue(self.account.ebay_business_policies_opted_in)
        for field in (
            "ebay_fulfillment_policy_id",
            "ebay_payment_policy_id",
            "ebay_return_policy_id",
        ):
            self.assertTrue(self.account[field].policy_id, field)
        self.assertEqual(len(self.account.ebay_policy_ids), 3, "synced, not duplicated")
        self.assertTrue(self.account.ebay_merchant_location_key)
        location = self._api().get_inventory_location(
            self.account.ebay_merchant_location_key
        )
        self.assertEqual(location["location"]["address"]["postalCode"], "95125")
        # Opting in and creating the location again are harmless.
        key = self.account.ebay_merchant_location_key
        policy_ids = self.account.ebay_policy_ids.mapped("policy_id")
        self.account.action_opt_in_business_policies()
        self.account.action_create_location()
        self.account.action_sync_policies()
        self.assertEqual(len(self.account.ebay_policy_ids), 3)
        self.assertEqual(self.account.ebay_policy_ids.mapped("policy_id"), policy_ids)
        self.assertEqual(self.account.ebay_merchant_location_key, key)


class TestPublish(ListingCase):
    def test_publish_queues_a_job_then_lists_the_product(self):
        listing = self._listing()
        with trap_jobs() as trap:
            listing.action_publish()
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                listing._job_run,
                args=("publish",),
                properties={
                    "identity_key": f"ebay.listing.publish:{listing.id}",
                    "channel": None,  # the job function's, declared in data/
                },
            )
            self.assertEqual(
                trap.enqueued_jobs[0].job_config.channel, "root.ebay.listing"
            )
        self.assertEqual(listing.state, "queued")
        self.assertFalse(self.emulator.calls(path=INVENTORY), "no call before the job")
        self._run(listing)
        seen = {c["request_id"] for c in self.emulator.calls(path=INVENTORY)}
        self.assertEqual(listing.state, "published")
        self.assertTrue(listing.offer_id and listing.ebay_listing_id)
        offer = self._api().get_offer(listing.offer_id)
        self.assertEqual(offer["status"], "PUBLISHED")
        self.assertEqual(offer["availableQuantity"], 12)
        self.assertEqual(
            offer["pricingSummary"]["price"], {"value": "19.90", "currency": "USD"}
        )
        # Every call is an attempt, with the correlation id eBay saw.
        attempts = listing.call_ids.sorted("id")
        self.assertEqual(
            attempts.mapped("operation"),
            [
                "createOrReplaceInventoryItem",
                "getOffers",
                "createOffer",
                "publishOffer",
            ],
        )
        self.assertEqual(set(attempts.mapped("state")), {"success"})
        self.assertEqual(set(attempts.mapped("request_id")), seen)
        self.assertEqual(len(seen), 4)
        # A second job for the same operation finds nothing to do.
        self.assertIn("skipped", listing._job_run("publish"))

    def test_validation_refuses_before_any_call(self):
        listing = self._listing(image_urls=False, category_id=False, title="x" * 81)
        self.account.ebay_return_policy_id = False
        with trap_jobs() as trap:
            listing.action_publish()
            trap.assert_jobs_count(0)
        self.assertEqual(listing.state, "error")
        for text in ("80", "image", "category", "return policy"):
            self.assertIn(text, listing.last_error)
        self.assertFalse(self.emulator.calls(path=INVENTORY))
        # Shown where the seller works: on the product.
        self.assertEqual(self.product.ebay_listing_ids.last_error, listing.last_error)

    def test_required_aspects_are_checked_before_any_listing_call(self):
        listing = self._listing(category_id="15687")  # needs Brand, Size, Color
        listing.action_publish()
        self.assertEqual(listing.state, "error")
        for name in ("Brand", "Size", "Color"):
            self.assertIn(f"requires the aspect {name}", listing.last_error)
        self.assertFalse(self.emulator.calls(path=INVENTORY))
        taxonomy = self.emulator.calls(path="^/commerce/taxonomy/")
        self.assertEqual(len(taxonomy), 2, "tree id + aspects, with an app token")
        # Cached: validating again asks eBay nothing.
        listing.action_publish()
        self.assertEqual(len(self.emulator.calls(path="^/commerce/taxonomy/")), 2)
        for name, value in (("Brand", "Odoo"), ("Size", "M"), ("Color", "Blue")):
            listing.aspect_ids.create(
                {"listing_id": listing.id, "name": name, "value": value}
            )
        listing.action_publish()
        self.assertEqual(listing.state, "queued")
        # A category that is not a leaf is refused with a clear message.
        other = self._listing(
            self._product("CASE-1", "Phone case", 1), category_id="15032"
        )
        other.action_publish()
        self.assertIn("not a leaf category", other.last_error)

    def test_suggested_category(self):
        listing = self._listing(title="Organic T-Shirts for summer", category_id=False)
        listing.action_suggest_category()
        self.assertEqual(listing.category_id, "15687")

    def test_ebay_refusal_is_made_actionable(self):
        listing = self._listing()
        # The policy was deleted on eBay's site: only eBay can tell.
        self.account.ebay_fulfillment_policy_id.policy_id = "999999"
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "error")
        self.assertIn("shipping (fulfillment) policy", listing.last_error)
        self.assertIn("25007", listing.last_error)
        failed = listing.call_ids.filtered(
            lambda a: a.state == "failed" and a.error_codes
        )
        self.assertEqual(failed.operation, "publishOffer")
        self.assertEqual(failed.error_codes, "25007")
        # Fix the data, requeue: it goes through and reuses the same offer.
        offer_id = listing.offer_id
        self.account.action_sync_policies()
        self.account.ebay_fulfillment_policy_id = self.account.ebay_policy_ids.filtered(
            lambda p: p.kind == "fulfillment" and p.policy_id != "999999"
        )[:1]
        listing.action_requeue()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        self.assertEqual(listing.offer_id, offer_id)

    def test_rerun_after_a_lost_transaction_creates_no_second_offer(self):
        listing = self._listing()
        listing.action_publish()
        # A first run created the item and the offer on eBay, then its worker
        # died before Odoo committed: Odoo knows no offer id.
        data = listing._listing_data()
        api = self._api()
        api.create_or_replace_inventory_item(listing.sku, payloads.inventory_item(data))
        lost_offer = api.create_offer(payloads.offer(data))["offerId"]
        self.assertFalse(listing.offer_id)
        self._run(listing)
        self.assertEqual(listing.state, "published")
        self.assertEqual(listing.offer_id, lost_offer)
        offers = api.get_offers(listing.sku)["offers"]
        self.assertEqual(len(offers), 1)

    def test_duplicate_offer_answer_is_reused(self):
        listing = self._listing()
        listing.action_publish()
        data = listing._listing_data()
        api = self._api()
        api.create_or_replace_inventory_item(listing.sku, payloads.inventory_item(data))
        existing = api.create_offer(payloads.offer(data))["offerId"]
        # getOffers fails for now: createOffer answers "already exists".
        self.emulator.fault("^/sell/inventory/v1/offer$", "500", method="GET")
        listing_retry = self._run(listing)
        # The 500 on the look-up is transient: retried, nothing duplicated.
        self.assertEqual(listing.state, "queued")
        self.assertEqual(len(listing_retry.enqueued_jobs), 1)
        self._run(listing)
        self.assertEqual(listing.offer_id, existing)
        self.assertEqual(len(api.get_offers(listing.sku)["offers"]), 1)

    def test_429_storm_retries_then_dead_letters_then_requeues(self):
        listing = self._listing()
        listing.action_publish()
        self.emulator.fault(INVENTORY, "429", times=-1, retry_after=7)
        max_tries = self._listing_tries()
        for attempt in range(1, max_tries):
            trap = self._run(listing)
            self.assertEqual(listing.state, "queued")
            self.assertEqual(listing.retry_count, attempt)
            self.assertEqual(len(trap.enqueued_jobs), 1, "re-enqueued with an eta")
            eta = trap.enqueued_jobs[0].eta
            self.assertTrue(eta, "backoff uses an eta")
            self.assertIn("unavailable for now", listing.last_error)
        trap = self._run(listing)
        self.assertEqual(listing.state, "failed")
        self.assertFalse(trap.enqueued_jobs)
        self.assertIn(f"Gave up after {max_tries} tries", listing.last_error)
        self.assertEqual(
            set(listing.call_ids.mapped("error_codes")),
            {"2001"},
            "every try is logged",
        )
        self.assertEqual(len(listing.call_ids), max_tries)
        # Staff requeue the dead letter once eBay is back.
        self.emulator.clear_faults()
        with trap_jobs() as trap:
            listing.action_requeue()
            trap.assert_jobs_count(1)
        self._run(listing)
        self.assertEqual(listing.state, "published")

    def test_5xx_and_dropped_connection_mid_publish_lose_nothing(self):
        listing = self._listing()
        listing.action_publish()
        self.emulator.fault("/publish$", "drop")
        self._run(listing)
        self.assertEqual(listing.state, "queued")
        self.assertTrue(listing.offer_id, "the offer made before the drop is kept")
        self.emulator.fault("/publish$", "503", retry_after=2)
        self._run(listing)
        self.assertEqual(listing.state, "queued")
        self._run(listing)
        self.assertEqual(listing.state, "published")
        self.assertEqual(len(self._api().get_offers(listing.sku)["offers"]), 1)

    @mute_logger(
        "odoo.addons.marketplace_connector.ebay.client",
        "odoo.addons.marketplace_connector.ebay.auth",
        "odoo.addons.marketplace_connector.models.marketplace.marketplace_account",
    )
    def test_account_needing_reauthorisation_stops_listing_calls(self):
        listing = self._listing()
        listing.action_publish()
        revoke_and_poll(self, self.account)
        token_calls = len(self.emulator.token_calls())
        self._run(listing)
        self.assertEqual(listing.state, "error")
        self.assertIn("connect it again", listing.last_error)
        self.assertFalse(self.emulator.calls(path=INVENTORY))
        self.assertEqual(len(self.emulator.token_calls()), token_calls)


class TestLifecycle(ListingCase):
    def _published(self):
        listing = self._listing()
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published")
        return listing

    def test_revise_end_relist_delete(self):
        listing = self._published()
        listing_id = listing.ebay_listing_id
        listing.price = 24.5
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published")
        self.assertEqual(
            self._api().get_offer(listing.offer_id)["pricingSummary"]["price"]["value"],
            "24.50",
        )
        self.assertEqual(listing.revisions_today, 2)
        self.assertEqual(listing.call_ids.sorted("id")[-1].operation, "updateOffer")
        listing.action_end()
        self._run(listing, "end")
        self.assertEqual(listing.state, "ended")
        self.assertEqual(
            self._api().get_offer(listing.offer_id)["status"], "UNPUBLISHED"
        )
        listing.action_publish()
        self._run(listing)
        self.assertEqual(
            (listing.state, listing.ebay_listing_id), ("published", listing_id)
        )
        listing.action_retrieve()
        self._run(listing, "retrieve")
        self.assertEqual(listing.state, "published")
        offer_id = listing.offer_id
        listing.action_delete_offer()
        self._run(listing, "delete")
        self.assertEqual((listing.state, listing.offer_id), ("draft", False))
        with self.assertRaises(EbayNotFound):
            self._api().get_offer(offer_id)

    def test_revision_budget_defers_to_tomorrow(self):
        listing = self._published()
        listing.write(
            {
                "revision_day": fields.Date.context_today(listing),
                "revisions_today": REVISIONS_PER_DAY - 1,
            }
        )
        listing.action_publish()
        calls_before = len(self.emulator.calls())
        trap = self._run(listing)
        self.assertEqual(
            len(self.emulator.calls()), calls_before, "nothing sent to fail"
        )
        self.assertEqual(len(trap.enqueued_jobs), 1)
        self.assertGreater(trap.enqueued_jobs[0].eta, fields.Datetime.now())
        self.assertIn("deferred", listing.last_error)
        # Tomorrow the budget is back and the revision goes through.
        listing.revision_day = fields.Date.subtract(
            fields.Date.context_today(listing), days=1
        )
        self._run(listing)
        self.assertEqual(listing.state, "published")


class TestListingState(ListingCase):
    def test_state_changes_only_through_the_guarded_method(self):
        listing = self._listing()
        self.assertEqual(listing.state, "draft")
        with self.assertRaises(ValueError):
            listing.sudo().write({"state": "published"})
        with self.assertRaises(ValueError):
            listing._set_state("live")
        with self.assertRaises(ValueError):
            listing._set_state("failed", last_error="gave up")  # nothing was queued
        self.assertEqual((listing.state, listing.last_error), ("draft", False))
        listing._set_state("queued", pending_operation="publish")
        self.assertEqual(
            (listing.state, listing.pending_operation), ("queued", "publish")
        )
        listing._set_state("failed", last_error="gave up")
        self.assertEqual((listing.state, listing.last_error), ("failed", "gave up"))

    def test_every_listing_model_is_found_through_the_mixin(self):
        """The neutral stock marks find the channels' listings this way."""
        names = self.env["marketplace.listing.mixin"]._listing_models()
        self.assertEqual(sorted(names), ["amazon.listing", "ebay.listing"])


class TestBulkWizard(ListingCase):
    def test_preview_then_publish_some(self):
        ready = self.product
        self._listing()  # image and category set on its listing
        broken = self._product("MUG-1", "Mug", 3)
        wizard = (
            self.env["ebay.listing.action.wizard"]
            .with_context(
                active_model="product.product", active_ids=(ready | broken).ids
            )
            .create({"account_id": self.account.id, "operation": "publish"})
        )
        self.assertEqual(wizard.ready_count, 1)
        self.assertIn("Mug", wizard.preview)
        self.assertIn("image", wizard.preview)
        with trap_jobs() as trap:
            wizard.action_apply()
            trap.assert_jobs_count(1)
        listings = (ready | broken).ebay_listing_ids
        self.assertEqual(sorted(listings.mapped("state")), ["error", "queued"])


class TestFeesAndAspects(ListingCase):
    def test_fee_preview_before_publishing(self):
        listing = self._listing()
        listing.action_preview_fees()
        self.assertEqual(listing.fee_preview, "Insertion fee: $\xa00.35")
        self.assertFalse(listing.is_live)
        self.assertEqual(
            self._api().get_offer(listing.offer_id)["status"], "UNPUBLISHED"
        )
        # Publishing afterwards reuses the priced offer.
        offer_id = listing.offer_id
        listing.action_publish()
        self._run(listing)
        self.assertEqual((listing.state, listing.offer_id), ("published", offer_id))

    def test_aspects_are_normalised(self):
        listing = self._listing()
        for name, value in (
            ("Color ", " Blue"),
            ("Color", "blue"),
            ("Material", "Cotton  blend"),
        ):
            listing.aspect_ids.create(
                {"listing_id": listing.id, "name": name, "value": value}
            )
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        # What eBay received: one value per aspect, trimmed, inner spaces
        # collapsed ("Blue " and "blue" would be two values eBay refuses).
        item = self._api().get_inventory_item(listing.sku)
        self.assertEqual(
            item["product"]["aspects"],
            {"Color": ["Blue"], "Material": ["Cotton blend"]},
        )


class TestMediaImages(ListingCase):
    def _png(self, color):
        import base64
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), color).save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue())

    def test_product_image_is_uploaded_once_and_reused(self):
        self.product.image_1920 = self._png("red")
        listing = self._listing(image_urls=False)
        listing.action_publish()
        self.assertEqual(listing.state, "queued", listing.last_error)
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        self.assertTrue(listing.media_image_url.startswith("https://i.ebayimg.com/"))
        item = self._api().get_inventory_item(listing.sku)
        self.assertEqual(item["product"]["imageUrls"], [listing.media_image_url])
        uploads = "create_image_from_file"
        self.assertEqual(len(self.emulator.calls(path=uploads)), 1)
        listing.price = 21
        listing.action_publish()
        self._run(listing)
        self.assertEqual(len(self.emulator.calls(path=uploads)), 1, "unchanged: reused")
        self.product.image_1920 = self._png("blue")
        listing.action_publish()
        self._run(listing)
        self.assertEqual(len(self.emulator.calls(path=uploads)), 2, "changed: uploaded")
