"""A seller's account on a marketplace: environment, state and tokens.

What every channel has lives here; each channel adds itself to ``channel``
with ``selection_add`` and brings its own prefixed fields and its overrides
of the hooks below in its own files (the way payment providers extend
``payment.provider``).
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ... import const
from .job_edge import JobEdge

_logger = logging.getLogger(__name__)


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
        help="Warehouse whose address becomes the marketplace's inventory location.",
    )
    environment = fields.Selection(
        const.ENVIRONMENTS, required=True, default="sandbox", tracking=True
    )
    # Shown, never chosen: the server's configuration names the emulator.
    emulator_url = fields.Char(
        string="Emulator URL",
        compute="_compute_emulator_url",
        inverse="_inverse_emulator_url",
        help="The emulator of this account's marketplace that this server "
        "enables (emulator environment only). Only an administrator of the "
        "server sets it, in the server's configuration.",
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
    connected_since = fields.Datetime(readonly=True, copy=False, system_field=True)
    # Read from the vault rows, not stored here: token refreshes commit in
    # their own transaction and must not update (and so lock) this row.
    access_token_expires_at = fields.Datetime(
        string="Access token expires", compute="_compute_token_expiries"
    )
    refresh_token_expires_at = fields.Datetime(
        string="Refresh token expires", compute="_compute_token_expiries"
    )
    last_error = fields.Text(readonly=True, copy=False, system_field=True)

    # App credentials: managers only.  The client secret lives in the vault.
    client_id = fields.Char(
        string="Client ID (App ID)",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
    )
    has_client_secret = fields.Boolean(
        compute="_compute_has_client_secret",
        groups="marketplace_connector.group_marketplace_manager",
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
                    ("kind", "in", ("user_access", "user_refresh")),
                ]
            )
        )
        expiries = {(t.account_id.id, t.kind): t.expires_at for t in tokens}
        for account in self:
            account.access_token_expires_at = expiries.get((account.id, "user_access"))
            account.refresh_token_expires_at = expiries.get(
                (account.id, "user_refresh")
            )

    @api.depends("environment", "channel")
    def _compute_emulator_url(self):
        for account in self:
            account.emulator_url = (
                account._marketplace_emulator_url()
                if account.environment == "emulator"
                else False
            )

    def _inverse_emulator_url(self):
        # Writable only to refuse, with a reason, any URL but the server's own.
        for account in self:
            if account.emulator_url:
                account._marketplace_check_emulator_url(account.emulator_url)

    @api.constrains("environment")
    def _check_environment_enabled(self):
        for account in self:
            account._marketplace_check_environment()

    # -- channel hooks -------------------------------------------------------------
    def _marketplace_emulator_url(self):
        """The emulator URL this server enables for the account's channel.

        Channels with an emulator override this; False: no emulator.
        """
        self.ensure_one()
        return False

    def _marketplace_check_emulator_url(self, url):
        """Refuse ``url`` unless it is the emulator this server enables."""
        self.ensure_one()
        raise UserError(
            self.env._(
                "The emulator URL is not chosen per account: this server "
                "enables no emulator for this marketplace."
            )
        )

    def _marketplace_check_environment(self):
        """Raise a UserError when this server does not enable the account's
        environment (a channel's emulator without the server's switch)."""
        self.ensure_one()

    def _marketplace_token_kinds(self):
        """The vault kinds the seller's consent gave (dropped on disconnect)."""
        return ("user_access", "user_refresh")

    # -- calls ------------------------------------------------------------------
    def _job_edge(self, record, operation):
        """Where a queue job calls the marketplace for ``record``: logs every
        call, maps the outcome to a retry, a dead letter or a refusal
        (job_edge.py)."""
        self.ensure_one()
        return JobEdge(self, record, operation)

    def _call_recorder(self, record=None):
        """An ``on_call`` hook writing one call-log row per finished call.

        The row is written in the transaction of this recordset's
        environment, like the rest of the caller's work: a job that fails
        and rolls back loses its rows with everything else (the
        structured log line of the call stays).  Token calls made while
        refreshing run in the refresh's own transaction, which commits.
        """
        self.ensure_one()
        account = self
        Call = self.env["marketplace.call"].sudo()

        def write_row(call):
            Call.create(Call._values_from_call(call, account, record))

        return write_row

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
    def action_disconnect(self):
        self.check_access("write")  # before the vault loses anything
        for account in self:
            self.env["marketplace.secret"]._drop(
                account, kinds=account._marketplace_token_kinds()
            )
            account._write_system({"state": "draft"})
            account.message_post(
                body=self.env._(
                    "Disconnected from %(channel)s.",
                    channel=account._channel_label(),
                )
            )
        return True

    def _channel_label(self):
        """The channel's name as people read it ("eBay"), for messages."""
        self.ensure_one()
        labels = dict(self._fields["channel"]._description_selection(self.env))
        return labels.get(self.channel) or self.channel or ""
