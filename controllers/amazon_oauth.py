"""Seller Central's redirect back to Odoo after the seller's consent (the
website authorisation workflow).

Everything that can go wrong ends on a page that tells the person what
happened and what to do, never a server error; nothing is stored unless the
state checks out and the code exchange and the Sellers API call succeed.
The code and the state never reach the log, and no page tells a person who
did not start the connection anything about the account.  Every answer
says ``Referrer-Policy: no-referrer`` (Amazon asks for it): the URL holds the
authorisation code, and the next page must not send it on.
"""

import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..amazon import AmazonAuthError, AmazonError, actionable
from ..models.amazon.amazon_environment import OAUTH_CALLBACK_PATH
from ..models.marketplace.oauth_state import OAuthStateError
from .callback_log_filter import redact_callback_queries

_logger = logging.getLogger(__name__)

redact_callback_queries(OAUTH_CALLBACK_PATH)

RESULT_TEMPLATE = "marketplace_connector.amazon_oauth_result_page"
ACCOUNTS_URL = "/odoo/action-marketplace_connector.marketplace_account_action"


class AmazonOAuthController(http.Controller):
    @http.route(OAUTH_CALLBACK_PATH, type="http", auth="user", methods=["GET"])
    def amazon_oauth_callback(
        self,
        state=None,
        selling_partner_id=None,
        spapi_oauth_code=None,
        error=None,
        **kwargs,
    ):
        env = request.env
        if not env.user.has_group("marketplace_connector.group_marketplace_manager"):
            return self._page(
                403,
                env._("Not allowed"),
                env._("Only marketplace managers can connect Amazon accounts."),
            )
        try:
            account = env["marketplace.account"]._amazon_oauth_check_state(state)
        except OAuthStateError as exc:
            _logger.warning("Refused an Amazon OAuth callback: %s", exc)
            return self._page(
                403, env._("This Amazon connection request is not valid"), str(exc)
            )
        if error or not spapi_oauth_code or not isinstance(spapi_oauth_code, str):
            reason = env._(
                "The application was not authorised on Seller Central (%(error)s).",
                error=(error if isinstance(error, str) else "")
                or env._("no authorisation code"),
            )
            account._amazon_oauth_record_failure(reason)
            return self._failed(account, env._("Amazon access was not granted"), reason)
        try:
            with env.cr.savepoint():
                account._amazon_oauth_complete(
                    spapi_oauth_code,
                    selling_partner_id if isinstance(selling_partner_id, str) else "",
                )
        except (AmazonError, UserError) as exc:
            reason = actionable(exc) if isinstance(exc, AmazonError) else exc.args[0]
            if isinstance(exc, AmazonAuthError):
                reason = env._(
                    "Amazon refused the authorisation code: %(reason)s", reason=reason
                )
            account._amazon_oauth_record_failure(reason)
            return self._failed(account, env._("Amazon connection failed"), reason)
        _logger.info("Amazon account %s connected", account.id)
        return self._no_referrer(request.redirect(f"{ACCOUNTS_URL}/{account.id}"))

    def _failed(self, account, title, reason):
        return self._page(
            400,
            title,
            reason
            + " "
            + request.env._("Nothing was stored; click Connect Amazon to try again."),
            account,
        )

    def _page(self, status, title, message, account=None):
        response = request.render(
            RESULT_TEMPLATE,
            {
                "title": title,
                "message": message,
                "back_url": f"{ACCOUNTS_URL}/{account.id}" if account else ACCOUNTS_URL,
            },
        )
        response.status_code = status
        return self._no_referrer(response)

    @staticmethod
    def _no_referrer(response):
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
