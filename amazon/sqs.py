"""The seller's SQS queue, where Amazon delivers notifications (boto3).

SQS is an AWS API (SigV4-signed), the only one the connector calls; boto3
signs it.  The seller's AWS access key is given per queue and kept by the
caller (the Odoo side: in the vault); this module never logs it, and
botocore's own loggers, which write request details (signed headers) at
DEBUG, are kept at WARNING (:func:`quiet_botocore`).

``endpoint_url`` points boto3 at another SQS (moto's server mode in tests
and the demo); production leaves it None (AWS's own endpoint of the region).
"""

import json
import logging
import re

from ..apiclient import TransientError
from .errors import AmazonRefused

# The Selling Partner API's AWS account: it writes to the seller's queue
# (Notifications use case guide, Step 1; AMAZON_FACTS §10).
AMAZON_PRINCIPAL = "437568002678"
AMAZON_PRINCIPAL_ARN = f"arn:aws:iam::{AMAZON_PRINCIPAL}:root"
POLICY_SID = "AllowSellingPartnerApiToSend"
# SQS's long polling maximum.
MAX_WAIT_SECONDS = 20
QUEUE_URL = re.compile(r"^https?://[^/\s]+/(?P<account>\d{12})/(?P<name>[\w-]{1,80})$")
REDACTED = "[redacted]"


def quiet_botocore():
    """boto3/botocore/urllib3 log request details at DEBUG: never below WARNING."""
    for name in ("boto3", "botocore", "s3transfer", "urllib3.connectionpool"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.WARNING:
            logger.setLevel(logging.WARNING)


class SqsError(AmazonRefused):
    """SQS refused a call (wrong queue, credentials, policy): staff must act."""


class SqsUnavailable(TransientError):
    """SQS could not be reached or answered 5xx/throttling: try again later."""


def parse_queue_url(url):
    """``(account id, queue name)`` of an SQS queue URL, or ValueError."""
    found = QUEUE_URL.match((url or "").strip())
    if not found:
        raise ValueError(
            "An SQS queue URL looks like "
            "https://sqs.us-east-1.amazonaws.com/123456789012/queue-name"
        )
    return found["account"], found["name"]


def queue_arn(region, url):
    account, name = parse_queue_url(url)
    return f"arn:aws:sqs:{region}:{account}:{name}"


def amazon_policy(arn):
    """The queue policy that lets the Selling Partner API deliver to ``arn``."""
    return {
        "Version": "2012-10-17",
        "Id": f"{arn}/SQSDefaultPolicy",
        "Statement": [
            {
                "Sid": POLICY_SID,
                "Effect": "Allow",
                "Principal": {"AWS": AMAZON_PRINCIPAL_ARN},
                "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes"],
                "Resource": arn,
            }
        ],
    }


class SqsQueue:
    """One SQS queue: receive (long polling), delete, attributes, policy.

    :param queue_url: ``https://sqs.<region>.amazonaws.com/<account>/<name>``
    :param region: the queue's AWS region (``us-east-1``)
    :param access_key_id, secret_access_key: an IAM user's key allowed to
        receive, delete, read attributes and set the policy of this queue
    :param endpoint_url: another SQS (moto) instead of AWS's
    """

    def __init__(
        self,
        queue_url,
        region,
        access_key_id,
        secret_access_key,
        endpoint_url=None,
        timeout=30,
    ):
        import boto3
        from botocore.config import Config

        quiet_botocore()
        parse_queue_url(queue_url)
        self.queue_url = queue_url.strip()
        self.region = region
        self._secrets = tuple(s for s in (secret_access_key,) if s)
        # read_timeout above the long poll, so a 20 s wait is no timeout.
        config = Config(
            connect_timeout=min(timeout, 10),
            read_timeout=max(timeout, MAX_WAIT_SECONDS + 10),
            retries={"max_attempts": 2, "mode": "standard"},
        )
        # A session of its own: boto3's default one is shared and not
        # thread-safe, and would pick up credentials from the environment.
        self._client = boto3.session.Session().client(
            "sqs",
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )
        if endpoint_url:
            # moto (and any other endpoint) names queues by its own host:
            # address the queue there, with the seller's account and name.
            account, name = parse_queue_url(self.queue_url)
            self.queue_url = f"{endpoint_url.rstrip('/')}/{account}/{name}"

    def __repr__(self):  # never the key
        return f"SqsQueue({self.queue_url!r}, region={self.region!r})"

    @property
    def arn(self):
        return queue_arn(self.region, self.queue_url)

    def _call(self, operation, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self._client, operation)(QueueUrl=self.queue_url, **kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            text = self._scrub(f"{error.get('Code')}: {error.get('Message')}")
            if status >= 500 or error.get("Code") in (
                "RequestThrottled",
                "ThrottlingException",
                "ServiceUnavailable",
            ):
                raise SqsUnavailable(f"SQS {operation}: {text}") from None
            raise SqsError(f"SQS {operation}: {text}", status=status) from None
        except BotoCoreError as exc:
            raise SqsUnavailable(
                f"SQS {operation}: {self._scrub(type(exc).__name__)}"
            ) from None

    def _scrub(self, text):
        text = str(text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def receive(self, max_messages=10, wait_seconds=MAX_WAIT_SECONDS, visibility=None):
        """Up to ``max_messages`` (1..10) messages, waiting up to
        ``wait_seconds`` for one (long polling): ``[{MessageId,
        ReceiptHandle, Body, Attributes}]``."""
        kwargs = {
            "MaxNumberOfMessages": max(1, min(int(max_messages), 10)),
            "WaitTimeSeconds": max(0, min(int(wait_seconds), MAX_WAIT_SECONDS)),
            "AttributeNames": ["ApproximateReceiveCount", "SentTimestamp"],
        }
        if visibility is not None:
            kwargs["VisibilityTimeout"] = int(visibility)
        return self._call("receive_message", **kwargs).get("Messages") or []

    def delete(self, receipts):
        """Delete messages by receipt handle, 10 per call: the handles SQS
        did not delete (``[(receipt, reason)]``)."""
        receipts = list(receipts)
        failed = []
        for start in range(0, len(receipts), 10):
            chunk = receipts[start : start + 10]
            entries = [{"Id": str(i), "ReceiptHandle": r} for i, r in enumerate(chunk)]
            answer = self._call("delete_message_batch", Entries=entries)
            for failure in answer.get("Failed") or []:
                failed.append((chunk[int(failure["Id"])], failure.get("Message") or ""))
        return failed

    def attributes(self, names=("ApproximateNumberOfMessages", "QueueArn")):
        """The queue's attributes (strings, as SQS gives them)."""
        return (
            self._call("get_queue_attributes", AttributeNames=list(names)).get(
                "Attributes"
            )
            or {}
        )

    def allow_amazon(self, arn=None):
        """Set the queue policy that lets the Selling Partner API send to it
        and read its attributes; returns the policy.  Replaces the queue's
        policy [the seller's other statements are not kept: the connector
        owns the queue it is given]."""
        arn = arn or self.attributes(("QueueArn",)).get("QueueArn") or self.arn
        policy = amazon_policy(arn)
        self._call("set_queue_attributes", Attributes={"Policy": json.dumps(policy)})
        return policy


def loads_message(body):
    """A message body's JSON object, or ValueError."""
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("the message is not a JSON object")  # noqa: TRY004 (callers catch ValueError, as for bad JSON)
    return data
