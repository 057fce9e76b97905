"""Empty lists explain what will show there and how it gets there."""

from odoo.tests import TransactionCase, tagged

ACTIONS = {
    "ebay_listing_action": "Publish to eBay",
    "ebay_listing_group_action": "variants",
    "amazon_listing_action": "Publish",
    "marketplace_order_action": "imports the order",
    "marketplace_alert_action": "closes by itself",
    "marketplace_drift_action": "Repair drift automatically",
}


@tagged("post_install", "-at_install")
class TestEmptyListHelp(TransactionCase):
    def test_each_list_says_what_shows_there_and_how(self):
        for xmlid, how in ACTIONS.items():
            with self.subTest(action=xmlid):
                action = self.env.ref(f"marketplace_connector.{xmlid}")
                help_html = str(action.help)
                self.assertIn('class="o_view_nocontent_smiling_face"', help_html)
                self.assertIn(how, help_html)
                # The window the menu opens carries it to the empty list.
                self.assertIn(how, str(action._get_action_dict().get("help")))
