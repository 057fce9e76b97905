"""Connecting an Amazon seller: the consent completed, the vault, the
marketplaces from the Sellers API, one account per seller and region, the
self-authorised refresh token and "Refresh marketplaces"."""

from odoo.tests import tagged

from .amazon_common import CA, EMULATOR_SELLER, PARTICIPATIONS, US, AmazonCase


@tagged("post_install", "-at_install")
class TestAmazonConnect(AmazonCase):
    def _kinds(self, account):
        return set(
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", account.id)])
            .mapped("kind")
        )

    def test_connected_account(self):
        account = self.account
        self.assertEqual(account.state, "connected")
        self.assertEqual(account.amazon_selling_partner_id, EMULATOR_SELLER)
        self.assertTrue(account.connected_since)
        self.assertEqual(
            self._kinds(account), {"client_secret", "user_refresh", "user_access"}
        )
        participations = account.amazon_participation_ids
        self.assertEqual(set(participations.mapped("marketplace_id")), {US, CA})
        us = participations.filtered(lambda p: p.marketplace_id == US)
        self.assertEqual(us.country_code, "US")
        self.assertEqual(us.currency_id.name, "USD")
        self.assertTrue(us.participating and us.selected)
        self.assertIn(account.amazon_default_participation_id, participations)
        self.assertEqual(len(self.emulator.calls(path=PARTICIPATIONS)), 1)
        # The client gives working calls with the stored access token.
        self.assertEqual(len(account._amazon_client().sellers.participations()), 2)
        self.assertEqual(len(self._lwa_calls()), 1, "the code exchange only")
