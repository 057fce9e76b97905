"""Connect eBay: app credentials and environment, then eBay's consent page."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import const
from ..ebay import DEFAULT_SCOPES
from ..models.ebay.ebay_environment import enabled_emulator_url, endpoints_for


def _with_default_scopes(scopes):
    """The account's scopes plus those the connector asks for now and the
    account was connected without (e.g. the seller standing's): connecting
    again grants them."""
    if not scopes:
        return scopes
    listed = scopes.split()
    return "\n".join(listed + [s for s in DEFAULT_SCOPES if s not in listed])


class EbayConnectWizard(models.TransientModel):
    _name = "ebay.connect.wizard"
    _description = "Connect an eBay Account"

    account_id = fields.Many2one(
        "marketplace.account", required=True, ondelete="cascade"
    )
    environment = fields.Selection(const.ENVIRONMENTS, required=True)
    emulator_url = fields.Char(
        string="Emulator URL",
        compute="_compute_emulator_url",
        help="Set by the server's configuration, not here.",
    )
    client_id = fields.Char(string="Client ID (App ID)", required=True)
    # The web client saves the wizard before it calls Connect, and a failed
    # Connect leaves that row behind: the secret typed here is therefore
    # never a column.  Only its ciphertext, bound to this row, is stored.
    client_secret = fields.Char(
        compute="_compute_client_secret",
        inverse="_inverse_client_secret",
        help="Leave empty to keep the secret already stored for this account.",
    )
    client_secret_ciphertext = fields.Text(
        readonly=True, copy=False, groups="base.group_system"
    )
    has_client_secret = fields.Boolean(related="account_id.has_client_secret")
    ru_name = fields.Char(string="RuName", required=True)
    scopes = fields.Text(required=True, default=lambda self: "\n".join(DEFAULT_SCOPES))
    callback_url = fields.Char(related="account_id.ebay_callback_url")

    @api.depends("environment")
    def _compute_emulator_url(self):
        enabled = enabled_emulator_url()
        for wizard in self:
            wizard.emulator_url = enabled if wizard.environment == "emulator" else False

    def _compute_client_secret(self):
        self.client_secret = False

    def _inverse_client_secret(self):
        Token = self.env["marketplace.secret"]
        for wizard in self:
            secret = (wizard.client_secret or "").strip()
            wizard.sudo().client_secret_ciphertext = (
                Token._seal(wizard._secret_binding(), secret) if secret else False
            )

    def _secret_binding(self):
        self.ensure_one()
        return f"{self._name}:{self.id}:client_secret"

    def _typed_client_secret(self):
        """The secret typed in this wizard, or None."""
        ciphertext = self.sudo().client_secret_ciphertext
        if not ciphertext:
            return None
        return self.env["marketplace.secret"]._unseal(
            self._secret_binding(), ciphertext
        )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        account = self.env["marketplace.account"].browse(values.get("account_id"))
        if account:
            values.update(
                environment=values.get("environment") or account.environment,
                client_id=values.get("client_id") or account.client_id,
                ru_name=values.get("ru_name") or account.ebay_ru_name,
                scopes=_with_default_scopes(account.ebay_scopes)
                or values.get("scopes"),
            )
        return values

    def action_connect(self):
        """Save the app credentials and send the person to eBay's consent page."""
        self.ensure_one()
        account = self.account_id
        # Before the vault, eBay or the account see anything of this call.
        account.check_access("write")
        Token = self.env["marketplace.secret"]
        Token._vault()  # refuse early, with a clear message, when no key is set
        endpoints_for(self.env, self.environment)  # the emulator: if enabled
        secret = self._typed_client_secret()
        client_id = self.client_id.strip()
        changes_app = self.environment != account.environment or client_id != (
            account.client_id or ""
        )
        if not secret and (changes_app or not account.has_client_secret):
            raise UserError(
                self.env._(
                    "Enter the client secret of the eBay app (a new environment "
                    "or client ID needs its secret again)."
                )
            )
        # A new environment or client ID drops the tokens and the old secret.
        account.write(
            {
                "environment": self.environment,
                "client_id": client_id,
                "ebay_ru_name": self.ru_name.strip(),
                "ebay_scopes": "\n".join(self.scopes.split()),
            }
        )
        if secret:
            Token._store(account, "client_secret", secret)
            # The secret is in the vault now; the wizard row keeps nothing.
            self.sudo().client_secret_ciphertext = False
        state = account._oauth_make_state()
        url = account._oauth_client().consent_url(account._scope_list(), state)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}
