"""Listings Items API 2021-08-01: one seller's SKUs, one call each.

Amazon answers a put or patch ACCEPTED before it applies it; the issues it
finds later are read back with :meth:`ListingsApi.get` (AMAZON_FACTS §5).
Methods return Amazon's JSON as dicts.
"""

from .paths import csv, path_segment

BASE = "/listings/2021-08-01/items"
PREVIEW_MODE = "VALIDATION_PREVIEW"
# What a submission answers with by default: the issues found at acceptance
# (and the ASIN when Amazon already knows it).
SUBMISSION_DATA = ("issues",)
# What get reads by default: all that the connector shows or reconciles.
ITEM_DATA = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability")
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
PATCH_OPS = ("add", "replace", "merge", "delete")


class ListingsApi:
    """The Listings Items operations of the client's seller."""

    def __init__(self, client):
        self.client = client

    def _path(self, sku=None):
        seller_id = self.client.seller_id
        if not seller_id:
            raise ValueError("Listings Items calls need the client's seller_id")
        path = f"{BASE}/{path_segment(seller_id, 'seller id')}"
        return f"{path}/{path_segment(sku, 'SKU')}" if sku is not None else path

    @staticmethod
    def _params(marketplace_ids, included=None, preview=False, issue_locale=None):
        params = {"marketplaceIds": csv(marketplace_ids)}
        if included:
            params["includedData"] = csv(included)
        if preview:
            params["mode"] = PREVIEW_MODE
        if issue_locale:
            params["issueLocale"] = issue_locale
        return params

    def put(
        self,
        sku,
        marketplace_ids,
        product_type,
        attributes,
        requirements=None,
        preview=False,
        included=SUBMISSION_DATA,
        issue_locale=None,
    ):
        """putListingsItem: create or fully replace the listing.  With
        ``preview``, Amazon only validates (VALID/INVALID with issues)."""
        if requirements and requirements not in REQUIREMENTS:
            raise ValueError(f"requirements must be one of {REQUIREMENTS}")
        body = {"productType": product_type, "attributes": attributes}
        if requirements:
            body["requirements"] = requirements
        return self.client.request(
            "putListingsItem",
            "PUT",
            self._path(sku),
            params=self._params(marketplace_ids, included, preview, issue_locale),
            json=body,
            safe=preview or None,
        ).data

    def patch(
        self,
        sku,
        marketplace_ids,
        product_type,
        patches,
        preview=False,
        included=SUBMISSION_DATA,
        issue_locale=None,
    ):
        """patchListingsItem: JSON-patch top-level attributes
        (``[{op: add|replace|merge|delete, path: "/attributes/x", value}]``)."""
        for patch in patches:
            if patch.get("op") not in PATCH_OPS:
                raise ValueError(f"a patch op must be one of {PATCH_OPS}: {patch!r}")
        return self.client.request(
            "patchListingsItem",
            "PATCH",
            self._path(sku),
            params=self._params(marketplace_ids, included, preview, issue_locale),
            json={"productType": product_type, "patches": list(patches)},
            safe=preview or None,
        ).data

    def delete(self, sku, marketplace_ids, issue_locale=None):
        """deleteListingsItem: the listing is gone from those marketplaces."""
        return self.client.request(
            "deleteListingsItem",
            "DELETE",
            self._path(sku),
            params=self._params(marketplace_ids, issue_locale=issue_locale),
        ).data

    def get(self, sku, marketplace_ids, included=ITEM_DATA, issue_locale=None):
        """getListingsItem (AmazonNotFound when the SKU is unknown).  Ask one
        marketplace at a time: with several, Amazon has been seen to answer
        the first one's summary only (AMAZON_FACTS §5)."""
        return self.client.request(
            "getListingsItem",
            "GET",
            self._path(sku),
            params=self._params(marketplace_ids, included, issue_locale=issue_locale),
        ).data

    def search(
        self,
        marketplace_ids,
        skus=None,
        page_size=20,
        page_token=None,
        with_status=None,
        included=("summaries",),
        **filters,
    ):
        """searchListingsItems: a page of the seller's listings
        (``{numberOfResults, pagination: {nextToken}, items}``).

        ``skus`` filters by SKU (at most 20 a call); ``with_status`` BUYABLE
        and/or DISCOVERABLE; ``filters`` are further query parameters by
        Amazon's names (``withoutStatus``, ``sortBy``, ``lastUpdatedAfter``...).
        """
        params = self._params(marketplace_ids, included)
        params["pageSize"] = page_size
        if skus:
            params["identifiers"] = csv(skus)
            params["identifiersType"] = "SKU"
        if page_token:
            params["pageToken"] = page_token
        if with_status:
            params["withStatus"] = csv(with_status)
        for name, value in filters.items():
            if value is not None:
                params[name] = value if isinstance(value, str | int) else csv(value)
        return self.client.request(
            "searchListingsItems", "GET", self._path(), params=params
        ).data

    def iterate(self, marketplace_ids, **kwargs):
        """Every listing of a search, page after page."""
        token = None
        while True:
            page = self.search(marketplace_ids, page_token=token, **kwargs) or {}
            yield from page.get("items") or []
            token = (page.get("pagination") or {}).get("nextToken")
            if not token:
                return
