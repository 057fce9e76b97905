"""Connect eBay: app credentials and environment, then eBay's consent page."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import const
from ..ebay import DEFAULT_SCOPES


class EbayConnectWizard(models.TransientModel):
    _name = "ebay.connect.wizard"
    _description = "Connect an eBay Account"

    account_id = fields.Many2one("ebay.account", required=True, ondelete="cascade")
    environment = fields.Selection(const.ENVIRONMENTS, required=True)
    emulator_url = fields.Char(string="Emulator URL")
    client_id = fields.Char(string="Client ID (App ID)", required=True)
    client_secret = fields.Char(
        help="Leave empty to keep the secret already stored for this account."
    )
    has_client_secret = fields.Boolean(related="account_id.has_client_secret")
    ru_name = fields.Char(string="RuName", required=True)
    scopes = fields.Text(required=True, default=lambda self: "\n".join(DEFAULT_SCOPES))
    callback_url = fields.Char(related="account_id.callback_url")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        account = self.env["ebay.account"].browse(values.get("account_id"))
        if account:
            values.update(
                environment=values.get("environment") or account.environment,
                emulator_url=values.get("emulator_url") or account.emulator_url,
                client_id=values.get("client_id") or account.client_id,
                ru_name=values.get("ru_name") or account.ru_name,
                scopes=account.scopes or values.get("scopes"),
            )
        return values

    def action_connect(self):
        """Save the app credentials and send the person to eBay's consent page."""
        self.ensure_one()
        account = self.account_id
        Token = self.env["ebay.token"]
        Token._vault()  # refuse early, with a clear message, when no key is set
        if not self.client_secret and not account.has_client_secret:
            raise UserError(self.env._("Enter the client secret of the eBay app."))
        if self.environment == "emulator" and not self.emulator_url:
            raise UserError(self.env._("Enter the URL of the eBay emulator."))
        account.write(
            {
                "environment": self.environment,
                "emulator_url": self.emulator_url,
                "client_id": self.client_id.strip(),
                "ru_name": self.ru_name.strip(),
                "scopes": "\n".join(self.scopes.split()),
            }
        )
        if self.client_secret:
            Token._store(account, "client_secret", self.client_secret.strip())
            # The secret is in the vault now; the wizard row must not keep it.
            self.client_secret = False
        state = account._oauth_make_state()
        url = account._oauth_client().consent_url(account._scope_list(), state)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}
