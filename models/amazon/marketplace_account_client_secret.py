"""The LWA client secret of an Amazon account and its rotation.

Amazon makes every LWA client secret expire 180 days after it was issued
(facts §1: rotate every 180 days; after the deadline, calls fail).  The
account keeps the day the secret it holds was set, and a daily cron alerts
the account's managers from 30 days before the end.  The day is the one the
secret was entered in Odoo: Amazon's own issue date is not readable through
the SP-API, and a secret entered later than it was issued makes the alert
late, so the wizard says to enter a secret when it is freshly rotated.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .amazon_environment import CLIENT_SECRET_LIFETIME_DAYS, CLIENT_SECRET_WARNING_DAYS


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_client_secret_rotated_on = fields.Date(
        string="Client secret set on",
        readonly=True,
        copy=False,
        system_field=True,
        groups="marketplace_connector.group_marketplace_manager",
        help="When the LWA client secret held for this account was entered. "
        "Amazon makes it expire 180 days after it was issued.",
    )
    amazon_client_secret_expires_on = fields.Date(
        string="Client secret expires",
        compute="_compute_amazon_client_secret_expires_on",
        groups="marketplace_connector.group_marketplace_manager",
    )

    @api.depends("amazon_client_secret_rotated_on")
    def _compute_amazon_client_secret_expires_on(self):
        for account in self:
            rotated = account.amazon_client_secret_rotated_on
            account.amazon_client_secret_expires_on = rotated and (
                rotated + timedelta(days=CLIENT_SECRET_LIFETIME_DAYS)
            )

    def _amazon_store_client_secret(self, secret):
        """Vault a new LWA client secret; the rotation clock starts again.

        The caller checked the person's rights first.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        expires = fields.Datetime.to_datetime(today) + timedelta(
            days=CLIENT_SECRET_LIFETIME_DAYS
        )
        self.env["marketplace.secret"]._store(self, "client_secret", secret, expires)
        self._write_system({"amazon_client_secret_rotated_on": today})
        reason = self.env._("a new client secret was entered")
        self._alert("amazon_client_secret_expiring", False, reason=reason)
        self._alert("amazon_client_secret_expired", False, reason=reason)

    def _amazon_replace_client_secret(self, secret):
        """A rotated secret for an account whose seller stays authorised: one
        LWA refresh with it proves it before it replaces the stored one."""
        self.ensure_one()
        account = self.sudo()
        refresh_token, _expiry = self.env["marketplace.secret"]._read_secret(
            account, "user_refresh"
        )
        if not refresh_token:
            raise UserError(
                self.env._("No seller authorisation is stored: connect the account.")
            )
        token = account._amazon_lwa_client(client_secret=secret).refresh(refresh_token)
        account._amazon_store_client_secret(secret)
        account._amazon_store_access_token(token)
        account._write_system({"state": "connected", "last_error": False})
        account._alert(
            "token_revoked", False, reason=self.env._("the account is connected again")
        )
        account.message_post(body=self.env._("A new LWA client secret was entered."))

    @api.model
    def _cron_amazon_check_client_secrets(self):
        self.search(
            [
                ("channel", "=", "amazon"),
                ("amazon_client_secret_rotated_on", "!=", False),
            ]
        )._amazon_check_client_secret()

    def _amazon_check_client_secret(self):
        """Alert the managers from 30 days before the secret's end."""
        today = fields.Date.context_today(self)
        for account in self.sudo():
            expires = account.amazon_client_secret_expires_on
            if not expires:
                continue
            days_left = (expires - today).days
            account._alert(
                "amazon_client_secret_expiring",
                days_left <= CLIENT_SECRET_WARNING_DAYS,
                self.env._(
                    "Rotate the LWA client secret of Amazon account %(name)s",
                    name=account.name,
                ),
                self.env._(
                    "The LWA client secret of this account expires on %(date)s "
                    "(%(days)s day(s) left); after that nothing reaches Amazon. "
                    "Rotate it in Seller Central's Developer Central, then "
                    "click Reconnect Amazon on the account and enter the new "
                    "secret.",
                    date=fields.Date.to_string(expires),
                    days=max(days_left, 0),
                ),
                reason=self.env._("a new client secret was entered"),
            )
