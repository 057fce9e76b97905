"""Amazon's consent round-trip of an account (Seller Central's website
authorisation workflow): the signed state, the code exchange, the
self-authorised refresh token; the marketplaces read after connecting; and
what a change of app, region or environment undoes.

The state is signed by models/marketplace/oauth_state.py under Amazon's own
scope (bound to the account, the user who started it and an expiry); a
one-time nonce stored on the account makes a replayed state useless once
used.  Nothing is stored unless the exchange and the Sellers API call both
succeed: the tokens are written last.
"""

import dataclasses
import logging
import secrets
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq

from ... import const
from ...amazon import AmazonError
from ..marketplace.oauth_state import OAuthStateError, make_state, read_state
from .amazon_environment import OAUTH_HMAC_SCOPE

_logger = logging.getLogger(__name__)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_oauth_nonce = fields.Char(
        copy=False, groups="base.group_system", system_field=True
    )
    amazon_draft_app = fields.Boolean(
        string="Draft application",
        groups="marketplace_connector.group_marketplace_manager",
        help="The application is still in Draft in Developer Central: the "
        "consent page is asked for with version=beta.",
    )

    # -- a new app, region or environment ------------------------------------------
    # The tokens belong to one app, one seller region and one environment;
    # the secret to one app and environment: sent anywhere else they leak,
    # so a change drops them.
    _AMAZON_APP_FIELDS = ("environment", "client_id", "amazon_region")

    def write(self, vals):
        changed = self.browse()
        if any(name in vals for name in self._AMAZON_APP_FIELDS):
            changed = self.filtered(
                lambda account: (
                    account.channel == "amazon"
                    and any(
                        (vals[name] or False) != (account.sudo()[name] or False)
                        for name in self._AMAZON_APP_FIELDS
                        if name in vals
                    )
                )
            )
        result = super().write(vals)
        if changed:
            changed._amazon_forget_app_credentials()
        return result

    def _amazon_forget_app_credentials(self):
        """Drop every vaulted secret; the account needs connecting again."""
        self.env["marketplace.secret"]._drop(self)
        # The caller's write passed the access checks; these fields are the
        # connector's to set.
        self._write_system(
            {
                "amazon_oauth_nonce": False,
                "amazon_selling_partner_id": False,
                "amazon_client_secret_rotated_on": False,
            }
        )
        connected = self.filtered(lambda account: account.state != "draft")
        if connected:
            connected._write_system({"state": "draft"})
        for account in self:
            account.message_post(
                body=self.env._(
                    "The Amazon environment, region or app changed: the tokens "
                    "and the client secret were removed. Connect the account "
                    "again."
                )
            )
            _logger.info("Amazon account %s: app credentials dropped", account.id)

    # -- state -----------------------------------------------------------------
    def _amazon_oauth_make_state(self):
        """Start a consent round-trip for the current user; return the state."""
        self.ensure_one()
        nonce = secrets.token_urlsafe(16)
        self._write_system({"amazon_oauth_nonce": nonce})
        ttl = const.OAUTH_STATE_TTL_SECONDS
        return make_state(self.env, OAUTH_HMAC_SCOPE, self.id, nonce, ttl)

    @api.model
    def _amazon_oauth_check_state(self, state):
        """Return the account a state belongs to, consuming its nonce.

        Raises :class:`OAuthStateError` with a reason a person can read.
        """
        account_id, nonce = read_state(self.env, OAUTH_HMAC_SCOPE, state)
        account = self.sudo().browse(account_id).exists()
        if (
            not account
            or account.channel != "amazon"
            or not account.amazon_oauth_nonce
            or not consteq(account.amazon_oauth_nonce, nonce)
        ):
            raise OAuthStateError(
                self.env._("This connection request was already used.")
            )
        account.amazon_oauth_nonce = False
        return account.sudo(False)

    def _amazon_consent_url(self, state):
        """Seller Central's consent page of the seller's region for this app."""
        self.ensure_one()
        account = self.sudo()
        params = {"application_id": account.amazon_application_id, "state": state}
        if account.amazon_draft_app:
            params["version"] = "beta"
        params["redirect_uri"] = account.amazon_callback_url
        return f"{self._amazon_endpoints().consent_url}?{urlencode(params)}"

    # -- completion --------------------------------------------------------------
    def _amazon_oauth_complete(self, code, selling_partner_id):
        """Exchange the code, read the marketplaces, store the tokens."""
        self.ensure_one()
        account = self.sudo()
        token = account._amazon_lwa_client().exchange_code(
            code, account.amazon_callback_url
        )
        account._amazon_connect(token, selling_partner_id, "consent")

    def _amazon_connect_self_authorised(self, refresh_token, selling_partner_id):
        """Connect with a refresh token the seller made in Seller Central
        (self-authorisation): one LWA refresh proves it, then as the consent."""
        self.ensure_one()
        account = self.sudo()
        token = account._amazon_lwa_client().refresh(refresh_token)
        # LWA answers with the refresh token it was given (facts §1); the one
        # pasted is the one kept either way.
        token = dataclasses.replace(token, refresh_token=refresh_token)
        account._amazon_connect(token, selling_partner_id, "self")

    def _amazon_connect(self, token, selling_partner_id, how):
        """Check the seller is not connected elsewhere, read its marketplaces
        with the new access token, then store everything (tokens last)."""
        self.ensure_one()
        account = self.sudo()
        seller = (selling_partner_id or "").strip()
        if not seller:
            raise UserError(self.env._("Amazon gave no selling partner ID."))
        other = self.sudo().search_count(
            [
                ("id", "!=", account.id),
                ("channel", "=", "amazon"),
                ("amazon_selling_partner_id", "=", seller),
                ("amazon_region", "=", account.amazon_region),
                ("environment", "=", account.environment),
                ("active", "in", (True, False)),
            ]
        )
        if other:
            # Another account (maybe another company's) holds this seller:
            # said without naming it.
            raise UserError(
                self.env._(
                    "This Amazon seller is already connected to another Odoo "
                    "account in this region; disconnect that one first."
                )
            )
        if account.amazon_selling_partner_id not in (False, seller):
            # A consent by another seller: the account's listings belong to
            # the first one.
            raise UserError(
                self.env._(
                    "This account belongs to another Amazon seller; create a "
                    "new account for this one."
                )
            )
        account._write_system({"amazon_selling_partner_id": seller})
        client = account._amazon_client_with(
            lambda force_refresh=False: token.access_token
        )
        entries = client.sellers.participations()
        account._amazon_sync_participations(entries)
        Secret = self.env["marketplace.secret"]
        Secret._store(account, "user_refresh", token.refresh_token)
        account._amazon_store_access_token(token)
        account._write_system(
            {
                "state": "connected",
                "connected_since": account.connected_since or fields.Datetime.now(),
                "last_error": False,
            }
        )
        reconnected = self.env._("the account is connected again")
        account._alert("token_revoked", False, reason=reconnected)
        account._alert("amazon_client_secret_expired", False, reason=reconnected)
        account.message_post(
            body=self.env._(
                "Connected to Amazon (seller %(seller)s, %(how)s).",
                seller=seller,
                how=(
                    self.env._("self-authorised")
                    if how == "self"
                    else self.env._("consent")
                ),
            )
        )
        _logger.info("Amazon account %s connected", account.id)

    def _amazon_sync_participations(self, entries):
        """Create or update a participation per marketplace Amazon lists;
        those it no longer lists stop being participations (kept, unselected,
        for the listings that point at them)."""
        self.ensure_one()
        Participation = self.env["amazon.marketplace.participation"].sudo()
        existing = {p.marketplace_id: p for p in self.amazon_participation_ids.sudo()}
        seen = set()
        for entry in entries:
            values = Participation._values_from_amazon(entry)
            code = values["marketplace_id"]
            if not code or code in seen:
                continue
            seen.add(code)
            if code in existing:
                existing[code].write(values)
            else:
                Participation.create(
                    dict(values, account_id=self.id, selected=values["participating"])
                )
        for code, participation in existing.items():
            if code not in seen:
                participation.write({"participating": False, "selected": False})
        if not self.amazon_default_participation_id.selected:
            first = self.amazon_participation_ids.filtered("selected")[:1]
            self._write_system({"amazon_default_participation_id": first.id})

    def _amazon_oauth_record_failure(self, reason):
        self.ensure_one()
        self._write_system({"last_error": reason})
        self.sudo().message_post(
            body=self.env._("Amazon connection failed: %(reason)s", reason=reason)
        )

    # -- buttons -------------------------------------------------------------
    def action_amazon_refresh_marketplaces(self):
        """Read the seller's marketplaces again from the Sellers API."""
        self.ensure_one()
        self.check_access("write")  # managers, before the call
        try:
            entries = self._amazon_client().sellers.participations()
        except AmazonError as exc:
            raise UserError(
                self.env._(
                    "Amazon could not be asked for the marketplaces of %(name)s: "
                    "%(reason)s",
                    name=self.name,
                    reason=self._marketplace_error_message(exc),
                )
            ) from None
        self._amazon_sync_participations(entries)
        participating = self.amazon_participation_ids.filtered("participating")
        return self._marketplace_notify(
            self.env._("Amazon marketplaces"),
            self.env._(
                "Amazon answers: this seller sells in %(count)s marketplace(s): "
                "%(names)s.",
                count=len(participating),
                names=", ".join(participating.mapped("name")),
            )
            if participating
            else self.env._(
                "Amazon answers, but this seller sells in no marketplace yet: "
                "register in one on Seller Central."
            ),
        )
