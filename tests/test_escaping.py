"""eBay's error texts and buyers' data show as text in chatter and activities.

Both come from outside: an error text (injected by the emulator) or a buyer
name holding HTML must reach the managers' activity and the chatter
escaped, never as a live link or image.
"""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .ebay_common import ListingCase

HTML = '<a href="https://evil.example.com/x">Fix it here</a><img src="x" onerror="alert(1)">'
LIVE_TAGS = ("<a ", "<img")
CLIENT_LOGGER = "odoo.addons.marketplace_connector.ebay.client"


@tagged("post_install", "-at_install")
class TestEscaping(ListingCase):
    def _assert_shown_as_text(self, html, what):
        self.assertTrue(html, what)
        for tag in LIVE_TAGS:
            self.assertNotIn(tag, html, f"{what}: live {tag!r}")
        self.assertIn("&lt;a href=", html, f"{what}: the text is lost")
        self.assertIn("&lt;img", html, f"{what}: the text is lost")

    @mute_logger(CLIENT_LOGGER)
    def test_ebay_error_text_is_escaped_in_the_alert_activity_and_chatter(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_connector.listing_failure_alert_count", "1"
        )
        listing = self._listing()
        listing.action_publish()
        self.emulator.fault(
            f"^/sell/inventory/v1/inventory_item/{listing.sku}$",
            "400",
            method="PUT",
            message=HTML,
        )
        self._run(listing)
        self.assertEqual(listing.state, "error")
        self.assertIn(HTML, listing.last_error, "kept as eBay sent it, as text")
        alert = self.env["marketplace.alert"].search(
            [("account_id", "=", self.account.id), ("cause", "=", "listing_failing")]
        )
        self.assertEqual(len(alert), 1)
        self.assertTrue(alert.activity_ids)
        for activity in alert.activity_ids:
            self._assert_shown_as_text(activity.note, f"activity of {activity.user_id}")
        [message] = self.account.message_ids.filtered(
            lambda m: alert.name in (m.body or "")
        )
        self._assert_shown_as_text(message.body, "account chatter")
        refusal = listing.message_ids.filtered(lambda m: "refused" in (m.body or ""))
        self._assert_shown_as_text(refusal[:1].body, "listing chatter")

    def test_buyer_data_is_escaped_in_the_chatter(self):
        listing = self._listing()
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        self.emulator._call(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": listing.sku, "quantity": 1}],
                "buyer": {"username": "html_buyer"},
                "shipTo": {
                    "fullName": HTML,
                    "contactAddress": {
                        "addressLine1": HTML,
                        "city": "San Jose",
                        "postalCode": "95125",
                        "countryCode": "US",
                    },
                },
            },
        )
        self.account._job_poll_orders()
        order = self.env["marketplace.order"].search(
            [("account_id", "=", self.account.id)]
        )
        sale = order.sale_order_id
        self.assertEqual(sale.partner_id.name, HTML, "the name is data, kept as is")
        messages = order.message_ids | sale.message_ids | sale.partner_id.message_ids
        self.assertTrue(messages)
        for message in messages:
            for tag in LIVE_TAGS:
                self.assertNotIn(tag, message.body or "", message.body)
