"""Connect Amazon: LWA credentials, application, region and environment, then
Seller Central's consent page; or a refresh token the seller made by
self-authorising the app; or a rotated client secret alone."""

import contextlib

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import const
from ..amazon import AmazonError, actionable
from ..models.amazon.amazon_environment import (
    REGIONS,
    enabled_emulator_url,
    endpoints_for,
)

METHODS = [
    ("consent", "Authorise on Seller Central"),
    ("self", "Paste a refresh token (self-authorised app)"),
    ("secret", "New client secret only (the seller's authorisation is kept)"),
]
# Typed into this wizard, never a column in clear: the web client saves the
# wizard before it calls Connect, and a failed Connect leaves the row behind.
SEALED_FIELDS = ("client_secret", "refresh_token")


class AmazonConnectWizard(models.TransientModel):
    _name = "amazon.connect.wizard"
    _description = "Connect an Amazon Account"

    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        domain=[("channel", "=", "amazon")],
    )
    account_state = fields.Selection(related="account_id.state")
    environment = fields.Selection(const.ENVIRONMENTS, required=True)
    emulator_url = fields.Char(
        string="Emulator URL",
        compute="_compute_emulator_url",
        help="Set by the server's configuration, not here.",
    )
    region = fields.Selection(REGIONS, required=True, default="NA")
    method = fields.Selection(METHODS, required=True, default="consent")
    client_id = fields.Char(string="LWA client ID", required=True)
    client_secret = fields.Char(
        string="LWA client secret",
        compute="_compute_sealed",
        inverse="_inverse_client_secret",
        help="Leave empty to keep the secret already stored for this account.",
    )
    client_secret_ciphertext = fields.Text(
        readonly=True, copy=False, groups="base.group_system"
    )
    has_client_secret = fields.Boolean(related="account_id.has_client_secret")
    application_id = fields.Char(string="Application ID")
    draft_app = fields.Boolean(
        string="Draft application",
        help="The application is still in Draft in Developer Central.",
    )
    refresh_token = fields.Char(
        compute="_compute_sealed",
        inverse="_inverse_refresh_token",
        help="The refresh token Seller Central showed when you authorised "
        "your own application.",
    )
    refresh_token_ciphertext = fields.Text(
        readonly=True, copy=False, groups="base.group_system"
    )
    selling_partner_id = fields.Char(
        string="Selling partner ID",
        help="Your merchant token (Seller Central > Settings > Account Info > "
        "Merchant Token).",
    )
    callback_url = fields.Char(related="account_id.amazon_callback_url")

    @api.depends("environment")
    def _compute_emulator_url(self):
        enabled = enabled_emulator_url()
        for wizard in self:
            wizard.emulator_url = enabled if wizard.environment == "emulator" else False

    def _compute_sealed(self):
        for name in SEALED_FIELDS:
            self[name] = False

    def _inverse_client_secret(self):
        self._seal_field("client_secret")

    def _inverse_refresh_token(self):
        self._seal_field("refresh_token")

    def _seal_field(self, name):
        Secret = self.env["marketplace.secret"]
        for wizard in self:
            value = (wizard[name] or "").strip()
            wizard.sudo()[f"{name}_ciphertext"] = (
                Secret._seal(wizard._binding(name), value) if value else False
            )

    def _binding(self, name):
        self.ensure_one()
        return f"{self._name}:{self.id}:{name}"

    def _typed(self, name):
        """The value typed in this wizard for a sealed field, or None."""
        ciphertext = self.sudo()[f"{name}_ciphertext"]
        if not ciphertext:
            return None
        return self.env["marketplace.secret"]._unseal(self._binding(name), ciphertext)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        account = self.env["marketplace.account"].browse(values.get("account_id"))
        if account:
            values.update(
                environment=values.get("environment") or account.environment,
                region=account.amazon_region or values.get("region"),
                client_id=values.get("client_id") or account.client_id,
                application_id=values.get("application_id")
                or account.amazon_application_id,
                draft_app=account.amazon_draft_app,
            )
            if account.state == "error" and "default_method" not in self.env.context:
                # The LWA secret was refused: the seller's consent stands.
                values["method"] = "secret"
        return values

    def action_connect(self):
        """Save the app credentials, then connect the way chosen."""
        self.ensure_one()
        account = self.account_id
        # Before the vault, Amazon or the account see anything of this call.
        account.check_access("write")
        if account.channel != "amazon":
            raise UserError(self.env._("This is not an Amazon account."))
        Secret = self.env["marketplace.secret"]
        Secret._vault()  # refuse early, with a clear message, when no key is set
        endpoints_for(self.env, self.region, self.environment)  # emulator: enabled?
        secret = self._typed("client_secret")
        refresh_token = self._typed("refresh_token")
        self._check_input(account, secret, refresh_token)
        # A new environment, region or client ID drops the tokens and secret.
        account.write(
            {
                "environment": self.environment,
                "amazon_region": self.region,
                "client_id": self.client_id.strip(),
                "amazon_application_id": (self.application_id or "").strip(),
                "amazon_draft_app": self.draft_app,
            }
        )
        if self.method == "secret":
            # Proven by one LWA refresh before it replaces the stored secret.
            with self._amazon_refusals():
                account._amazon_replace_client_secret(secret)
            self._forget_typed()
            return self._back_to_account()
        if secret:
            account._amazon_store_client_secret(secret)
        if self.method == "self":
            with self._amazon_refusals():
                account._amazon_connect_self_authorised(
                    refresh_token, self.selling_partner_id
                )
            self._forget_typed()
            return self._back_to_account()
        self._forget_typed()
        state = account._amazon_oauth_make_state()
        return {
            "type": "ir.actions.act_url",
            "url": account._amazon_consent_url(state),
            "target": "self",
        }

    def _check_input(self, account, secret, refresh_token):
        client_id = self.client_id.strip()
        changes_app = (
            self.environment != account.environment
            or client_id != (account.client_id or "")
            or self.region != account.amazon_region
        )
        if not secret and (
            changes_app or not account.has_client_secret or self.method == "secret"
        ):
            raise UserError(
                self.env._(
                    "Enter the LWA client secret of the Amazon app (a new "
                    "environment, region or client ID needs its secret again)."
                )
            )
        if self.method == "consent" and not (self.application_id or "").strip():
            raise UserError(self.env._("Enter the application ID of the Amazon app."))
        if self.method == "self" and not (
            refresh_token and (self.selling_partner_id or "").strip()
        ):
            raise UserError(
                self.env._(
                    "Enter the refresh token and the selling partner ID of the "
                    "self-authorised app."
                )
            )
        if self.method == "secret" and (
            changes_app or account.state not in ("connected", "error")
        ):
            raise UserError(
                self.env._(
                    "Only a connected account can keep its authorisation with "
                    "a new client secret; connect it on Seller Central instead."
                )
            )

    @contextlib.contextmanager
    def _amazon_refusals(self):
        """Amazon's refusal as a message for the person (the whole action,
        credentials included, is rolled back with it)."""
        try:
            yield
        except AmazonError as err:
            raise UserError(
                self.env._(
                    "Amazon refused the connection: %(reason)s", reason=actionable(err)
                )
            ) from err

    def _forget_typed(self):
        """What was typed is in the vault now; the wizard row keeps nothing."""
        self.sudo().write({f"{name}_ciphertext": False for name in SEALED_FIELDS})

    def _back_to_account(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "marketplace.account",
            "res_id": self.account_id.id,
            "view_mode": "form",
            "target": "current",
        }
