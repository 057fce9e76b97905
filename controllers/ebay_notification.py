"""eBay's pushes: the challenge, then signed notifications.

Fails closed: anything unsigned, badly signed, malformed, stale or dated in
the future is answered 4xx and stores nothing.  A valid notification is
stored once and a job processes it; the answer is immediate.  A notification
already received is acknowledged (2xx) without being stored again: eBay
redelivers what it thinks was not acknowledged, and marks a destination that
keeps failing as down.

The endpoint is public: its answers carry no text at all (no account name,
no reason), only a status.  An account with no destination registered on
eBay receives nothing from eBay, so a post for it is refused before any call.
"""

import logging

from werkzeug.exceptions import BadRequest, NotFound

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

from ..ebay.notification import (
    EnvelopeError,
    SignatureError,
    challenge_response,
    parse_envelope,
    parse_signature_header,
    parse_timestamp,
    verify,
)
from ..models.ebay.notification_common import CLOCK_SKEW, STALE_AFTER, KeyUnavailable

_logger = logging.getLogger(__name__)
MAX_BODY = 256 * 1024


def _status(status):
    return request.make_response("", status=status)


class EbayNotificationController(http.Controller):
    def _account(self, account_id):
        env = request.env(user=SUPERUSER_ID)
        account = env["marketplace.account"].browse(account_id).exists()
        if not account:
            raise NotFound()
        return account.with_company(account.company_id)

    @http.route(
        "/ebay/notification/<int:account_id>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def ebay_notification_challenge(self, account_id, challenge_code=None, **kwargs):
        account = self._account(account_id)
        token = account._ebay_verification_token()
        if not challenge_code or not token:
            raise BadRequest()
        endpoint = account.ebay_notification_url
        return request.make_json_response(
            {"challengeResponse": challenge_response(challenge_code, token, endpoint)}
        )

    @http.route(
        "/ebay/notification/<int:account_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def ebay_notification(self, account_id, **kwargs):
        account = self._account(account_id)
        if not account.ebay_notification_destination_id:
            # eBay only pushes to a registered destination: this is not eBay.
            # Answered like an unknown account, and nothing is asked of eBay.
            raise NotFound()
        raw = request.httprequest.get_data(cache=False)
        if not raw or len(raw) > MAX_BODY:
            return _status(400)
        try:
            header = parse_signature_header(
                request.httprequest.headers.get("X-EBAY-SIGNATURE")
            )
        except SignatureError as exc:
            return self._refused(account, exc, 412)
        try:
            message = parse_envelope(raw)
        except EnvelopeError as exc:
            return self._refused(account, exc, 400)
        # Checked before the key lookup: an old or future message costs no
        # call to eBay.
        published = parse_timestamp(message["notification"]["publishDate"])
        now = fields.Datetime.now()
        if published - now > CLOCK_SKEW:
            return self._refused(account, "published in the future", 400)
        if now - published > STALE_AFTER:
            return self._refused(account, "published too long ago", 409)
        Notification = request.env(user=SUPERUSER_ID)["marketplace.notification"]
        try:
            key_text, digest = Notification._ebay_public_key(account, header["kid"])
            verify(raw, header, key_text, digest)
        except SignatureError as exc:
            return self._refused(account, exc, 412)
        except KeyUnavailable as exc:
            # Not verifiable now.  eBay redelivers on any non-2xx answer.
            return self._refused(account, exc, 503 if exc.transient else 412)
        body = message["notification"]
        stored = Notification.with_company(account.company_id)._store_once(
            account,
            body["notificationId"],
            message["metadata"]["topic"],
            published,
            body.get("data"),
        )
        if stored is not None:
            stored._enqueue()
        # A known id was received before: acknowledged, so eBay stops.
        return _status(204)

    def _refused(self, account, reason, status):
        _logger.warning(
            "Refused an eBay notification for account %s (%s): %s",
            account.id,
            status,
            reason,
        )
        return _status(status)
