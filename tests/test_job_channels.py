"""Order work has lanes that listing, stock and feed work cannot fill.

queue_job's own scheduler (its ChannelManager, as the job runner uses it)
is given each job runner configuration the repository ships or documents
(scripts/run.sh's default, readme/CONFIGURE.md's examples), then a backlog
of bulk work on every channel at once; order and notification jobs queued
after it must still be handed out at once.
"""

import pathlib
import re
import time

from odoo.tests import TransactionCase, tagged

from odoo.addons.queue_job.jobrunner.channels import PENDING, STARTED, ChannelManager

ROOT = pathlib.Path(__file__).resolve().parent.parent
BULK = (
    "root.ebay.listing",
    "root.ebay.stock",
    "root.amazon.listing",
    "root.amazon.stock",
    "root.amazon.feed",
)
URGENT = (
    "root.ebay.notification",
    "root.ebay.order",
    "root.amazon.notification",
    "root.amazon.order",
)
# Amazon's SQS poll waits at the queue all the time (long polling, chained).
ALWAYS_RUNNING = ("root.amazon.sqs",)


def shipped_configurations():
    """``{where: channels string}`` of every configuration shipped or
    documented for both marketplaces."""
    found = {}
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    [default] = re.findall(r"QUEUE_JOB_CHANNELS:-([^}]+)\}", run_sh)
    found["scripts/run.sh"] = default
    configure = (ROOT / "readme" / "CONFIGURE.md").read_text()
    for n, text in enumerate(
        re.findall(r"ODOO_QUEUE_JOB_CHANNELS=([^`\s]+)", configure)
    ):
        found[f"readme/CONFIGURE.md example {n + 1}"] = text
    return found


class Runner:
    """queue_job's scheduler, fed as its job runner feeds it."""

    def __init__(self, channels):
        self.manager = ChannelManager()
        self.manager.simple_configure(channels)
        self.seq = 0

    def queue(self, channel, state=PENDING):
        self.seq += 1
        uuid = f"job-{self.seq}"
        self.manager.notify("db", channel, uuid, self.seq, self.seq, 10, None, state)
        return uuid

    def hand_out(self):
        """The jobs the runner starts now (marked running, as it does)."""
        started = list(self.manager.get_jobs_to_run(time.time()))
        for job in started:
            job.channel.set_running(job)
        return started


@tagged("post_install", "-at_install")
class TestJobChannels(TransactionCase):
    def test_order_work_is_never_starved_by_bulk_work(self):
        configurations = shipped_configurations()
        self.assertIn("scripts/run.sh", configurations)
        self.assertGreater(len(configurations), 1, "CONFIGURE.md's example")
        for where, channels in configurations.items():
            # The marketplaces the configuration is written for.
            served = [m for m in ("ebay", "amazon") if f"root.{m}" in channels]
            with self.subTest(where=where):
                runner = Runner(channels)
                for channel in ALWAYS_RUNNING:
                    if channel.split(".")[1] in served:
                        runner.queue(channel, STARTED)
                for channel in BULK:
                    for _i in range(100 if channel.split(".")[1] in served else 0):
                        runner.queue(channel)
                runner.hand_out()  # the backlog takes every slot it may
                urgent = {
                    runner.queue(channel): channel
                    for channel in URGENT
                    if channel.split(".")[1] in served
                }
                started = {job.uuid for job in runner.hand_out()}
                self.assertEqual(
                    sorted(urgent[u] for u in urgent if u not in started),
                    [],
                    f"{where}: {channels}",
                )

    def test_order_jobs_run_on_order_channels(self):
        """Every job that imports orders or reads notifications runs in
        its marketplace's order, notification or queue lane."""
        functions = self.env["queue.job.function"].search([])
        lanes = {
            f.method: f.channel
            for f in functions
            if f.model_id.model in ("marketplace.account", "marketplace.notification")
        }
        for method in (
            "_job_poll_orders",
            "_job_process_notifications",
            "_job_amazon_poll_orders",
            "_job_amazon_import_orders",
            "_job_amazon_process_notifications",
            "_job_amazon_poll_sqs",
        ):
            with self.subTest(method=method):
                self.assertRegex(
                    lanes[method],
                    r"^root\.(ebay|amazon)\.(order|notification|sqs)$",
                )
