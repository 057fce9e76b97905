"""Amazon's reconciliation: the merchant listings report, per marketplace.

Amazon's answer to "what do my listings show" in bulk is a report, not a
call per SKU: GET_MERCHANT_LISTINGS_ALL_DATA (tab-separated, one row per
SKU with price and quantity) for one marketplace.  The job asks for one
report per marketplace the account sells in, then follows each (getReport
until DONE, sooner at first) and hands what it shows to the neutral
:meth:`_record_drift`, which records the drift and repairs it by pushing
Odoo's values again (marketplace_account_drift.py); a live listing the
report does not name is drift too, repaired by publishing it again.  A
report is a snapshot: a listing whose push is on its way differs for a
while, which the drift lines know (``_change_pending``).
"""

from odoo import models

from ...amazon.reports import MERCHANT_LISTINGS_ALL
from ..marketplace.job_edge import marketplace_job

REPORT_TYPE = MERCHANT_LISTINGS_ALL
# Seconds before each getReport: reports take from seconds to many minutes.
REPORT_CHECK_DELAYS = (30, 60, 120, 300)
REPORT_PENDING = ("IN_QUEUE", "IN_PROGRESS")


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_enqueue_reconcile(self):
        if self.channel != "amazon":
            return super()._marketplace_enqueue_reconcile()
        self.with_delay(
            identity_key=f"amazon.reconcile:{self.id}",
            description=f"Amazon reconciliation {self.name}",
        )._job_amazon_reconcile()
        return True

    def _amazon_reconciled_participations(self):
        self.ensure_one()
        return self.amazon_participation_ids.filtered("selected")

    @marketplace_job
    def _job_amazon_reconcile(self):
        """Queue job: ask Amazon for the merchant listings report of each
        marketplace the account sells in."""
        self.ensure_one()
        asked = 0
        for participation in self._amazon_reconciled_participations():
            with self._job_edge(record=self, operation="createReport") as edge:
                created = edge.client.reports.create_report(
                    REPORT_TYPE, [participation.marketplace_id]
                )
            if edge.failed:
                if not edge.retrying:
                    self.message_post(
                        body=self.env._("Reconciliation failed: %(r)s", r=edge.message)
                    )
                return f"failed: {edge.message}"
            self._amazon_enqueue_report_read(created, participation, 0)
            asked += 1
        return f"{asked} report(s) asked for"

    def _amazon_enqueue_report_read(self, report_id, participation, checks):
        delay = REPORT_CHECK_DELAYS[min(checks, len(REPORT_CHECK_DELAYS) - 1)]
        self.with_delay(
            eta=delay,
            identity_key=f"amazon.reconcile.read:{report_id}:{checks}",
            description=f"Amazon reconciliation {self.name}: report {report_id}",
        )._job_amazon_reconcile_read(report_id, participation.id, checks)

    @marketplace_job
    def _job_amazon_reconcile_read(self, report_id, participation_id, checks=0):
        """Queue job: read the report once it is done; record the drift."""
        self.ensure_one()
        participation = self.env["amazon.marketplace.participation"].browse(
            participation_id
        )
        if not participation.exists() or participation.account_id != self:
            return "skipped: the marketplace is no longer the account's"
        rows, status = None, None
        with self._job_edge(record=self, operation="getReport") as edge:
            reports = edge.client.reports
            report = reports.get_report(report_id)
            status = report.get("processingStatus")
            if status == "DONE":
                rows = reports.merchant_listings(report["reportDocumentId"])
        if edge.failed:
            if not edge.retrying:
                self.message_post(
                    body=self.env._("Reconciliation failed: %(r)s", r=edge.message)
                )
            return f"failed: {edge.message}"
        if status in REPORT_PENDING:
            self._amazon_enqueue_report_read(report_id, participation, checks + 1)
            return f"report {report_id} {status}"
        if rows is None:
            self.message_post(
                body=self.env._(
                    "Reconciliation: Amazon ended the listings report of %(m)s "
                    "%(status)s; the next reconciliation asks again.",
                    m=participation.display_name,
                    status=status,
                )
            )
            return f"report {report_id} {status}"
        listings = self.env["amazon.listing"].search(
            [
                ("account_id", "=", self.id),
                ("participation_id", "=", participation.id),
                ("is_live", "=", True),
            ]
        )
        by_sku = {
            row["sku"]: {
                "quantity": _number(row.get("quantity")),
                "price": _number(row.get("price")),
            }
            for row in rows
            if row.get("sku")
        }
        # The report lists every listing the seller has in the marketplace,
        # active or not (amazon/reports.py): a live listing it does not name
        # is gone from Amazon.
        missing = listings.filtered(lambda listing: listing.sku not in by_sku)
        seen = {listing.id: by_sku[listing.sku] for listing in listings - missing}
        return self._record_drift(listings, seen, missing=missing)


def _number(value):
    """A report value as a number; None when the report leaves it empty (an
    Amazon-fulfilled listing has no seller quantity): not compared."""
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
