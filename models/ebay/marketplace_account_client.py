"""eBay's side of an account: its fields, hosts, clients and buttons.

The neutral account (models/marketplace/marketplace_account.py) holds what
every channel has; this file adds what eBay needs to call, guarded by the
account's channel where it overrides a neutral hook.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ... import const
from ...ebay import DEFAULT_SCOPES, EbayAuthError, EbayClient, EbayError, OAuthClient
from ..marketplace.http_session import http_session
from ..res_config_settings import get_setting
from .ebay_environment import (
    emulator_not_enabled_error,
    enabled_emulator_url,
    endpoints_for,
    loopback_base_url,
)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_marketplace_id = fields.Selection(
        const.MARKETPLACES, string="eBay marketplace", default="EBAY_US"
    )
    ebay_user_id = fields.Char(
        string="eBay User ID", readonly=True, copy=False, system_field=True
    )
    ebay_username = fields.Char(
        string="eBay Username", readonly=True, copy=False, system_field=True
    )
    ebay_ru_name = fields.Char(
        string="RuName",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
        help="The eBay Redirect URL name of the application.",
    )
    ebay_scopes = fields.Text(
        string="Scopes",
        default=lambda self: "\n".join(DEFAULT_SCOPES),
        groups="marketplace_connector.group_marketplace_manager",
        help="OAuth scopes asked for at consent, one per line.",
    )
    ebay_callback_url = fields.Char(
        string="Callback URL",
        compute="_compute_ebay_callback_url",
        groups="marketplace_connector.group_marketplace_manager",
        help="Set this URL as the 'auth accepted' and 'auth declined' URL of the "
        "RuName in eBay's developer portal.",
    )

    _sql_constraints = [
        (
            "ebay_marketplace_required",
            "CHECK(channel != 'ebay' OR ebay_marketplace_id IS NOT NULL)",
            "An eBay account needs its eBay marketplace.",
        )
    ]

    def _compute_ebay_callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.ebay_callback_url = base.rstrip("/") + const.OAUTH_CALLBACK_PATH

    # -- environment (neutral hooks) -------------------------------------------------
    def _marketplace_emulator_url(self):
        if self.channel != "ebay":
            return super()._marketplace_emulator_url()
        return enabled_emulator_url() or False

    def _marketplace_check_emulator_url(self, url):
        if self.channel != "ebay":
            return super()._marketplace_check_emulator_url(url)
        enabled = enabled_emulator_url()
        if enabled and loopback_base_url(url) == enabled:
            return
        if not enabled:
            raise emulator_not_enabled_error(self.env)
        raise UserError(
            self.env._(
                "The emulator URL is not chosen per account: this server "
                "enables the eBay emulator at %(url)s only.",
                url=enabled,
            )
        )

    def _marketplace_check_environment(self):
        if self.channel != "ebay":
            return super()._marketplace_check_environment()
        endpoints_for(self.env, self.environment)

    # -- clients -----------------------------------------------------------------
    def _scope_list(self):
        self.ensure_one()
        scopes = self.sudo().ebay_scopes or "\n".join(DEFAULT_SCOPES)
        return [s for s in scopes.split() if s]

    def _ebay_endpoints(self):
        self.ensure_one()
        return endpoints_for(self.env, self.environment)

    def _oauth_client(self):
        """OAuth client with the app credentials read from the vault."""
        self.ensure_one()
        account = self.sudo()
        secret, _expiry = self.env["marketplace.secret"]._read_secret(
            account, "client_secret"
        )
        if not account.client_id or not secret:
            raise UserError(
                self.env._(
                    "Account %(name)s has no app credentials: a manager must enter "
                    "the client ID and client secret in the Connect wizard.",
                    name=self.name,
                )
            )
        return OAuthClient(
            self._ebay_endpoints(),
            account.client_id,
            secret,
            ru_name=account.ebay_ru_name,
            session=http_session(),
            **self._ebay_call_hooks(),
        )

    def _ebay_client(self, on_call=None):
        """The REST client every eBay call of this account goes through.

        :param on_call: called with a dict per finished call; callers that
            batch their call-log rows pass their own.  Without it, each call
            is recorded as a ``marketplace.call`` at once.
        """
        self.ensure_one()
        self._check_can_call()
        return EbayClient(
            self._ebay_endpoints(),
            token_provider=self._get_user_access_token,
            session=http_session(),
            timeout=get_setting(self.env, "call_timeout_seconds"),
            marketplace_id=self.ebay_marketplace_id,
            **self._ebay_call_hooks(on_call),
        )

    def _ebay_call_hooks(self, on_call=None):
        """``on_call`` and ``log_fields`` for a client of this account.

        Every call gets the account id in its log line and, unless the
        caller records calls itself, a call-log row.
        """
        self.ensure_one()
        return {
            "on_call": on_call or self._call_recorder(),
            "log_fields": {"account": self.id},
        }

    def _check_can_call(self):
        """Stop every call of an account that is not (or no longer) connected."""
        self.ensure_one()
        if self.state != "connected":
            raise EbayAuthError(
                self.env._(
                    "eBay account %(name)s is %(state)s: a manager must connect it "
                    "again before anything is sent to eBay.",
                    name=self.name,
                    state=dict(const.ACCOUNT_STATES)[self.state].lower(),
                )
            )

    # -- buttons -------------------------------------------------------------
    def action_ebay_open_connect_wizard(self):
        self.ensure_one()
        # Managers of the account's company only, as the wizard's own check:
        # nobody else is shown a dialog that would refuse them at the end.
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": (
                self.env._("Reconnect eBay")
                if self.state in ("connected", "reauth")
                else self.env._("Connect eBay")
            ),
            "res_model": "ebay.connect.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    def action_ebay_test_connection(self):
        """Ask eBay who we are; refreshes the username shown."""
        self.ensure_one()
        # Managers only (write access), before the first call.
        self.check_access("write")
        try:
            user = self._ebay_client().get_user()
        except EbayError as err:
            raise UserError(
                self.env._(
                    "eBay connection test failed for %(name)s: %(reason)s",
                    name=self.name,
                    reason=err.user_message,
                )
            ) from err
        self._write_system(
            {
                "ebay_user_id": user.get("userId"),
                "ebay_username": user.get("username"),
                "last_error": False,
            }
        )
        return self._marketplace_notify(
            self.env._("Connection works"),
            self.env._(
                "eBay answers: this account sells as %(user)s.",
                user=user.get("username"),
            ),
        )
