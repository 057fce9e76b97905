"""Amazon's notifications of an account: set-up, the SQS poll, processing.

Amazon delivers notifications only to AWS (AMAZON_FACTS §10): to the
seller's SQS queue here.  A manager types the queue URL, its region and an
AWS access key allowed to use it (the secret key goes to the vault and is
never shown back), then "Set up notifications" makes, each step once
(looked up before it is created, so a second run changes nothing):

1. the queue policy that lets the Selling Partner API (AWS account
   437568002678) send messages and read the queue's attributes;
2. the application's SQS destination for that queue (grantless call);
3. the seller's ORDER_CHANGE subscription to that destination.

``_job_amazon_poll_sqs`` receives with long polling (one receive waits at
the queue until a message comes, up to WAIT_SECONDS), stores each message
once by its notificationId in the neutral
inbox (``marketplace.notification._store_once``; topic ORDER_CHANGE, data
only the order id and the change type, never buyer data) and deletes the
messages from SQS only after the storing transaction committed
(``cr.postcommit``): a crash before the commit leaves them in the queue, and
the next receive stores nothing twice.  A message that cannot be read, or
that is not this seller's and this application's ORDER_CHANGE, is set aside
as a notification in error with the reason (staff see it in the inbox) and
deleted, so it never blocks the queue.  A message whose storing fails
(a database error) is not deleted: SQS makes it visible again, and after
the queue's maxReceiveCount its redrive policy moves it to the seller's
dead-letter queue (configured on the queue in AWS, not by the connector).
A poll that read the queue queues the next one at once, so a receive is
always waiting: a message is stored, and its order re-read, within about a
second of its arrival.  The cron (every minute, or the button) only starts
that chain again when a poll failed or was lost.

``_job_amazon_process_notifications`` takes the account's new ORDER_CHANGEs
as eBay's inbox does (``marketplace.notification._take_new``: up to
NOTIFICATION_BATCH, locked, those another job holds skipped; the rest in the
next job, queued at once), dedupes the order ids (SQS delivers at least
once: the same message twice is stored once, two messages of one order are
one read) and re-reads those
orders through the Orders API (``_amazon_import_orders``): the message is
never trusted for order data, and the neutral claim makes one sale order
per Amazon order whatever mix of polls and notifications delivers it.

The SQS endpoint is AWS's own in production and sandbox; in the emulator
environment only the server's switch ``AMAZON_SQS_ENDPOINT_URL`` (a
loopback URL: moto in tests and the demo) chooses it, never a typed URL.
"""

import functools
import json
import logging
from datetime import datetime, timezone

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ...amazon import AmazonError
from ...amazon.notifications import ORDER_CHANGE, SCOPE, NotificationsApi
from ...amazon.sqs import SqsError, SqsQueue, SqsUnavailable, parse_queue_url
from ...amazon.sqs import queue_arn as sqs_queue_arn
from ..marketplace.job_edge import marketplace_job
from ..marketplace.loopback_url import configured_loopback_url
from ..marketplace.marketplace_account_orders import NOTIFICATION_BATCH
from .marketplace_secret import AWS_SECRET_KIND

_logger = logging.getLogger(__name__)

SQS_ENDPOINT_ENV = "AMAZON_SQS_ENDPOINT_URL"
SQS_ENDPOINT_CONFIG = "amazon_sqs_endpoint_url"
# One poll: up to this many receives of 10 messages, the first waiting up to
# WAIT_SECONDS for a message (long polling, SQS's maximum: an empty queue
# costs one call every 20 seconds).
POLL_BATCHES = 10
WAIT_SECONDS = 20
# The account's "Queue last read" is written at most this often by polls
# that change nothing else (a poll every 20 seconds, each writing the
# account row, would collide with the other jobs that write it).
LAST_POLL_PRECISION = 60
# Orders re-read per call of the order import (one job edge for them all).
IMPORT_BATCH = 20
DESTINATION_NAME = "Odoo marketplace connector"
SET_ASIDE_PREFIX = "sqs:"


