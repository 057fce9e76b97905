"""Amazon's kind of vaulted secret beside the neutral ones: the seller's AWS
secret access key for the SQS queue Amazon's notifications arrive in."""

from odoo import fields, models

AWS_SECRET_KIND = "amazon_aws_secret_access_key"


class MarketplaceSecret(models.Model):
    _inherit = "marketplace.secret"

    kind = fields.Selection(
        selection_add=[(AWS_SECRET_KIND, "AWS secret access key")],
        ondelete={AWS_SECRET_KIND: "cascade"},
    )
