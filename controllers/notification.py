"""eBay's pushes: the challenge, then signed notifications.

Fails closed: anything unsigned, badly signed, malformed, stale or already
received is answered 4xx and stores nothing.  A valid notification is
stored once and a job processes it; the answer is immediate.
"""

import json
import logging
from datetime import datetime

from werkzeug.exceptions import BadRequest, NotFound

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

from ..ebay import EbayError
from ..ebay.notification import (
    SignatureError,
    challenge_response,
    parse_signature_header,
    verify,
)
from ..models.ebay_notification import STALE_AFTER

_logger = logging.getLogger(__name__)
MAX_BODY = 256 * 1024


class EbayNotificationController(http.Controller):
    def _account(self, account_id):
        env = request.env(user=SUPERUSER_ID)
        account = env["ebay.account"].browse(account_id).exists()
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
        token = account._verification_token()
        if not challenge_code or not token:
            raise BadRequest()
        endpoint = account.notification_url
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
        raw = request.httprequest.get_data(cache=False)
        if not raw or len(raw) > MAX_BODY:
            raise BadRequest()
        try:
            header = parse_signature_header(
                request.httprequest.headers.get("X-EBAY-SIGNATURE")
            )
            key_text, digest = request.env(user=SUPERUSER_ID)[
                "ebay.notification"
            ]._public_key(account, header["kid"])
            verify(raw, header, key_text, digest)
        except SignatureError as exc:
            _logger.warning(
                "Refused an eBay notification for account %s: %s", account_id, exc
            )
            return request.make_response("", status=412)
        except EbayError as exc:
            # Unknown key id (404) or eBay unreachable: not verifiable now.
            _logger.warning("Could not verify an eBay notification: %s", exc)
            return request.make_response("", status=412 if exc.status == 404 else 503)
        message = _parse_message(raw)
        if message is None:
            return request.make_response("", status=400)
        published = message["notification"].get("publishDate") or ""
        try:
            when = datetime.strptime(published[:19], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return request.make_response("", status=400)
        if fields.Datetime.now() - when > STALE_AFTER:
            return request.make_response("", status=409)
        Notification = request.env(user=SUPERUSER_ID)["ebay.notification"].with_company(
            account.company_id
        )
        stored = Notification._store_once(account, message)
        if stored is None:
            return request.make_response("", status=409)  # replay of a known id
        stored._enqueue()
        return request.make_response("", status=204)


def _parse_message(raw):
    """The envelope eBay sends, or None when it is not one."""
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(message, dict):
        return None
    metadata, body = message.get("metadata"), message.get("notification")
    if not isinstance(metadata, dict) or not isinstance(body, dict):
        return None
    if not isinstance(metadata.get("topic"), str) or not metadata["topic"]:
        return None
    notification_id = body.get("notificationId")
    if not isinstance(notification_id, str) or not 0 < len(notification_id) <= 100:
        return None
    if not isinstance(body.get("data", {}), dict):
        return None
    return message