def sqs_endpoint_url():
    """The SQS endpoint the server's configuration enables for the emulator
    environment (loopback only), or None."""
    return configured_loopback_url(
        SQS_ENDPOINT_ENV, SQS_ENDPOINT_CONFIG, _logger, "the emulator's SQS"
    )


def _published_at(text):
    """An ISO 8601 UTC time (``2020-07-13T19:42:04.284Z``) as a naive UTC
    datetime, or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _delete_after_commit(queue_factory, receipts):
    """Delete ``receipts`` once the transaction that stored them committed;
    a failure only logs: the messages come back and are not stored twice."""
    try:
        failed = queue_factory().delete(receipts)
    except (SqsError, SqsUnavailable) as exc:
        _logger.warning("SQS messages not deleted, they will come back: %s", exc)
        return
    if failed:
        _logger.warning("%s SQS messages not deleted, they will come back", len(failed))


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_sqs_queue_url = fields.Char(
        string="SQS queue URL",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
        help="The seller's SQS queue Amazon delivers notifications to, e.g. "
        "https://sqs.us-east-1.amazonaws.com/123456789012/amazon-orders.",
    )
    amazon_sqs_region = fields.Char(
        string="SQS region",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
        help="The queue's AWS region, e.g. us-east-1.",
    )
    amazon_aws_access_key_id = fields.Char(
        string="AWS access key ID",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
        help="An IAM user's key that may receive, delete, read the attributes "
        "of and set the policy of the queue.",
    )
    # Typed, never read back: the inverse vaults it, the compute shows nothing.
    amazon_aws_secret_access_key = fields.Char(
        string="AWS secret access key",
        compute="_compute_amazon_aws_secret_access_key",
        inverse="_inverse_amazon_aws_secret_access_key",
        groups="marketplace_connector.group_marketplace_manager",
        copy=False,
        help="Kept encrypted in the vault; never shown again.",
    )
    amazon_has_aws_secret = fields.Boolean(
        string="AWS secret key stored",
        compute="_compute_amazon_has_aws_secret",
        groups="marketplace_connector.group_marketplace_manager",
    )
    amazon_notification_destination_id = fields.Char(
        string="Notification destination",
        readonly=True,
        copy=False,
        system_field=True,
        help="Amazon's id of the SQS destination of this account's queue.",
    )
    amazon_order_subscription_id = fields.Char(
        string="ORDER_CHANGE subscription",
        readonly=True,
        copy=False,
        system_field=True,
        help="Amazon's id of the seller's ORDER_CHANGE subscription.",
    )
    amazon_sqs_last_poll = fields.Datetime(
        string="Queue last read",
        readonly=True,
        copy=False,
        system_field=True,
        help="The last successful receive from the SQS queue.",
    )
    amazon_sqs_backlog = fields.Integer(
        string="Messages waiting",
        readonly=True,
        copy=False,
        system_field=True,
        help="ApproximateNumberOfMessages of the queue at the last poll.",
    )

    def _compute_amazon_aws_secret_access_key(self):
        for account in self:
            account.amazon_aws_secret_access_key = False

    def _inverse_amazon_aws_secret_access_key(self):
        for account in self:
            secret = (account.amazon_aws_secret_access_key or "").strip()
            if secret:
                self.env["marketplace.secret"]._store(account, AWS_SECRET_KIND, secret)

    def write(self, vals):
        if {"amazon_sqs_queue_url", "amazon_sqs_region"} & set(vals):
            # Amazon delivers to the queue the destination names: another
            # queue is not set up until the set-up runs again.
            changed = self.filtered(
                lambda a: (
                    a.amazon_order_subscription_id
                    and (
                        a.sudo().amazon_sqs_queue_url
                        != vals.get(
                            "amazon_sqs_queue_url", a.sudo().amazon_sqs_queue_url
                        )
                        or a.sudo().amazon_sqs_region
                        != vals.get("amazon_sqs_region", a.sudo().amazon_sqs_region)
                    )
                )
            )
            # The subscription id is kept: the set-up knows it for this
            # account's own and moves it to the new destination.
            changed._write_system({"amazon_notification_destination_id": False})
        result = super().write(vals)
        if vals.get("amazon_aws_secret_access_key"):
            # The typed value would stay in this transaction's cache: the
            # next read in it must find nothing, as every later one does.
            self.invalidate_recordset(["amazon_aws_secret_access_key"])
        return result

    def _compute_amazon_has_aws_secret(self):
        stored = (
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "in", self.ids), ("kind", "=", AWS_SECRET_KIND)])
            .account_id
        )
        for account in self:
            account.amazon_has_aws_secret = account in stored

    # -- the queue ---------------------------------------------------------------
    def _amazon_sqs_endpoint(self):
        """None (AWS's own endpoint) outside the emulator environment; there,
        the server's switch, without which nothing is polled."""
        self.ensure_one()
        if self.environment != "emulator":
            return None
        url = sqs_endpoint_url()
        if not url:
            raise UserError(
                _(
                    "The emulator's SQS is not enabled on this server: an "
                    "administrator sets %(env)s to moto's loopback URL.",
                    env=SQS_ENDPOINT_ENV,
                )
            )
        return url

    def _amazon_sqs_missing(self):
        """What is missing to reach the queue, in words (empty: nothing)."""
        self.ensure_one()
        account = self.sudo()
        missing = []
        if not account.amazon_sqs_queue_url:
            missing.append(_("the SQS queue URL"))
        if not account.amazon_sqs_region:
            missing.append(_("the SQS region"))
        if not account.amazon_aws_access_key_id:
            missing.append(_("the AWS access key ID"))
        if not account.amazon_has_aws_secret:
            missing.append(_("the AWS secret access key"))
        return missing

    def _amazon_sqs_queue_factory(self):
        """A callable making the account's SqsQueue (the secret read now and
        held only by the callable, for a post-commit delete)."""
        self.ensure_one()
        account = self.sudo()
        secret, _expiry = self.env["marketplace.secret"]._read_secret(
            account, AWS_SECRET_KIND
        )
        values = {
            "queue_url": account.amazon_sqs_queue_url,
            "region": account.amazon_sqs_region.strip(),
            "access_key_id": account.amazon_aws_access_key_id.strip(),
            "secret_access_key": secret,
            "endpoint_url": self._amazon_sqs_endpoint(),
        }
        return functools.partial(SqsQueue, **values)

    def _amazon_queue_arn(self):
        self.ensure_one()
        account = self.sudo()
        return sqs_queue_arn(
            account.amazon_sqs_region.strip(), account.amazon_sqs_queue_url
        )

    # -- grantless calls ---------------------------------------------------------
    def _amazon_notifications_api(self):
        """The Notifications API of this account: the seller's token for
        subscriptions, a grantless token with the notifications scope for
        destinations (asked of LWA once per client, never stored)."""
        self.ensure_one()
        self._amazon_check_can_call()
        account = self
        cache = {}

        def token(force_refresh=False, grantless=False):
            if not grantless:
                return account._amazon_access_token(force_refresh=force_refresh)
            if force_refresh or "grantless" not in cache:
                cache["grantless"] = (
                    account._amazon_lwa_client().grantless(SCOPE).access_token
                )
            return cache["grantless"]

        return NotificationsApi(self._amazon_client_with(token))

    # -- set-up --------------------------------------------------------------------
    def action_amazon_setup_notifications(self):
        """Queue policy, destination, ORDER_CHANGE subscription: each made
        once, a clear message for each failure; a summary in words."""
        self.ensure_one()
        self.check_access("write")  # before any call to AWS or Amazon
        if not self.env.user.has_group(
            "marketplace_connector.group_marketplace_manager"
        ):
            raise UserError(_("Only a marketplace manager sets up notifications."))
        if self.channel != "amazon":
            raise UserError(
                _("Notifications are set up here for Amazon accounts only.")
            )
        # One account per queue: each poll sets aside (and deletes) the
        # messages of other sellers, so two accounts on one queue would
        # take each other's orders away.
        sharing = self.sudo().amazon_sqs_queue_url and (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "!=", self.id),
                    ("channel", "=", "amazon"),
                    ("amazon_sqs_queue_url", "=", self.sudo().amazon_sqs_queue_url),
                ],
                limit=1,
            )
        )
        if sharing:
            raise UserError(
                _(
                    "Another Amazon account already uses this SQS queue: give "
                    "each account a queue of its own."
                )
            )
        if self.state != "connected":
            raise UserError(
                _("Connect account %(name)s to Amazon first.", name=self.name)
            )
        missing = self._amazon_sqs_missing()
        if missing:
            raise UserError(
                _(
                    "Enter %(missing)s before setting up notifications.",
                    missing=", ".join(missing),
                )
            )
        try:
            parse_queue_url(self.sudo().amazon_sqs_queue_url)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        steps = [self._amazon_setup_queue_policy()]
        destination_id, said = self._amazon_setup_destination()
        steps.append(said)
        steps.append(self._amazon_setup_subscription(destination_id))
        summary = " ".join(steps)
        self.message_post(body=summary)
        return self._marketplace_notify(_("Amazon notifications"), summary)

    def _amazon_setup_queue_policy(self):
        try:
            queue = self._amazon_sqs_queue_factory()()
            queue.allow_amazon(self._amazon_queue_arn())
        except SqsError as exc:
            raise UserError(
                _(
                    "AWS refused to set the queue policy of %(queue)s: %(reason)s. "
                    "Check the queue URL and region, and that the access key may "
                    "call sqs:SetQueueAttributes on this queue.",
                    queue=self.sudo().amazon_sqs_queue_url,
                    reason=str(exc),
                )
            ) from None
        except SqsUnavailable as exc:
            raise UserError(
                _(
                    "AWS SQS could not be reached: %(reason)s. Try again later.",
                    reason=str(exc),
                )
            ) from None
        return _("The queue lets Amazon send notifications to it.")

    def _amazon_notification_error(self, step, exc):
        return UserError(
            _(
                "Amazon refused to %(step)s: %(reason)s",
                step=step,
                reason=self._marketplace_error_message(exc),
            )
        )

    def _amazon_setup_destination(self):
        arn = self._amazon_queue_arn()
        api_ = self._amazon_notifications_api()
        try:
            destination = api_.destination_for_queue(arn)
            if destination:
                said = _("The queue's destination at Amazon exists already.")
            else:
                destination = api_.create_sqs_destination(DESTINATION_NAME, arn)
                said = _("The queue is now Amazon's destination for notifications.")
        except AmazonError as exc:
            raise self._amazon_notification_error(
                _("make the queue a notification destination"), exc
            ) from None
        destination_id = destination["destinationId"]
        self._write_system({"amazon_notification_destination_id": destination_id})
        return destination_id, said

    def _amazon_setup_subscription(self, destination_id):
        api_ = self._amazon_notifications_api()
        step = _("subscribe the seller to order changes")
        try:
            subscription = api_.subscription(ORDER_CHANGE)
            if subscription and subscription.get("destinationId") != destination_id:
                if subscription["subscriptionId"] != self.amazon_order_subscription_id:
                    raise UserError(
                        _(
                            "The seller's ORDER_CHANGE subscription %(id)s sends "
                            "to another destination, which this account did not "
                            "make. Delete it with the application that made it, "
                            "then set up notifications again.",
                            id=subscription["subscriptionId"],
                        )
                    )
                # This account's own subscription, to its former queue.
                api_.delete_subscription(ORDER_CHANGE, subscription["subscriptionId"])
                subscription = None
            if subscription:
                said = _("The seller's order changes were already subscribed.")
            else:
                subscription = api_.create_subscription(ORDER_CHANGE, destination_id)
                said = _("The seller's order changes now arrive in the queue.")
        except AmazonError as exc:
            raise self._amazon_notification_error(step, exc) from None
        self._write_system(
            {"amazon_order_subscription_id": subscription["subscriptionId"]}
        )
        return said

    # -- the poll ------------------------------------------------------------------
    def _amazon_notifications_ready(self):
        self.ensure_one()
        return (
            self.channel == "amazon"
            and self.state == "connected"
            and bool(self.amazon_order_subscription_id)
            and bool(self.amazon_notification_destination_id)
            and not self._amazon_sqs_missing()
        )

    @api.model
    def _cron_amazon_poll_sqs(self):
        for account in self.search(
            [("channel", "=", "amazon"), ("amazon_order_subscription_id", "!=", False)]
        ):
            if account._amazon_notifications_ready():
                account._amazon_enqueue_sqs_poll()

    def _amazon_enqueue_sqs_poll(self):
        for account in self:
            account.with_delay(
                identity_key=f"amazon.sqs.poll:{account.id}",
                description=f"Amazon SQS poll {account.name}",
            )._job_amazon_poll_sqs()

    def action_amazon_poll_sqs(self):
        """The poll, now (a button): queued like the cron's."""
        self.check_access("write")
        for account in self:
            if not account._amazon_notifications_ready():
                raise UserError(
                    _("Set up notifications of %(name)s first.", name=account.name)
                )
        # The poll and the imports it queues are the connector's work (they
        # write system fields): queued as the system, as the cron's are.
        self.sudo()._amazon_enqueue_sqs_poll()
        return self[:1]._marketplace_notify(
            _("Amazon notifications"),
            _(
                "The queue will be read in a moment: new order changes then "
                "appear under Orders."
            ),
            next_step=False,
        )

    @marketplace_job
    def _job_amazon_poll_sqs(self, batches=POLL_BATCHES, wait_seconds=WAIT_SECONDS):
        self.ensure_one()
        if not self._amazon_notifications_ready():
            return f"skipped: account {self.id} has no notifications set up"
        factory = self._amazon_sqs_queue_factory()
        counts = {"stored": 0, "duplicate": 0, "set_aside": 0, "failed": 0}
        receipts = []
        backlog = None
        with self._job_edge(record=self, operation="sqs.receiveMessage") as edge:
            queue = factory()
            for _batch in range(batches):
                messages = queue.receive(10, wait_seconds=wait_seconds)
                for message in messages:
                    outcome = self._amazon_store_sqs_message(message)
                    counts[outcome] += 1
                    if outcome != "failed":
                        receipts.append(message["ReceiptHandle"])
                if len(messages) < 10:
                    break
                wait_seconds = 0  # more batches: only what is already there
            backlog = int(queue.attributes().get("ApproximateNumberOfMessages") or 0)
        if receipts:
            # Deleted only once what was stored is committed: a rollback
            # leaves the messages in the queue, to be stored next time.
            self.env.cr.postcommit.add(
                functools.partial(_delete_after_commit, factory, receipts)
            )
        if edge.failed:
            # No next poll: the cron starts the chain again (a minute, not a
            # loop of failures).
            return f"SQS poll stopped: {edge.message}"
        now = fields.Datetime.now()
        last = self.amazon_sqs_last_poll
        a_minute_on = not last or (now - last).total_seconds() >= LAST_POLL_PRECISION
        if a_minute_on or backlog != self.amazon_sqs_backlog:
            self._write_system(
                {"amazon_sqs_last_poll": now, "amazon_sqs_backlog": backlog}
            )
        # The next receive waits at the queue as soon as this one is done.
        self._amazon_enqueue_sqs_poll()
        # Also what an earlier processing left new (the account was
        # disconnected, a job gave up) when no processing job of the account
        # waits to take it (a next try keeps its delay).
        if counts["stored"] or (
            self._amazon_new_order_notifications()
            and not self._amazon_processing_waiting()
        ):
            self._amazon_enqueue_notification_processing()
        return ", ".join(f"{count} {name}" for name, count in counts.items())

    def _amazon_store_sqs_message(self, message):
        """Store one SQS message: ``"stored"``, ``"duplicate"``,
        ``"set_aside"`` (kept in error, deleted from the queue) or
        ``"failed"`` (left in the queue, for SQS's redrive policy)."""
        Notification = self.env["marketplace.notification"].sudo()
        parsed, reason = self._amazon_read_sqs_message(message)
        try:
            with self.env.cr.savepoint():
                if reason:
                    set_aside = Notification._store_once(
                        self,
                        f"{SET_ASIDE_PREFIX}{message.get('MessageId')}",
                        parsed.get("topic") or "UNREADABLE",
                        parsed.get("published_at") or None,
                        {},
                    )
                    if set_aside:
                        set_aside.write({"state": "error", "result": reason})
                        _logger.warning(
                            "Amazon account %s: SQS message %s set aside: %s",
                            self.id,
                            message.get("MessageId"),
                            reason,
                        )
                    return "set_aside"
                stored = Notification._store_once(
                    self,
                    parsed["notification_id"],
                    ORDER_CHANGE,
                    parsed["published_at"],
                    parsed["data"],
                )
        except Exception:
            _logger.exception(
                "Amazon account %s: SQS message %s not stored; SQS delivers it "
                "again and, after the queue's maxReceiveCount, to its dead-letter "
                "queue",
                self.id,
                message.get("MessageId"),
            )
            return "failed"
        return "stored" if stored else "duplicate"

    def _amazon_read_sqs_message(self, message):
        """``(parsed, reason)``: parsed has notification_id, published_at,
        data (order id and change type only) and topic; reason says why the
        message is set aside (None: it is this account's ORDER_CHANGE)."""
        self.ensure_one()
        try:
            body = json.loads(message.get("Body") or "")
        except ValueError:
            return {}, _("The message is not JSON.")
        if not isinstance(body, dict):
            return {}, _("The message is not a JSON object.")
        topic = body.get("NotificationType")
        metadata = body.get("NotificationMetadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        parsed = {
            "topic": str(topic)[:64] if topic else False,
            "published_at": _published_at(metadata.get("PublishTime")),
        }
        if topic != ORDER_CHANGE:
            return parsed, _(
                "Not an ORDER_CHANGE notification (%(type)s).", type=parsed["topic"]
            )
        account = self.sudo()
        if metadata.get("ApplicationId") != account.amazon_application_id:
            return parsed, _("The notification is for another application.")
        payload = body.get("Payload")
        change = (
            payload.get("OrderChangeNotification")
            if isinstance(payload, dict)
            else None
        )
        if not isinstance(change, dict):
            return parsed, _("The notification has no OrderChangeNotification.")
        if change.get("SellerId") != account.amazon_selling_partner_id:
            return parsed, _("The notification is for another seller.")
        order_id = change.get("AmazonOrderId")
        notification_id = metadata.get("NotificationId")
        if not isinstance(order_id, str) or not order_id:
            return parsed, _("The notification names no order.")
        if not isinstance(notification_id, str) or not notification_id:
            return parsed, _("The notification has no notificationId.")
        parsed.update(
            notification_id=notification_id[:128],
            data={
                "order_id": order_id[:64],
                "change_type": str(change.get("OrderChangeType") or "")[:64],
            },
        )
        return parsed, None

    # -- processing ----------------------------------------------------------------
    def _amazon_enqueue_notification_processing(self):
        """A processing job, at once.  No identity key, as for eBay's
        inbox: a job already waiting may start, and take the new rows,
        before the transaction that stored these commits, and would never
        see them; a spare job finds nothing new."""
        for account in self:
            account.with_delay(
                description=f"Amazon notifications {account.name}",
            )._job_amazon_process_notifications()

    def _amazon_processing_waiting(self):
        """Is a processing job of this account queued or running?"""
        self.ensure_one()
        return bool(
            self.env["queue.job"]
            .sudo()
            .search_count(
                [
                    ("model_name", "=", self._name),
                    ("method_name", "=", "_job_amazon_process_notifications"),
                    (
                        "state",
                        "in",
                        ("wait_dependencies", "pending", "enqueued", "started"),
                    ),
                    ("func_string", "=like", f"{self._name}({self.id},).%"),
                ],
                limit=1,
            )
        )

    def _amazon_new_order_notifications(self):
        self.ensure_one()
        return (
            self.env["marketplace.notification"]
            .sudo()
            .search(
                [
                    ("account_id", "=", self.id),
                    ("channel", "=", "amazon"),
                    ("topic", "=", ORDER_CHANGE),
                    ("state", "=", "new"),
                ],
                order="id",
            )
        )

    @marketplace_job
    def _job_amazon_process_notifications(self):
        """Re-read the orders of every new ORDER_CHANGE of the account."""
        self.ensure_one()
        if self.state != "connected":
            # Kept new: once the account is connected again, the next SQS
            # poll queues their processing (the orders poll catches up too).
            return f"skipped: account {self.id} is {self.state}"
        taken = (
            self.env["marketplace.notification"]
            .sudo()
            ._take_new(self, NOTIFICATION_BATCH)
        )
        if not taken:
            return "nothing new"
        if len(taken) == NOTIFICATION_BATCH:
            self._amazon_enqueue_notification_processing()  # the rest, at once
        notifications = taken.filtered(lambda n: n.topic == ORDER_CHANGE)
        # Only ORDER_CHANGE is stored new (any other message is set aside).
        (taken - notifications).write(
            {"state": "error", "result": _("Not an order change: nothing to do.")}
        )
        if not notifications:
            return "nothing new"
        by_order = {}
        for notification in notifications:
            data = json.loads(notification.data or "{}")
            by_order.setdefault(data.get("order_id"), notification.browse())
            by_order[data.get("order_id")] |= notification
        nameless = by_order.pop(None, self.env["marketplace.notification"])
        if nameless:
            nameless.write({"state": "error", "result": "no order id"})
        order_ids = list(by_order)
        done = failed = 0
        for start in range(0, len(order_ids), IMPORT_BATCH):
            batch = order_ids[start : start + IMPORT_BATCH]
            outcome = self._amazon_import_notified(batch, by_order)
            if outcome == "retrying":
                # The edge queued the next try; it takes what is still new.
                break
            done += outcome[0]
            failed += outcome[1]
        return f"{done} order(s) re-read, {failed} refused"

    def _amazon_import_notified(self, order_ids, by_order):
        """Import ``order_ids`` in one edge; a refusal of the batch is
        retried order by order so that one bad order holds back no other.
        ``(done, refused)`` or ``"retrying"``."""
        with self._job_edge(record=self, operation="getOrder") as edge:
            self._amazon_import_orders(edge, order_ids)
        if not edge.failed:
            self._amazon_notifications_done(order_ids, by_order, _("order re-read"))
            return len(order_ids), 0
        if edge.retrying or edge.gave_up or len(order_ids) == 1:
            if edge.retrying or edge.gave_up:
                # Still new: the next try, a requeued dead letter or the
                # next poll's processing reads them again.
                self._amazon_notifications_note(order_ids, by_order, edge.message)
                return "retrying"
            self._amazon_notifications_failed(order_ids, by_order, edge.message)
            return 0, 1
        done = refused = 0
        for order_id in order_ids:
            outcome = self._amazon_import_notified([order_id], by_order)
            if outcome == "retrying":
                return outcome
            done += outcome[0]
            refused += outcome[1]
        return done, refused

    def _amazon_notifications_done(self, order_ids, by_order, result):
        for order_id in order_ids:
            by_order[order_id].write({"state": "done", "result": result})

    def _amazon_notifications_note(self, order_ids, by_order, result):
        for order_id in order_ids:
            by_order[order_id].write({"result": result})

    def _amazon_notifications_failed(self, order_ids, by_order, result):
        for order_id in order_ids:
            by_order[order_id].write({"state": "error", "result": result})
