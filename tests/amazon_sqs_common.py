"""Amazon notifications in tests: moto's SQS and a queue per test.

The test command starts moto's server mode (scripts/lib.sh ``start_moto``)
and exports ``AMAZON_SQS_ENDPOINT_URL``, the server's switch for the
emulator environment's SQS; run alone, these tests start their own moto
and set that switch, as tests/amazon_common.py does for the emulator.

``AmazonSqsMixin`` (before ``AmazonCase`` or ``AmazonHttpCase`` in the
bases) gives each test a fresh queue on moto (``self.queue_url``,
``self.queue_arn``), points the Amazon emulator's delivery at moto and,
unless ``SETUP_NOTIFICATIONS = False``, sets up ``self.account``'s
notifications through the real flow: the queue fields and the AWS key typed
on the account, then "Set up notifications" (queue policy, destination,
ORDER_CHANGE subscription at the emulator).  ``_poll_sqs()`` runs the SQS poll
job and then what the job's commit runs (the deletes of the stored
messages).
"""

import atexit
import os
import uuid

from ..amazon.sqs import SqsQueue
from ..emulator.client import start_moto
from ..models.amazon.marketplace_account_notification import SQS_ENDPOINT_ENV

# moto's default AWS account: the queues' owner in every URL and ARN.
AWS_ACCOUNT = "123456789012"
AWS_REGION = "us-east-1"
AWS_ACCESS_KEY_ID = "AKIAODOOTESTKEY00001"
NOTIFICATION_LOGGER = (
    "odoo.addons.marketplace_connector.models.amazon.marketplace_account_notification"
)

_started = {}


def moto_url():
    """moto of this run (started here when the test command did not)."""
    if "url" not in _started:
        url = os.environ.get(SQS_ENDPOINT_ENV)
        if url:
            url = url.rstrip("/")
        else:
            process, url = start_moto()
            atexit.register(process.terminate)
        _started["url"] = url
        # What the test command does for a whole run: the server's switch.
        os.environ[SQS_ENDPOINT_ENV] = url
    return _started["url"]


class AmazonSqsMixin:
    """A fresh SQS queue per test on moto; the account's notifications set
    up through the real flow (see the module docstring)."""

    SETUP_NOTIFICATIONS = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.moto_url = moto_url()

    def setUp(self):
        super().setUp()
        # After the emulator's reset: it delivers to this run's moto.
        self.emulator.config(sqs_endpoint_url=self.moto_url)
        # A secret for this run only: never a fixture.
        self.aws_secret = uuid.uuid4().hex + uuid.uuid4().hex
        self.queue_url, self.queue_arn = self._new_queue()
        if self.SETUP_NOTIFICATIONS and getattr(self, "account", None):
            self._setup_notifications(self.account)

    def _new_queue(self, prefix="amazon-orders"):
        """A new queue on moto: ``(its AWS-style URL, its ARN)``."""
        name = f"{prefix}-{uuid.uuid4().hex[:16]}"
        url = f"https://sqs.{AWS_REGION}.amazonaws.com/{AWS_ACCOUNT}/{name}"
        self._sqs(url)._client.create_queue(
            QueueName=name, Attributes={"VisibilityTimeout": "30"}
        )
        return url, f"arn:aws:sqs:{AWS_REGION}:{AWS_ACCOUNT}:{name}"

    def _sqs(self, url=None):
        """The test's own view of a queue (moto takes any key)."""
        return SqsQueue(
            url or self.queue_url,
            AWS_REGION,
            AWS_ACCESS_KEY_ID,
            self.aws_secret,
            endpoint_url=self.moto_url,
        )

    def _configure_queue(self, account, queue_url=None):
        """Type the queue and the AWS key on ``account``, as a manager does."""
        account.write(
            {
                "amazon_sqs_queue_url": queue_url or self.queue_url,
                "amazon_sqs_region": AWS_REGION,
                "amazon_aws_access_key_id": AWS_ACCESS_KEY_ID,
                "amazon_aws_secret_access_key": self.aws_secret,
            }
        )

    def _setup_notifications(self, account=None, queue_url=None):
        """The set-up button, after typing the queue fields: its answer."""
        account = account or self.account
        self._configure_queue(account, queue_url)
        return account.action_amazon_setup_notifications()

    def _poll_sqs(self, account=None, batches=10, wait_seconds=1):
        """Run the SQS poll job, then what its commit runs (the deletes)."""
        account = account or self.account
        result = account._job_amazon_poll_sqs(
            batches=batches, wait_seconds=wait_seconds
        )
        self.env.cr.postcommit.run()
        return result

    def _queue_counts(self, url=None):
        """``(visible, in flight)`` messages of a queue."""
        attributes = self._sqs(url).attributes(
            ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
        )
        return (
            int(attributes["ApproximateNumberOfMessages"]),
            int(attributes["ApproximateNumberOfMessagesNotVisible"]),
        )

    def _amazon_notifications(self, account=None, **domain):
        account = account or self.account
        terms = [("account_id", "=", account.id)]
        terms += [(name, "=", value) for name, value in domain.items()]
        return self.env["marketplace.notification"].sudo().search(terms, order="id")
