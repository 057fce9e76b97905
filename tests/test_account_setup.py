"""An eBay account's set-up, as a seller goes through it on the form.

Each set-up button ends with a notification in words (and the next step of
the checklist); a failure is a UserError in words; the fields that hide the
buttons that no longer apply follow what was done; the checklist's states
follow the account's real state, step by step, against the emulator.  The
carrier chosen on a delivery method reaches eBay with the tracking number.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import USER_GROUPS, ShippingMixin
from .ebay_common import (
    CLIENT_LOGGER,
    CONTROLLER_LOGGER,
    EbayCase,
    EbayHttpCase,
    NotificationMixin,
    OrderCase,
    SellerMixin,
    TwoCompaniesCase,
    revoke_and_poll,
)
from .setup_common import SetupWordsMixin

OPT_IN = "/sell/account/v1/program/opt_in$"
LOCATION = "/sell/inventory/v1/location/"
DESTINATION = "^/commerce/notification/v1/destination$"


class EbaySetupMixin(SetupWordsMixin):
    def _steps(self, account):
        account.invalidate_recordset()
        return {
            "connect": account.setup_connect_state,
            "policies": account.ebay_setup_policies_state,
            "location": account.ebay_setup_location_state,
            "notifications": account.ebay_setup_notifications_state,
            "listing": account.setup_listing_state,
        }


@tagged("post_install", "-at_install")
class TestEbayAccountSetup(EbaySetupMixin, SellerMixin, EbayCase):
    def setUp(self):
        super().setUp()
        self.warehouse = self._seller_warehouse()
        self.account = self._new_account(warehouse_id=self.warehouse.id)

    def test_checklist_and_words_follow_each_step(self):
        account = self.account
        self.assertEqual(
            self._steps(account),
            {
                "connect": "todo",
                "policies": "todo",
                "location": "todo",
                "notifications": "todo",
                "listing": "todo",
            },
        )
        self.assertIn("consent page", account.setup_next_step)
        self._connect(account)
        self.assertEqual(self._steps(account)["connect"], "done")
        self.assertIn("Opt in to business policies", account.setup_next_step)

        # Opt in: said, and the opt-in button's field is set (it hides it).
        self.assertFalse(account.ebay_business_policies_opted_in)
        answer = account.action_opt_in_business_policies()
        message = self._assert_notified(answer, "now opted in", "Next: Read your")
        self.assertTrue(account.ebay_business_policies_opted_in)
        again = account.action_opt_in_business_policies()
        self._assert_notified(again, "already opted in")
        self.assertNotEqual(again["params"]["message"], message)
        self.assertEqual(self._steps(account)["policies"], "todo")

        # eBay has no policy yet: said so, with what to do.
        answer = account.action_sync_policies()
        self._assert_notified(answer, "no business policies", "add a shipping")
        self.assertEqual(self._steps(account)["policies"], "todo")

        # Created from Odoo: each becomes the default of its kind.
        policies = self.env["ebay.policy"]
        for kind in ("fulfillment", "payment", "return"):
            policies |= self.env["ebay.policy"].create(
                {"account_id": account.id, "kind": kind, "name": f"Odoo {kind}"}
            )
        answer = policies.action_create_on_ebay()
        self._assert_notified(
            answer, "Created on eBay: Odoo fulfillment (fulfillment (shipping))"
        )
        self.assertEqual(account.ebay_payment_policy_id.name, "Odoo payment")
        self.assertEqual(self._steps(account)["policies"], "done")
        self.assertIn("Odoo fulfillment", account.ebay_setup_policies_hint)
        with self.assertRaisesRegex(UserError, "on eBay already"):
            policies.action_create_on_ebay()
        answer = account.action_sync_policies()
        self._assert_notified(answer, "3 policies read from eBay", "Next: Tell eBay")

        # The location: made once, then its button's field is set.
        self.assertFalse(account.ebay_merchant_location_key)
        answer = account.action_create_location()
        self._assert_notified(answer, f"eBay now knows warehouse {self.warehouse.name}")
        self.assertTrue(account.ebay_merchant_location_key)
        self.assertEqual(self._steps(account)["location"], "done")
        # Already on eBay (its 409): linked, said in words, not an error.
        answer = account.action_create_location()
        self._assert_notified(answer, "already knew warehouse")
        self.assertIn("Set up notifications", account.setup_next_step)

        # A first live listing completes the last step.
        self.assertEqual(self._steps(account)["listing"], "todo")
        listing = self._product("SETUP-1", "Set-up mug", 3)._ebay_listings_for(account)
        listing.write(
            {"image_urls": "https://i.example.com/m.jpg", "category_id": "88433"}
        )
        listing.action_publish()
        self.account = account
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        self.assertEqual(self._steps(account)["listing"], "done")
        self.assertEqual(account.setup_listing_hint, "1 listing(s) live.")
        self.assertFalse(account.setup_done)  # notifications are still to do

    def test_a_refused_step_is_a_user_error_in_words_and_changes_nothing(self):
        self._connect(self.account)
        self.emulator.fault(OPT_IN, "400", message="Program not available here.")
        with (
            mute_logger(CLIENT_LOGGER),
            self.assertRaisesRegex(
                UserError,
                "eBay could not opt in to business policies for Test seller: "
                ".*Program not available here",
            ),
        ):
            self.account.action_opt_in_business_policies()
        self.assertFalse(self.account.ebay_business_policies_opted_in)
        self.assertEqual(self._steps(self.account)["policies"], "todo")

    def test_location_without_postal_code_is_a_problem_said_before_any_call(self):
        self._connect(self.account)
        self.warehouse.partner_id.zip = False
        self.assertEqual(self._steps(self.account)["location"], "problem")
        self.assertIn("postal code", self.account.ebay_setup_location_hint)
        calls = len(self.emulator.calls(path=LOCATION))
        with self.assertRaisesRegex(UserError, "needs a postal code"):
            self.account.action_create_location()
        self.assertEqual(len(self.emulator.calls(path=LOCATION)), calls)
        self.warehouse.partner_id.zip = "95125"
        self.assertEqual(self._steps(self.account)["location"], "todo")

    def test_connection_test_says_who_and_a_lost_consent_is_a_problem(self):
        self._connect(self.account)
        answer = self.account.action_ebay_test_connection()
        self._assert_notified(answer, "sells as emulator_seller")
        self.assertEqual(self.account.ebay_username, "emulator_seller")
        with mute_logger(CLIENT_LOGGER, "odoo.addons.marketplace_connector.ebay.auth"):
            revoke_and_poll(self, self.account)
        self.assertEqual(self._steps(self.account)["connect"], "problem")
        self.assertIn("connect again", self.account.setup_next_step)

    def test_open_products_is_the_last_steps_button(self):
        action = self.account.action_setup_open_products()
        self.assertEqual(action["res_model"], "product.template")


@tagged("post_install", "-at_install")
class TestEbayNotificationSetupWords(
    EbaySetupMixin, NotificationMixin, SellerMixin, EbayHttpCase
):
    def test_notifications_step_is_said_and_done(self):
        self._setup_seller()
        self.assertEqual(self._steps(self.account)["notifications"], "todo")
        self.assertFalse(self.account.ebay_notification_topics)
        calls = len(self.emulator.calls())
        answer = self.account.action_ebay_setup_notifications()
        # The click queues the set-up: eBay calls this Odoo back before it
        # answers, which the click's own request could not serve.
        self._assert_notified(
            answer, "Odoo is asking eBay to send it notifications.", kind="info"
        )
        self.assertEqual(self.emulator.calls()[calls:], [], "eBay asked in the click")
        self.assertEqual(self._steps(self.account)["notifications"], "todo")
        self.assertIn("Odoo is asking eBay", self.account.ebay_setup_notifications_hint)
        self.assertEqual(self._run_chain("_job_ebay_setup_notifications"), 1)
        self.assertEqual(self._steps(self.account)["notifications"], "done")
        self.assertEqual(
            self.account.ebay_notification_topics,
            "Account deletion requests, New orders",
        )
        self.assertIn(
            "eBay now sends this Odoo notifications: "
            "Account deletion requests, New orders.",
            self.account.message_ids[0].body,
        )
        again = self.account.action_ebay_setup_notifications()
        self._assert_notified(again, "set up already")
        self.assertFalse(self._jobs("_job_ebay_setup_notifications"))

        # What eBay sends shows in the inbox by its topic in words.
        self.env.flush_all()
        self.url = f"/ebay/notification/{self.account.id}"
        raw = self._message()
        with mute_logger(CONTROLLER_LOGGER):
            self.assertEqual(self._post(raw, self._signed(raw)).status_code, 204)
        notification = self._inbox()
        self.assertEqual(len(notification), 1)
        self.assertEqual(notification.topic, "ORDER_CONFIRMATION")
        self.assertEqual(notification.topic_label, "New orders")

    @mute_logger(CLIENT_LOGGER)
    def test_a_refused_set_up_says_why_and_can_be_tried_again(self):
        self._setup_seller()
        self.emulator.fault(DESTINATION, "400", times=1)
        self._set_up_notifications(self.account)
        self.assertEqual(self._steps(self.account)["notifications"], "problem")
        self.assertIn(
            "eBay notifications could not be set up:",
            self.account.ebay_setup_notifications_hint,
        )
        self.assertFalse(self.account.ebay_notification_destination_id)
        # Clicked again: the reason goes, the set-up is done.
        self._set_up_notifications(self.account)
        self.assertEqual(self._steps(self.account)["notifications"], "done")
        self.assertFalse(self.account.ebay_notification_setup_error)


@tagged("post_install", "-at_install")
class TestEbaySetupRights(TwoCompaniesCase):
    def test_a_user_reads_the_checklist_and_company_b_does_not(self):
        user_a = new_test_user(
            self.env,
            login="shop_a_setup_reader",
            groups=USER_GROUPS,
            company_id=self.company_a.id,
            company_ids=self.company_a.ids,
        )
        as_user = self.account.with_user(user_a)
        as_user.invalidate_recordset()
        self.assertEqual(as_user.setup_connect_state, "done")
        self.assertEqual(as_user.ebay_setup_location_state, "done")
        self.assertTrue(as_user.setup_next_step)
        for person in (self.user_b, self.manager_b):
            with self.assertRaises(AccessError):
                self.account.with_user(person).read(["setup_next_step"])


@tagged("post_install", "-at_install")
class TestEbayCarrierChoice(ShippingMixin, OrderCase):
    def test_chosen_carrier_and_a_typed_legacy_code_reach_ebay(self):
        choices = dict(
            self.env["delivery.carrier"]
            ._fields["ebay_carrier_code"]
            ._description_selection(self.env)
        )
        self.assertEqual(choices["RoyalMail"], "Royal Mail")
        carrier = self._usps_carrier()
        carrier.ebay_carrier_code = "FedEx"
        order = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        picking = self._orders().sale_order_id.picking_ids
        self._ship(picking, {"MUG-1": 1}, "FEDEX0001", carrier=carrier)
        picking._job_send_tracking()
        self.assertEqual(picking.marketplace_tracking_state, "sent")
        sent = self.emulator.calls(path="shipping_fulfillment$", method="POST")
        self.assertEqual(sent[-1]["body"]["shippingCarrierCode"], "FedEx")
        # A code typed before the field was a choice stays and is still sent.
        legacy = carrier.copy({"name": "Legacy courier"})
        self.env.cr.execute(
            "UPDATE delivery_carrier SET ebay_carrier_code = 'LegacyPost' WHERE id = %s",
            [legacy.id],
        )
        legacy.invalidate_recordset()
        choices = dict(
            self.env["delivery.carrier"]
            ._fields["ebay_carrier_code"]
            ._description_selection(self.env)
        )
        self.assertEqual(choices["LegacyPost"], "LegacyPost")
        self.assertEqual(
            legacy.read(["ebay_carrier_code"])[0]["ebay_carrier_code"], "LegacyPost"
        )
        second = self._buy([{"sku": "MUG-1", "quantity": 1}])
        self._poll()
        picking = (
            self._orders()
            .filtered(lambda o: o.remote_order_id == second["orderId"])
            .sale_order_id.picking_ids
        )
        self._ship(picking, {"MUG-1": 1}, "LEGACY0001", carrier=legacy)
        picking._job_send_tracking()
        sent = self.emulator.calls(path="shipping_fulfillment$", method="POST")
        self.assertEqual(sent[-1]["body"]["shippingCarrierCode"], "LegacyPost")
        self.assertNotEqual(order["orderId"], second["orderId"])
