"""A problem with an Amazon listing that the seller can act on.

Issues come from five places, each kept apart (``source``) so that a new
answer from one replaces that source's issues only:

* ``validation``: Odoo's own check of the attributes against the product
  type's schema, before anything is sent;
* ``preview``: Amazon's VALIDATION_PREVIEW of a put;
* ``submission``: issues Amazon returned when it accepted (or refused) a put,
  patch or delete;
* ``feed``: the processing report of a JSON_LISTINGS_FEED (amazon.feed);
* ``amazon``: issues Amazon raised after accepting the submission, read back
  with getListingsItem.
"""

from odoo import api, fields, models

SOURCES = [
    ("validation", "Odoo's check"),
    ("preview", "Amazon's preview"),
    ("submission", "Amazon's answer"),
    ("feed", "Amazon's feed report"),
    ("amazon", "On Amazon"),
]
SEVERITIES = [("ERROR", "Error"), ("WARNING", "Warning"), ("INFO", "Info")]


class AmazonListingIssue(models.Model):
    _name = "amazon.listing.issue"
    _description = "Amazon Listing Issue"
    _inherit = ["marketplace.protected.fields.mixin"]
    _order = "severity, id"
    _rec_name = "message"
    _check_company_auto = True

    listing_id = fields.Many2one(
        "amazon.listing",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="listing_id.company_id", store=True, index=True
    )
    product_id = fields.Many2one(
        related="listing_id.product_id", store=True, index=True
    )
    code = fields.Char(readonly=True, system_field=True)
    message = fields.Text(required=True, readonly=True, system_field=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="ERROR", readonly=True, system_field=True
    )
    attribute_names = fields.Char(
        string="Attributes",
        readonly=True,
        system_field=True,
        help="The listing's attributes the issue is about (Amazon's names).",
    )
    categories = fields.Char(readonly=True, system_field=True)
    source = fields.Selection(
        SOURCES, required=True, index=True, readonly=True, system_field=True
    )

    @api.model
    def _values_from_amazon(self, issue, source):
        """Issue values from one of Amazon's issue objects (Listings Items,
        feed reports: ``{code, message, severity, attributeNames |
        attributeName, categories}``)."""
        names = issue.get("attributeNames") or (
            [issue["attributeName"]] if issue.get("attributeName") else []
        )
        severity = issue.get("severity")
        return {
            "code": issue.get("code") or False,
            "message": issue.get("message") or issue.get("code") or "?",
            "severity": severity if severity in dict(SEVERITIES) else "ERROR",
            "attribute_names": ", ".join(names) or False,
            "categories": ", ".join(issue.get("categories") or []) or False,
            "source": source,
        }
