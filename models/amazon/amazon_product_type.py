"""An Amazon product type's definition, cached: the JSON schema its listings'
attributes must satisfy, for one marketplace and one kind of requirements.

Amazon does not put the schema in getDefinitionsProductType's answer: it
gives a link (valid a few days) and a checksum (base64 MD5 of the schema's
bytes).  Odoo keeps the schema it downloaded with that checksum and
downloads again only when a later definition names another checksum, so
validating a thousand listings costs no call.

The records are shared by every company (Amazon's product types are the
same for every seller) and written by the connector only: people choose a
product type (``amazon.product.type.search.wizard``), they never edit one.
"""

import json

from odoo import api, fields, models

from ...amazon.product_type_schema import ProductTypeSchema

REQUIREMENTS = [
    ("LISTING", "Product and offer"),
    ("LISTING_PRODUCT_ONLY", "Product only"),
    ("LISTING_OFFER_ONLY", "Offer only"),
]

# ProductTypeSchema objects built from a stored schema, per (record, checksum):
# building the validator parses the whole schema, which a bulk validation
# must not do once per listing.
_VALIDATORS = {}


class AmazonProductType(models.Model):
    _name = "amazon.product.type"
    _description = "Amazon Product Type"
    _inherit = ["marketplace.protected.fields.mixin"]
    _order = "code, marketplace_code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, readonly=True, index=True, system_field=True)
    name = fields.Char(
        string="Display name", readonly=True, system_field=True, translate=False
    )
    marketplace_code = fields.Char(
        string="Marketplace ID",
        required=True,
        readonly=True,
        index=True,
        system_field=True,
        help="The Amazon marketplace this definition is for (e.g. ATVPDKIKX0DER).",
    )
    requirements = fields.Selection(
        REQUIREMENTS,
        required=True,
        default="LISTING",
        readonly=True,
        system_field=True,
    )
    checksum = fields.Char(readonly=True, copy=False, system_field=True)
    schema = fields.Text(
        string="Schema (JSON)", readonly=True, copy=False, system_field=True
    )
    property_groups = fields.Text(readonly=True, copy=False, system_field=True)
    version = fields.Char(readonly=True, copy=False, system_field=True)
    fetched_at = fields.Datetime(readonly=True, copy=False, system_field=True)

    _sql_constraints = [
        (
            "code_marketplace_requirements_uniq",
            "unique(code, marketplace_code, requirements)",
            "This product type is already cached for this marketplace.",
        ),
    ]

    @api.depends("code", "name", "marketplace_code")
    def _compute_display_name(self):
        for product_type in self:
            label = product_type.code or ""
            if product_type.name and product_type.name != product_type.code:
                label = f"{label} ({product_type.name})"
            product_type.display_name = label

    # -- fetching --------------------------------------------------------------
    @api.model
    def _fetch(
        self,
        client,
        code,
        marketplace_code,
        seller_id=None,
        requirements="LISTING",
        name=None,
    ):
        """The cached definition of ``code`` for ``marketplace_code``, asked
        of Amazon through ``client`` (getDefinitionsProductType) and
        downloaded again only when its checksum changed.

        The caller checked the person's rights and passes a client that
        records its calls (a job edge's, or an interactive one); the
        connector writes the cache as the system.
        """
        definition = client.definitions.get_definition(
            code, marketplace_code, seller_id=seller_id, requirements=requirements
        )
        link = definition.get("schema") or {}
        checksum = link.get("checksum")
        record = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("code", "=", code),
                    ("marketplace_code", "=", marketplace_code),
                    ("requirements", "=", requirements),
                ],
                limit=1,
            )
        )
        values = {
            "name": definition.get("displayName") or name or code,
            "version": (definition.get("productTypeVersion") or {}).get("version"),
            "property_groups": json.dumps(definition.get("propertyGroups") or {}),
            "fetched_at": fields.Datetime.now(),
        }
        if not record or record.checksum != checksum or not record.schema:
            url = (link.get("link") or {}).get("resource")
            # The client checks the bytes against the checksum before they
            # are cached under it.
            schema = client.definitions.download_schema(url, checksum=checksum)
            values.update(checksum=checksum, schema=json.dumps(schema))
        if record:
            record.write(values)
        else:
            record = self.sudo().create(
                dict(
                    values,
                    code=code,
                    marketplace_code=marketplace_code,
                    requirements=requirements,
                )
            )
        return record.with_env(self.env)

    @api.model
    def _cached(self, code, marketplace_code, requirements="LISTING"):
        """The cached definition, or an empty recordset (no call)."""
        return self.search(
            [
                ("code", "=", code),
                ("marketplace_code", "=", marketplace_code),
                ("requirements", "=", requirements),
                ("schema", "!=", False),
            ],
            limit=1,
        )

    # -- validation ----------------------------------------------------------------
    def _validator(self):
        """The schema's validator (amazon/product_type_schema.py), built once
        per stored checksum."""
        self.ensure_one()
        key = (self.id, self.checksum)
        validator = _VALIDATORS.get(key)
        if validator is None:
            validator = ProductTypeSchema(json.loads(self.schema))
            for stale in [k for k in _VALIDATORS if k[0] == self.id]:
                _VALIDATORS.pop(stale, None)
            _VALIDATORS[key] = validator
        return validator

    def _problems(self, attributes):
        """Problems of ``attributes`` against this schema, as issue values
        (code, message, severity, attribute_names, categories)."""
        self.ensure_one()
        problems = []
        for problem in self._validator().problems(attributes):
            title = self._validator().property_title(problem.attribute) or (
                problem.attribute
            )
            problems.append(
                {
                    "code": "SCHEMA",
                    "message": f"{title}: {problem.message}"
                    if problem.attribute
                    else problem.message,
                    "severity": "ERROR",
                    "attribute_names": problem.attribute or False,
                    "categories": "INVALID_ATTRIBUTE",
                }
            )
        return problems
