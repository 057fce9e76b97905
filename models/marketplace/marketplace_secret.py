"""The token vault: one encrypted secret per (account, kind).

Only code reaches this model, through ``sudo()``; no user group has access
rights on it, so tokens and the client secret cannot be read from the UI,
RPC or exports.  Values are encrypted with keys that never sit in the
database (see ``vault.py``), each bound to its (account, kind): a ciphertext
moved to another row does not decrypt there.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from ...const import TOKEN_KINDS, VAULT_KEYS_CONFIG, VAULT_KEYS_ENV
from ...vault import Vault, VaultError

_logger = logging.getLogger(__name__)


class MarketplaceSecret(models.Model):
    _name = "marketplace.secret"
    _description = "Marketplace Vaulted Secret"
    _rec_name = "kind"
    _check_company_auto = True

    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    kind = fields.Selection(TOKEN_KINDS, required=True)
    ciphertext = fields.Text(required=True, copy=False, groups="base.group_system")
    key_fingerprint = fields.Char(
        readonly=True, help="Which vault key encrypted this value (not the key)."
    )
    expires_at = fields.Datetime()

    _sql_constraints = [
        (
            "account_kind_uniq",
            "unique(account_id, kind)",
            "An account holds one secret of each kind.",
        )
    ]

    @api.model
    def _kind_label(self, kind):
        """The label of ``kind`` (channels add kinds, so not from const)."""
        return self._fields["kind"].convert_to_export(kind, self)

    # -- vault access -------------------------------------------------------
    @api.model
    def _vault(self):
        """The configured vault, or a UserError that says how to configure it."""
        try:
            return Vault.from_sources(VAULT_KEYS_ENV, config.get(VAULT_KEYS_CONFIG))
        except VaultError as exc:
            raise UserError(
                self.env._(
                    "The marketplace vault is not usable: %(reason)s Set "
                    "%(env)s or '%(option)s' in the Odoo configuration file.",
                    reason=str(exc),
                    env=VAULT_KEYS_ENV,
                    option=VAULT_KEYS_CONFIG,
                )
            ) from exc

    @api.model
    def _binding(self, account_id, kind):
        """The name a secret of this row is encrypted for."""
        return f"{self._name}:{account_id}:{kind}"

    @api.model
    def _seal(self, binding, plaintext):
        """Encrypt a secret held elsewhere (e.g. a wizard row) for ``binding``."""
        return self._vault().encrypt(plaintext, binding)

    @api.model
    def _unseal(self, binding, ciphertext):
        """The plaintext of :meth:`_seal`'s ``ciphertext``; UserError if refused."""
        try:
            return self._vault().decrypt(ciphertext, binding)
        except VaultError as exc:
            raise UserError(
                self.env._("A secret cannot be read: %(reason)s", reason=str(exc))
            ) from exc

    @api.model
    def _store(self, account, kind, plaintext, expires_at=None):
        """Encrypt and upsert one secret of ``account``."""
        vault = self._vault()
        values = {
            "ciphertext": vault.encrypt(plaintext, self._binding(account.id, kind)),
            "key_fingerprint": vault.current_fingerprint,
            "expires_at": expires_at,
        }
        record = self.sudo().search(
            [("account_id", "=", account.id), ("kind", "=", kind)], limit=1
        )
        if record:
            record.write(values)
        else:
            record = self.sudo().create(dict(values, account_id=account.id, kind=kind))
        return record

    @api.model
    def _read_secret(self, account, kind):
        """Return ``(plaintext, expires_at)``, or ``(None, None)`` if absent."""
        record = self.sudo().search(
            [("account_id", "=", account.id), ("kind", "=", kind)], limit=1
        )
        if not record:
            return None, None
        try:
            plaintext = self._vault().decrypt(
                record.ciphertext, self._binding(record.account_id.id, record.kind)
            )
        except VaultError as exc:
            raise UserError(
                self.env._(
                    "The %(kind)s of account %(account)s cannot be read: %(reason)s",
                    kind=self._kind_label(kind),
                    account=account.display_name,
                    reason=str(exc),
                )
            ) from exc
        return plaintext, record.expires_at

    @api.model
    def _drop(self, account, kinds=None):
        domain = [("account_id", "in", account.ids)]
        if kinds:
            domain.append(("kind", "in", list(kinds)))
        self.sudo().search(domain).unlink()

    @api.model
    def _rotate_all(self, batch_size=500):
        """Re-encrypt every secret under the newest key; return how many.

        Fails as a whole (nothing half-rotated is committed by the caller's
        transaction) if a secret cannot be read by any configured key.
        """
        vault = self._vault()
        rotated = 0
        records = self.sudo().search([])
        for start in range(0, len(records), batch_size):
            for record in records[start : start + batch_size]:
                if not vault.needs_rotation(record.ciphertext):
                    continue
                binding = self._binding(record.account_id.id, record.kind)
                try:
                    ciphertext = vault.rotate(record.ciphertext, binding)
                except VaultError as exc:
                    raise UserError(
                        self.env._(
                            "Rotation stopped: the %(kind)s of account "
                            "%(account)s cannot be re-encrypted: %(reason)s",
                            kind=self._kind_label(record.kind),
                            account=record.account_id.display_name,
                            reason=str(exc),
                        )
                    ) from exc
                record.write(
                    {
                        "ciphertext": ciphertext,
                        "key_fingerprint": vault.current_fingerprint,
                    }
                )
                rotated += 1
        _logger.info("Vault rotation re-encrypted %s secret(s)", rotated)
        return rotated
