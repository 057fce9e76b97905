"""A seller's eBay account: environment, marketplace, state and tokens."""

import logging
import threading
import time
from datetime import datetime, timezone

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

from ... import const
from ...ebay import (
    DEFAULT_SCOPES,
    EbayAuthError,
    EbayClient,
    EbayError,
    OAuthClient,
)
from ..ebay.ebay_environment import (
    emulator_not_enabled_error,
    enabled_emulator_url,
    endpoints_for,
    loopback_base_url,
)
from ..res_config_settings import get_setting
from .job_edge import JobEdge

_logger = logging.getLogger(__name__)

_thread_local = threading.local()


def _http_session():
    """One keep-alive ``requests.Session`` per worker thread."""
    session = getattr(_thread_local, "session", None)
    if session is None:
        session = _thread_local.session = requests.Session()
    return session


def _to_datetime(epoch):
    if not epoch:
        return False
    # Odoo stores naive UTC datetimes.
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.replace(tzinfo=None, microsecond=0)


class MarketplaceAccount(models.Model):
    _name = "marketplace.account"
    _description = "Marketplace Seller Account"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "marketplace.protected.fields.mixin",
    ]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    # Each channel adds itself with selection_add (as payment providers add
    # their code): the neutral layer knows no channel by name.
    channel = fields.Selection(
        selection=[],
        required=True,
        set_once=True,
        help="The marketplace this account sells on.",
    )
    active = fields.Boolean(default=True)
    # An account's listings, orders and calls belong to its company: the
    # account never moves to another one (create a new account instead).
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        set_once=True,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Warehouse whose address becomes the eBay inventory location.",
    )
    environment = fields.Selection(
        const.ENVIRONMENTS, required=True, default="sandbox", tracking=True
    )
    # Shown, never chosen: the server's configuration names the emulator.
    emulator_url = fields.Char(
        string="Emulator URL",
        compute="_compute_emulator_url",
        inverse="_inverse_emulator_url",
        help="The eBay emulator this server enables (emulator environment only). "
        "Only an administrator of the server sets it, in the server's "
        "configuration (EBAY_EMULATOR_URL or ebay_emulator_url).",
    )
    marketplace_id = fields.Selection(
        const.MARKETPLACES, string="Marketplace", required=True, default="EBAY_US"
    )
    state = fields.Selection(
        const.ACCOUNT_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        readonly=True,
        system_field=True,
    )
    ebay_user_id = fields.Char(
        string="eBay User ID", readonly=True, copy=False, system_field=True
    )
    ebay_username = fields.Char(
        string="eBay Username", readonly=True, copy=False, system_field=True
    )
    granted_scopes = fields.Text(readonly=True, copy=False, system_field=True)
    connected_since = fields.Datetime(readonly=True, copy=False, system_field=True)
    # Read from the vault rows, not stored here: token refreshes commit in
    # their own transaction and must not update (and so lock) this row.
    access_token_expires_at = fields.Datetime(
        string="Access token expires", compute="_compute_token_expiries"
    )
    refresh_token_expires_at = fields.Datetime(
        string="Refresh token expires", compute="_compute_token_expiries"
    )
    app_token_expires_at = fields.Datetime(
        string="Application token expires", compute="_compute_token_expiries"
    )
    last_error = fields.Text(readonly=True, copy=False, system_field=True)

    # App credentials: managers only.  The client secret lives in the vault.
    client_id = fields.Char(
        string="Client ID (App ID)",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
    )
    ru_name = fields.Char(
        string="RuName",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
        help="The eBay Redirect URL name of the application.",
    )
    scopes = fields.Text(
        default=lambda self: "\n".join(DEFAULT_SCOPES),
        groups="marketplace_connector.group_marketplace_manager",
        help="OAuth scopes asked for at consent, one per line.",
    )
    has_client_secret = fields.Boolean(
        compute="_compute_has_client_secret",
        groups="marketplace_connector.group_marketplace_manager",
    )
    callback_url = fields.Char(
        compute="_compute_callback_url",
        groups="marketplace_connector.group_marketplace_manager",
        help="Set this URL as the 'auth accepted' and 'auth declined' URL of the "
        "RuName in eBay's developer portal.",
    )

    def _compute_has_client_secret(self):
        tokens = (
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "in", self.ids), ("kind", "=", "client_secret")])
        )
        with_secret = tokens.account_id
        for account in self:
            account.has_client_secret = account in with_secret

    def _compute_token_expiries(self):
        tokens = (
            self.env["marketplace.secret"]
            .sudo()
            .search(
                [
                    ("account_id", "in", self.ids),
                    ("kind", "in", ("user_access", "user_refresh", "app_access")),
                ]
            )
        )
        expiries = {(t.account_id.id, t.kind): t.expires_at for t in tokens}
        for account in self:
            account.access_token_expires_at = expiries.get((account.id, "user_access"))
            account.refresh_token_expires_at = expiries.get(
                (account.id, "user_refresh")
            )
            account.app_token_expires_at = expiries.get((account.id, "app_access"))

    def _compute_callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.callback_url = base.rstrip("/") + const.OAUTH_CALLBACK_PATH

    @api.depends("environment")
    def _compute_emulator_url(self):
        enabled = enabled_emulator_url()
        for account in self:
            account.emulator_url = (
                enabled if account.environment == "emulator" else False
            )

    def _inverse_emulator_url(self):
        # Writable only to refuse, with a reason, any URL but the server's own.
        enabled = enabled_emulator_url()
        for account in self:
            wanted = account.emulator_url
            if not wanted or (enabled and loopback_base_url(wanted) == enabled):
                continue
            if not enabled:
                raise emulator_not_enabled_error(self.env)
            raise UserError(
                self.env._(
                    "The emulator URL is not chosen per account: this server "
                    "enables the eBay emulator at %(url)s only.",
                    url=enabled,
                )
            )

    @api.constrains("environment")
    def _check_environment_enabled(self):
        for account in self:
            endpoints_for(self.env, account.environment)

    # -- helpers ---------------------------------------------------------------
    def _scope_list(self):
        self.ensure_one()
        scopes = self.sudo().scopes or "\n".join(DEFAULT_SCOPES)
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
            ru_name=account.ru_name,
            session=_http_session(),
            **self._ebay_call_hooks(),
        )

    def _ebay_client(self, on_call=None):
        """The REST client every eBay call of this account goes through.

        :param on_call: called with a dict per finished call; callers that
            batch their publish-attempt rows pass their own.  Without it,
            each call is recorded as an ``marketplace.call`` at once.
        """
        self.ensure_one()
        self._check_can_call()
        return EbayClient(
            self._ebay_endpoints(),
            token_provider=self._get_user_access_token,
            session=_http_session(),
            timeout=get_setting(self.env, "call_timeout_seconds"),
            marketplace_id=self.marketplace_id,
            **self._ebay_call_hooks(on_call),
        )

    def _job_edge(self, record, operation):
        """Where a queue job calls eBay for ``record``: logs every call, maps
        eBay's outcome to a retry, a dead letter or a refusal (job_edge.py)."""
        self.ensure_one()
        return JobEdge(self, record, operation)

    def _ebay_call_hooks(self, on_call=None):
        """``on_call`` and ``log_fields`` for a client of this account.

        Every call gets the account id in its log line and, unless the
        caller records calls itself, a publish-attempt row.
        """
        self.ensure_one()
        return {
            "on_call": on_call or self._attempt_recorder(),
            "log_fields": {"account": self.id},
        }

    def _attempt_recorder(self, listing=None):
        """An ``on_call`` hook writing one publish attempt per finished call.

        The row is written in the transaction of this recordset's
        environment, like the rest of the caller's work: a job that fails
        and rolls back loses its attempt rows with everything else (the
        structured log line of the call stays).  Token calls made while
        refreshing run in the refresh's own transaction, which commits.
        """
        self.ensure_one()
        account = self
        Attempt = self.env["marketplace.call"].sudo()

        def record(call):
            Attempt.create(Attempt._values_from_call(call, account, listing))

        return record

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

    # -- tokens ------------------------------------------------------------------
    def _get_user_access_token(self, force_refresh=False):
        """A valid user access token, refreshed ahead of expiry when needed."""
        self.ensure_one()
        self._check_can_call()
        token, expires_at = self.env["marketplace.secret"]._read_secret(
            self, "user_access"
        )
        if token and not force_refresh and self._still_valid(expires_at):
            return token
        return self._refresh_token_locked("user_access", stale_token=token)

    def _get_app_access_token(self, force_refresh=False):
        """The application token (client credentials), cached until it expires."""
        self.ensure_one()
        # Minting one is a call with the app's secret: not for a stopped account.
        self._check_can_call()
        token, expires_at = self.env["marketplace.secret"]._read_secret(
            self, "app_access"
        )
        if token and not force_refresh and self._still_valid(expires_at):
            return token
        return self._refresh_token_locked("app_access", stale_token=token)

    @api.model
    def _still_valid(self, expires_at):
        margin = const.TOKEN_REFRESH_MARGIN_SECONDS
        return bool(expires_at) and expires_at.timestamp() - margin > time.time()

    def _refresh_token_locked(self, kind, stale_token=None):
        """Refresh one token kind, one worker at a time per account.

        An advisory lock serialises refreshes of the account across workers.
        The refresh itself runs in a transaction opened *after* the lock is
        held, so it sees a token another worker has just committed and then
        makes no call at all.  It commits on its own: a refreshed token (or
        the 'needs re-authorisation' state) must survive even if the job that
        asked for it rolls back.
        """
        self.ensure_one()
        # The other transaction must see this one's pending writes where it can.
        self.env.flush_all()
        registry = self.env.registry
        failure = None
        with registry.cursor() as lock_cr:
            lock_cr.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                (const.TOKEN_LOCK_NAMESPACE, self.id),
            )
            with registry.cursor() as cr:
                account = self.with_env(self.env(cr=cr, su=True))
                token, expires_at = account.env["marketplace.secret"]._read_secret(
                    account, kind
                )
                if token and token != stale_token and self._still_valid(expires_at):
                    result = token  # another worker refreshed it meanwhile
                else:
                    try:
                        result = account._mint_token(kind)
                    except EbayAuthError as err:
                        failure = err
                        if kind == "user_access" and (
                            err.needs_reauthorisation
                            or err.oauth_error == "invalid_client"
                        ):
                            account._set_needs_reauthorisation(err.user_message)
                        else:
                            account._write_system({"last_error": err.user_message})
        # What the other transaction wrote must not be shadowed by our cache.
        self.env.invalidate_all()
        if failure is not None:
            raise failure
        return result

    def _mint_token(self, kind):
        """Ask eBay for a new token of ``kind``; store it; return it."""
        Token = self.env["marketplace.secret"]
        oauth = self._oauth_client()
        if kind == "app_access":
            tokens = oauth.application_token()
            expiry = _to_datetime(tokens.access_expires_at)
            Token._store(self, "app_access", tokens.access_token, expiry)
            _logger.info("eBay application token renewed for account %s", self.id)
            return tokens.access_token
        refresh_token, _expiry = Token._read_secret(self, "user_refresh")
        if not refresh_token:
            raise EbayAuthError(
                self.env._("No refresh token is stored; connect the account."),
                oauth_error="invalid_grant",
            )
        tokens = oauth.refresh(refresh_token, self._scope_list())
        expiry = _to_datetime(tokens.access_expires_at)
        Token._store(self, "user_access", tokens.access_token, expiry)
        _logger.info("eBay user token refreshed for account %s", self.id)
        return tokens.access_token

    def _set_needs_reauthorisation(self, reason):
        """eBay refused our refresh token: stop calls and ask a manager."""
        self.ensure_one()
        self.env["marketplace.secret"]._drop(self, kinds=("user_access",))
        self._write_system({"state": "reauth", "last_error": reason})
        # One open alert per cause: a second refusal adds nothing.
        self._alert(
            "token_revoked",
            True,
            self.env._("Reconnect eBay account %(name)s", name=self.name),
            self.env._(
                "eBay refused to renew the access of this account (%(reason)s). "
                "Nothing is sent to eBay until a manager opens the account and "
                "clicks Reconnect eBay to grant access again.",
                reason=reason,
            ),
        )
        _logger.warning("eBay account %s needs re-authorisation", self.id)

    # -- per-account records (form buttons, dashboard) -------------------------
    def _open_counts(self, model):
        """{account: open rows of ``model``} for these accounts, one query."""
        return dict(
            self.env[model]._read_group(
                [("account_id", "in", self.ids), ("state", "=", "open")],
                ["account_id"],
                ["__count"],
            )
        )

    def _action_for_account(self, xmlid):
        """The window action ``xmlid``, narrowed to this account's records."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("account_id", "=", self.id)]
        return action

    # -- buttons -------------------------------------------------------------
    def action_open_connect_wizard(self):
        self.ensure_one()
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

    def action_test_connection(self):
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
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Connected to eBay as %(user)s.", user=user.get("username")
                ),
            },
        }

    def action_disconnect(self):
        self.check_access("write")  # before the vault loses anything
        for account in self:
            self.env["marketplace.secret"]._drop(
                account, kinds=("user_access", "user_refresh", "app_access")
            )
            account._write_system({"state": "draft"})
            account.message_post(body=self.env._("Disconnected from eBay."))
        return True

    def _channel_label(self):
        """The channel's name as people read it ("eBay"), for messages."""
        self.ensure_one()
        labels = dict(self._fields["channel"]._description_selection(self.env))
        return labels.get(self.channel) or self.channel or ""
