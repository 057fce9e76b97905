"""Product Type Definitions API 2020-09-01: which product type fits, and
the JSON Schema its attributes must follow.

The definition carries links to the schema (and Amazon's meta-schema) with
a checksum, a base64 MD5 of the bytes: callers cache schemas by it
(AMAZON_FACTS §8).  Links are presigned: :meth:`DefinitionsApi.download_schema`
fetches them without the seller's token.
"""

import base64
import hashlib
import json

from .errors import AmazonError
from .paths import csv, path_segment

BASE = "/definitions/2020-09-01/productTypes"


def checksum_of(data):
    """Amazon's schema checksum of ``data`` (bytes): base64 of its MD5."""
    # MD5 is what Amazon uses for the checksum, as a fingerprint, not for
    # security.
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()


class DefinitionsApi:
    def __init__(self, client):
        self.client = client

    def search(
        self,
        marketplace_ids,
        keywords=None,
        item_name=None,
        locale=None,
        search_locale=None,
    ):
        """searchDefinitionsProductTypes: ``{productTypes: [{name, displayName,
        marketplaceIds}], productTypeVersion}``; ``keywords`` and
        ``item_name`` cannot be given together."""
        if keywords and item_name:
            raise ValueError("search by keywords or by item name, not both")
        params = {"marketplaceIds": csv(marketplace_ids)}
        if keywords:
            params["keywords"] = csv(keywords)
        if item_name:
            params["itemName"] = item_name
        if locale:
            params["locale"] = locale
        if search_locale:
            params["searchLocale"] = search_locale
        return self.client.request(
            "searchDefinitionsProductTypes", "GET", BASE, params=params
        ).data

    def get_definition(
        self,
        product_type,
        marketplace_id,
        seller_id=None,
        requirements="LISTING",
        enforced="ENFORCED",
        locale=None,
        version="LATEST",
        parentage_level=None,
    ):
        """getDefinitionsProductType for one marketplace (Amazon takes one)."""
        params = {
            "marketplaceIds": marketplace_id,
            "requirements": requirements,
            "requirementsEnforced": enforced,
            "productTypeVersion": version,
        }
        if seller_id:
            params["sellerId"] = seller_id
        if locale:
            params["locale"] = locale
        if parentage_level:
            params["parentageLevel"] = parentage_level
        return self.client.request(
            "getDefinitionsProductType",
            "GET",
            f"{BASE}/{path_segment(product_type, 'product type')}",
            params=params,
        ).data

    def download_schema(self, url, checksum=None):
        """The schema at a definition's ``schema.link.resource`` as a dict.

        With ``checksum`` (the definition's), bytes that do not match raise
        AmazonError: a cache keyed by checksum must not store other bytes.
        """
        response = self.client.fetch_url("downloadProductTypeSchema", "GET", url)
        data = response.content
        if checksum and checksum_of(data) != checksum:
            raise AmazonError(
                "The product type schema Amazon sent does not match its checksum",
                status=response.status_code,
                request_id=response.headers.get("x-amzn-RequestId"),
            )
        try:
            return json.loads(data)
        except ValueError as exc:
            raise AmazonError(
                "The product type schema Amazon sent is not JSON",
                status=response.status_code,
            ) from exc
