"""eBay's standing job: the seller standards profile and the customer
service metrics of the Analytics API, read once a day per account and handed
to the neutral account as readings (marketplace_account_standing.py).

The Analytics API needs the ``sell.analytics.readonly`` scope: an account
connected before the connector asked for it has no token that may call it,
and is told to connect again rather than being refused by eBay every day.
"""

from odoo import fields, models

from ...ebay.analytics import (
    SCOPE,
    AnalyticsApi,
    customer_service_reading,
    standards_readings,
)
from ..marketplace.job_edge import marketplace_job

# The customer service metrics read, in the order the dashboard shows them.
CUSTOMER_SERVICE_TYPES = ("ITEM_NOT_RECEIVED", "ITEM_NOT_AS_DESCRIBED")
# The evaluation eBay acts on: the monthly one (20th of the month).
CUSTOMER_SERVICE_EVALUATION = "CURRENT"


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _ebay_may_read_standing(self):
        """Whether the account's consent covers the Analytics API."""
        self.ensure_one()
        granted = (self.sudo().ebay_granted_scopes or "").split()
        return SCOPE in granted

    def _ebay_level_words(self):
        _ = self.env._
        return {
            "TOP_RATED": _("Top Rated"),
            "ABOVE_STANDARD": _("Above Standard"),
            "BELOW_STANDARD": _("Below Standard"),
            # Customer service ratings against similar sellers (LOW is best).
            "LOW": _("Low (better than similar sellers)"),
            "AVERAGE": _("Average"),
            "HIGH": _("High"),
            "VERY_HIGH": _("Very high"),
        }

    def _marketplace_standing_note(self):
        if self.channel != "ebay":
            return super()._marketplace_standing_note()
        if self.state == "connected" and not self._ebay_may_read_standing():
            return self.env._(
                "Odoo may not read this account's seller standing yet: open the "
                "account and click Reconnect eBay to grant it."
            )
        return self.env._("Not read yet: eBay's figures arrive with the daily check.")

    def _marketplace_enqueue_standing(self):
        if self.channel != "ebay":
            return super()._marketplace_enqueue_standing()
        day = fields.Date.context_today(self)
        self.with_delay(
            identity_key=f"ebay.standing:{self.id}:{day}",
            description=f"eBay seller standing {self.name}",
        )._job_read_standing()
        return True

    @marketplace_job
    def _job_read_standing(self):
        """Queue job: read the seller standards and customer service
        metrics; keep them as today's readings."""
        self.ensure_one()
        if self.state != "connected":
            return f"skipped: account {self.id} is {self.state}"
        if not self._ebay_may_read_standing():
            return f"skipped: account {self.id} was connected without {SCOPE}"
        marketplace = self.ebay_marketplace_id
        with self._job_edge(record=self, operation="readStanding") as edge:
            api_ = AnalyticsApi(edge.client)
            readings = standards_readings(
                api_.find_seller_standards_profiles(), marketplace
            )
            for metric_type in CUSTOMER_SERVICE_TYPES:
                data = api_.get_customer_service_metric(
                    metric_type, CUSTOMER_SERVICE_EVALUATION, marketplace
                )
                reading = customer_service_reading(data, metric_type)
                if reading:
                    readings.append(reading)
        if edge.failed:
            if not edge.retrying:
                self.message_post(
                    body=self.env._(
                        "The seller standing could not be read: %(r)s", r=edge.message
                    )
                )
            return f"failed: {edge.message}"
        words = self._ebay_level_words()
        labels = self._standing_labels()
        for reading in readings:
            reading["level_label"] = words.get(reading["level"], reading["level"])
            # Our words for the figures we know; eBay's (localised) for others.
            reading["label"] = labels.get(reading["metric"]) or reading["label"]
        stored = self._record_standing(readings)
        return f"{len(stored)} standing figure(s) read"
