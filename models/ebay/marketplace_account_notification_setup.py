"""Setting up an eBay account's notifications: queued by the click, done
by a job.

eBay answers createDestination only once it has called the endpoint back
(the challenge, ``GET /ebay/notification/<id>?challenge_code=…``) and this
Odoo has answered it (195020 otherwise).  Made inside the click's own
request, that call-back needs this Odoo to serve a second request while the
first one waits for eBay; an Odoo that serves one request at a time cannot,
and Odoo's test server is one (its requests share the test's transaction,
one after another).  So the click checks the rights, makes the
verification token and queues the set-up; the job makes the calls, from
queue_job's runner, while no request of the person who clicked is waiting.
The checklist's step says the set-up is under way, then Done, or why eBay
refused it.
"""

from odoo import fields, models

from ...ebay.notification import NotificationApi
from ..marketplace.job_edge import marketplace_job
from .notification_common import TOPICS

# The states of a queued set-up that has not ended yet.
UNDER_WAY = ("wait_dependencies", "pending", "enqueued", "started")


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_notification_setup_error = fields.Char(
        string="Why notifications could not be set up",
        readonly=True,
        copy=False,
        system_field=True,
    )

    def _ebay_notifications_identity_key(self):
        return f"ebay.notifications.setup:{self.id}"

    def _ebay_notifications_set_up(self):
        return bool(
            self.ebay_notification_destination_id
            and self._ebay_subscribed_topics() >= set(TOPICS)
        )

    def _ebay_notifications_setup_under_way(self):
        """Whether a set-up is queued or running for this account."""
        return bool(
            self.id
            and self.env["queue.job"]
            .sudo()
            .search_count(
                [
                    ("identity_key", "=", self._ebay_notifications_identity_key()),
                    ("state", "in", UNDER_WAY),
                ],
                limit=1,
            )
        )

    def action_ebay_setup_notifications(self):
        """Queue the registration of this Odoo as the account's destination
        and its subscriptions (see the module docstring)."""
        self.ensure_one()
        # Managers only: checked before the vault row is committed and before
        # anything is queued.
        self.check_access("write")
        title = self.env._("eBay notifications")
        if self._ebay_notifications_set_up():
            return self._marketplace_notify(
                title,
                self.env._(
                    "Notifications were set up already; eBay still sends them to "
                    "this Odoo: %(topics)s.",
                    topics=self.ebay_notification_topics,
                ),
            )
        # Committed before the job runs: eBay's challenge is answered by
        # another request, which must read it.
        self._ebay_ensure_verification_token()
        self._write_system({"ebay_notification_setup_error": False})
        self.with_delay(
            identity_key=self._ebay_notifications_identity_key(),
            description=f"eBay notifications set-up of {self.name}",
        )._job_ebay_setup_notifications()
        return self._marketplace_notify(
            title,
            self.env._(
                "Odoo is asking eBay to send it notifications. eBay first checks "
                "that it can reach this Odoo; the Notifications step shows Done "
                "once it is set up."
            ),
            next_step=False,
            kind="info",
        )

    @marketplace_job
    def _job_ebay_setup_notifications(self):
        """Queue job: register the destination (once) and subscribe to the
        topics not subscribed yet."""
        self.ensure_one()
        if self._ebay_notifications_set_up():
            return "skipped: set up already"
        token = self._ebay_verification_token()
        if not token:
            return "skipped: no verification token (set up again)"
        with self._job_edge(record=self, operation="createDestination") as edge:
            self._ebay_register_notifications(edge.client, token)
        if edge.failed:
            if not edge.retrying:
                self._write_system({"ebay_notification_setup_error": edge.message})
            return edge.message
        self._write_system({"ebay_notification_setup_error": False})
        message = self.env._(
            "eBay now sends this Odoo notifications: %(topics)s.",
            topics=self.ebay_notification_topics,
        )
        self.message_post(body=message)
        return message

    def _ebay_register_notifications(self, client, token):
        """The calls: the app's config and destination (application token),
        then the seller's subscriptions (``client``: the user token).  Each
        result is written as soon as eBay gave it, so a later try does not
        create it twice."""
        app_api = NotificationApi(self._ebay_app_client())
        user_api = NotificationApi(client)
        app_api.update_config(self.company_id.email or "seller@example.com")
        if not self.ebay_notification_destination_id:
            destination = app_api.create_destination(
                f"Odoo {self.env.cr.dbname} {self.id}",
                self.ebay_notification_url,
                token,
            )
            self._write_system({"ebay_notification_destination_id": destination})
        subscribed = self._ebay_subscribed_topics()
        for topic in TOPICS:
            if topic not in subscribed:
                user_api.create_subscription(
                    topic, self.ebay_notification_destination_id
                )
                subscribed.add(topic)
                self._write_system(
                    {"ebay_notification_subscriptions": ",".join(sorted(subscribed))}
                )
