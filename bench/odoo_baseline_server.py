"""Odoo's server, with notifications queued the way they were before batches.

The order benchmark's baseline (bench/order_bench.py): the same server, the
same code, except that a stored notification is queued as one job of its
own (``_enqueue_per_notification``: the job ``_job_process``, one getOrder
and one import per notification, each job its own transaction) instead of
the account's batched processing (``_enqueue``).  The switch is made here,
in the benchmark's process, so that the addon carries no benchmark mode.

Usage: ``python3 bench/odoo_baseline_server.py <odoo server options>``.
"""

import sys

import odoo
from odoo.cli.server import main as server_main
from odoo.modules.module import initialize_sys_path


def per_notification_jobs():
    """Have the inbox queue one job per notification (the old way)."""
    from odoo.addons.marketplace_connector.models.marketplace import (
        marketplace_notification,
    )

    inbox = marketplace_notification.MarketplaceNotification
    inbox._enqueue = inbox._enqueue_per_notification


if __name__ == "__main__":
    args = sys.argv[1:]
    # The addons path is known once the configuration is read: the addon
    # can be imported (and switched) before the server loads any registry.
    odoo.tools.config.parse_config(args)
    initialize_sys_path()
    per_notification_jobs()
    server_main(args)
