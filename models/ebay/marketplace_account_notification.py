"""An eBay account's notification destination and subscriptions."""

import secrets

from odoo import fields, models

from ...ebay import EbayClient
from ..marketplace.http_session import http_session


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_notification_destination_id = fields.Char(
        string="Destination at eBay", readonly=True, copy=False, system_field=True
    )
    ebay_notification_subscriptions = fields.Char(
        string="Notification subscriptions",
        readonly=True,
        copy=False,
        system_field=True,
    )
    ebay_notification_url = fields.Char(
        string="Notification address", compute="_compute_ebay_notification_url"
    )

    def _compute_ebay_notification_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.ebay_notification_url = (
                f"{base.rstrip('/')}/ebay/notification/{account.id or 0}"
            )

    def _ebay_app_client(self):
        """A client with the application token (app-level APIs)."""
        self.ensure_one()
        return EbayClient(
            self._ebay_endpoints(),
            token_provider=self._get_app_access_token,
            session=http_session(),
            marketplace_id=self.ebay_marketplace_id,
            **self._ebay_call_hooks(),
        )

    def _ebay_verification_token(self):
        token, _exp = self.env["marketplace.secret"]._read_secret(
            self, "verification_token"
        )
        return token

    def _ebay_ensure_verification_token(self):
        """The destination's verification token, committed before use.

        eBay calls the endpoint back (challenge) while createDestination is
        in flight; another Odoo worker answers it, so the token must already
        be committed: it is written in a transaction of its own.
        """
        token = self._ebay_verification_token()
        if token:
            return token
        token = secrets.token_urlsafe(48)[:64]
        self.env.flush_all()
        with self.env.registry.cursor() as cr:
            account = self.with_env(self.env(cr=cr, su=True))
            account.env["marketplace.secret"]._store(
                account, "verification_token", token
            )
        self.env.invalidate_all()
        return token
