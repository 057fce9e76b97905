"""Tokens API 2021-03-01: Restricted Data Tokens (RDT) for calls that
return buyer PII (AMAZON_FACTS §1).

An RDT is a bearer token good for an hour on the resources it names: the
caller uses it at once for those calls and keeps it nowhere (not in a
record, a log, an error or a job's arguments).
"""

from .orders import order_path

DATA_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")
RESOURCES_MAX = 50  # restrictedResources: "Maximum: 50" (the model)


def order_resource(order_id, data_elements=("buyerInfo", "shippingAddress")):
    """The restricted resource of getOrder (Orders 2026-01-01) of one order."""
    return {
        "method": "GET",
        "path": order_path(order_id),
        "dataElements": list(data_elements),
    }


class TokensApi:
    def __init__(self, client):
        self.client = client

    def restricted_data_token(self, resources):
        """createRestrictedDataToken: the RDT (a string) for ``resources``
        ``[{"method": "GET", "path": "/orders/2026-01-01/orders/{id}",
        "dataElements": [...]}]`` (see :func:`order_resource`)."""
        resources = list(resources)
        if not resources or len(resources) > RESOURCES_MAX:
            raise ValueError(f"give 1 to {RESOURCES_MAX} restricted resources")
        for resource in resources:
            unknown = set(resource.get("dataElements") or ()) - set(DATA_ELEMENTS)
            if unknown:
                raise ValueError(f"unknown dataElements {sorted(unknown)}")
        data = self.client.request(
            "createRestrictedDataToken",
            "POST",
            "/tokens/2021-03-01/restrictedDataToken",
            json={"restrictedResources": resources},
        ).data
        return (data or {})["restrictedDataToken"]
