"""Amazon's side of an account: its fields, hosts, clients and buttons.

The neutral account (models/marketplace/marketplace_account.py) holds what
every channel has (the LWA client id is its ``client_id``, the LWA client
secret and the seller's tokens are in the neutral vault); this file adds
what Amazon needs to call, guarded by the account's channel where it
overrides a neutral hook.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ... import const
from ...amazon import AmazonAuthError, AmazonTransport, LwaClient, SpApiClient
from ..marketplace.http_session import http_session
from ..marketplace.loopback_url import loopback_base_url
from ..res_config_settings import get_setting
from .amazon_environment import (
    OAUTH_CALLBACK_PATH,
    REGIONS,
    emulator_not_enabled_error,
    enabled_emulator_url,
    endpoints_for,
)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_region = fields.Selection(
        REGIONS,
        string="Amazon region",
        help="The region of the seller's Seller Central account: one "
        "authorisation covers every marketplace of one region.",
    )
    amazon_selling_partner_id = fields.Char(
        string="Selling partner ID",
        readonly=True,
        copy=False,
        system_field=True,
        help="The seller's id (merchant token) Amazon gave at consent.",
    )
    amazon_application_id = fields.Char(
        string="Application ID",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
        help="The SP-API application's id (amzn1.sp.solution...), from "
        "Seller Central's Developer Central.",
    )
    amazon_participation_ids = fields.One2many(
        "amazon.marketplace.participation",
        "account_id",
        string="Amazon marketplaces",
    )
    amazon_default_participation_id = fields.Many2one(
        "amazon.marketplace.participation",
        string="Default marketplace",
        check_company=True,
        domain="[('account_id', '=', id), ('selected', '=', True)]",
        help="Where a listing goes unless it names another marketplace.",
    )
    amazon_callback_url = fields.Char(
        string="OAuth redirect URI",
        compute="_compute_amazon_callback_url",
        groups="marketplace_connector.group_marketplace_manager",
        help="Set this URL as the OAuth redirect URI of the application in "
        "Seller Central's Developer Central.",
    )

    _sql_constraints = [
        (
            "amazon_region_required",
            "CHECK(channel != 'amazon' OR amazon_region IS NOT NULL)",
            "An Amazon account needs its region.",
        ),
        # Amazon gives one authorisation per seller and region; two Odoo
        # accounts on it would push stock and prices over each other.  Per
        # environment: the emulator's or the sandbox's seller is not the
        # seller's production account.
        (
            "amazon_seller_region_uniq",
            "unique(amazon_selling_partner_id, amazon_region, environment)",
            "This Amazon seller is already connected in this region.",
        ),
    ]

    def _compute_amazon_callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.amazon_callback_url = base.rstrip("/") + OAUTH_CALLBACK_PATH

    # -- environment (neutral hooks) -------------------------------------------------
    def _marketplace_emulator_url(self):
        if self.channel != "amazon":
            return super()._marketplace_emulator_url()
        return enabled_emulator_url() or False

    def _marketplace_check_emulator_url(self, url):
        if self.channel != "amazon":
            return super()._marketplace_check_emulator_url(url)
        enabled = enabled_emulator_url()
        if enabled and loopback_base_url(url) == enabled:
            return
        if not enabled:
            raise emulator_not_enabled_error(self.env)
        raise UserError(
            self.env._(
                "The emulator URL is not chosen per account: this server "
                "enables the Amazon emulator at %(url)s only.",
                url=enabled,
            )
        )

    def _marketplace_check_environment(self):
        if self.channel != "amazon":
            return super()._marketplace_check_environment()
        if self.environment == "emulator" and not enabled_emulator_url():
            raise emulator_not_enabled_error(self.env)

    # -- clients -----------------------------------------------------------------
    def _amazon_endpoints(self):
        self.ensure_one()
        return endpoints_for(self.env, self.amazon_region, self.environment)

    def _amazon_call_hooks(self, on_call=None):
        """``on_call`` and ``log_fields`` for a client of this account: the
        account id in every log line and, unless the caller records calls
        itself, a call-log row per call."""
        self.ensure_one()
        return {
            "on_call": on_call or self._call_recorder(),
            "log_fields": {"account": self.id},
        }

    def _amazon_lwa_client(self, client_secret=None):
        """The LWA client with the app credentials (the secret from the vault
        unless one is given, e.g. a new one to try before it is stored)."""
        self.ensure_one()
        account = self.sudo()
        secret = client_secret
        if secret is None:
            secret, _expiry = self.env["marketplace.secret"]._read_secret(
                account, "client_secret"
            )
        if not account.client_id or not secret:
            raise UserError(
                self.env._(
                    "Account %(name)s has no LWA credentials: a manager must "
                    "enter the LWA client ID and client secret in the Connect "
                    "wizard.",
                    name=self.name,
                )
            )
        return LwaClient(
            self._amazon_transport(),
            self._amazon_endpoints().lwa_url,
            account.client_id,
            secret,
            **self._amazon_call_hooks(),
        )

    def _amazon_client(self, on_call=None):
        """The SP-API client every Amazon call of this account goes through.

        :param on_call: called with a dict per finished call; callers that
            batch their call-log rows pass their own.  Without it, each call
            is recorded as a ``marketplace.call`` at once.
        """
        self.ensure_one()
        self._amazon_check_can_call()
        return self._amazon_client_with(self._amazon_access_token, on_call=on_call)

    def _amazon_client_with(self, access_token, on_call=None):
        """An SP-API client whose access token comes from ``access_token``
        (a callable), with this account's hosts, limiter and call hooks."""
        self.ensure_one()
        # The rate buckets are the process's (shared by its worker threads),
        # one set per account: Amazon's usage plans are per seller and app.
        return SpApiClient(
            self._amazon_transport(),
            self._amazon_endpoints().api_url,
            access_token,
            seller_id=self.amazon_selling_partner_id or None,
            limiter_key=f"account-{self.id}",
            **self._amazon_call_hooks(on_call),
        )

    def _amazon_transport(self):
        return AmazonTransport(
            session=http_session(),
            timeout=get_setting(self.env, "call_timeout_seconds"),
        )

    def _amazon_check_can_call(self):
        """Stop every call of an account that is not (or no longer) connected."""
        self.ensure_one()
        if self.state != "connected":
            raise AmazonAuthError(
                self.env._(
                    "Amazon account %(name)s is %(state)s: a manager must "
                    "connect it again before anything is sent to Amazon.",
                    name=self.name,
                    state=dict(const.ACCOUNT_STATES)[self.state].lower(),
                )
            )

    # -- buttons -------------------------------------------------------------
    def action_amazon_open_connect_wizard(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": (
                self.env._("Reconnect Amazon")
                if self.state in ("connected", "reauth", "error")
                else self.env._("Connect Amazon")
            ),
            "res_model": "amazon.connect.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }
