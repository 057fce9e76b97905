"""The consent round-trip of an account: signed state, code exchange; and
what a change of app or environment undoes.

The ``state`` sent to eBay is signed by models/marketplace/oauth_state.py
(bound to the account, the user who started it and an expiry); a one-time
nonce stored on the account makes a replayed state useless once used.
"""

import logging
import secrets
import time

from odoo import api, fields, models
from odoo.tools import consteq

from ... import const
from ...ebay import EbayClient
from ..marketplace.http_session import http_session
from ..marketplace.oauth_state import (
    OAuthStateError,
    make_state,
    read_state,
    sign_state,
)
from ..marketplace.timestamps import epoch_to_datetime

_logger = logging.getLogger(__name__)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_oauth_nonce = fields.Char(
        copy=False, groups="base.group_system", system_field=True
    )
    ebay_granted_scopes = fields.Text(
        string="Granted scopes", readonly=True, copy=False, system_field=True
    )

    # -- a new app or environment -------------------------------------------------
    # Tokens and the client secret belong to one app on one eBay environment:
    # sent anywhere else they leak, so a change of either drops them.
    _APP_FIELDS = ("environment", "client_id")

    def write(self, vals):
        changed = self.browse()
        if any(name in vals for name in self._APP_FIELDS):
            changed = self.filtered(
                lambda account: (
                    account.channel == "ebay"
                    and any(
                        (vals[name] or False) != (account.sudo()[name] or False)
                        for name in self._APP_FIELDS
                        if name in vals
                    )
                )
            )
        result = super().write(vals)
        if changed:
            changed._forget_app_credentials()
        return result

    def _forget_app_credentials(self):
        """Drop every vaulted secret; the account needs connecting again."""
        self.env["marketplace.secret"]._drop(self)
        # The caller's write passed the access checks; the state is the
        # connector's to set.
        self.sudo().write({"ebay_oauth_nonce": False})
        connected = self.filtered(lambda account: account.state != "draft")
        if connected:
            connected.sudo().write({"state": "draft"})
        for account in self:
            account.message_post(
                body=self.env._(
                    "The eBay environment or app changed: the tokens and the "
                    "client secret were removed. Connect the account again."
                )
            )
            _logger.info("eBay account %s: app credentials dropped", account.id)

    # -- state -----------------------------------------------------------------
    def _oauth_sign(self, payload):
        return sign_state(self.env, const.OAUTH_HMAC_SCOPE, payload)

    def _oauth_make_state(self):
        """Start a consent round-trip for the current user; return the state."""
        self.ensure_one()
        nonce = secrets.token_urlsafe(16)
        self.sudo().ebay_oauth_nonce = nonce
        ttl = const.OAUTH_STATE_TTL_SECONDS
        return make_state(self.env, const.OAUTH_HMAC_SCOPE, self.id, nonce, ttl)

    @api.model
    def _oauth_check_state(self, state):
        """Return the account a state belongs to, consuming its nonce.

        Raises :class:`OAuthStateError` with a reason a person can read.
        """
        account_id, nonce = read_state(self.env, const.OAUTH_HMAC_SCOPE, state)
        account = self.sudo().browse(account_id).exists()
        if (
            not account
            or not account.ebay_oauth_nonce
            or not consteq(account.ebay_oauth_nonce, nonce)
        ):
            raise OAuthStateError(
                self.env._("This connection request was already used.")
            )
        account.ebay_oauth_nonce = False
        return account.sudo(False)

    # -- completion --------------------------------------------------------------
    def _oauth_complete(self, code):
        """Exchange the code, store the tokens, record who we are on eBay.

        Nothing is stored unless the exchange and the identity call both
        succeed: tokens are written last, after getUser has answered.
        """
        self.ensure_one()
        account = self.sudo()
        tokens = account._oauth_client().exchange_code(code)
        client = account._client_with_token(tokens.access_token)
        user = client.get_user()
        Token = self.env["marketplace.secret"]
        access_expiry = epoch_to_datetime(tokens.access_expires_at)
        refresh_expiry = epoch_to_datetime(tokens.refresh_expires_at)
        Token._store(account, "user_access", tokens.access_token, access_expiry)
        Token._store(account, "user_refresh", tokens.refresh_token, refresh_expiry)
        account.write(
            {
                "state": "connected",
                "ebay_user_id": user.get("userId"),
                "ebay_username": user.get("username"),
                "ebay_granted_scopes": "\n".join(account._scope_list()),
                "connected_since": account.connected_since
                or epoch_to_datetime(time.time()),
                "last_error": False,
            }
        )
        reconnected = self.env._("the account is connected again")
        account._alert("token_revoked", False, reason=reconnected)
        account._alert("token_expiring", False, reason=reconnected)

        account.message_post(
            body=self.env._("Connected to eBay as %(user)s.", user=user.get("username"))
        )
        return user

    def _client_with_token(self, access_token):
        """A client bound to a just-minted token, before anything is stored."""
        return EbayClient(
            self._ebay_endpoints(),
            token_provider=lambda force_refresh=False: access_token,
            session=http_session(),
            marketplace_id=self.ebay_marketplace_id,
            **self._ebay_call_hooks(),
        )

    def _oauth_record_failure(self, reason):
        self.ensure_one()
        self.sudo().write({"last_error": reason})
        self.sudo().message_post(
            body=self.env._("eBay connection failed: %(reason)s", reason=reason)
        )
