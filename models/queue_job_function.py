"""Job functions say how many times their marketplace calls are tried."""

from odoo import fields, models

from .marketplace.job_edge import DEFAULT_MAX_TRIES


class QueueJobFunction(models.Model):
    _inherit = "queue.job.function"

    marketplace_max_tries = fields.Integer(
        string="Tries before a dead letter",
        default=DEFAULT_MAX_TRIES,
        help="Marketplace jobs: how many times a job whose marketplace call "
        "failed for now (timeout, dropped connection, 5xx, 429) is tried, "
        "waiting as the retry pattern says between tries, before it lands in "
        "the dead-letter inbox. queue_job's own max. retries do not apply to "
        "these tries.",
    )
