"""Where buyers see an eBay listing: the item's page on the account's site.

A helper of the eBay listing and the variation listing (not a model).
"""

# eBay's sites: the host of a marketplace's item pages (production).
ITEM_HOSTS = {
    "EBAY_US": "www.ebay.com",
    "EBAY_GB": "www.ebay.co.uk",
    "EBAY_DE": "www.ebay.de",
    "EBAY_FR": "www.ebay.fr",
    "EBAY_IT": "www.ebay.it",
    "EBAY_ES": "www.ebay.es",
    "EBAY_AU": "www.ebay.com.au",
    "EBAY_CA": "www.ebay.ca",
}
# The sandbox has one site for every marketplace.
SANDBOX_ITEM_HOST = "sandbox.ebay.com"


def item_url(account, listing_id, marketplace_id=None):
    """The page of eBay listing ``listing_id`` on the site of
    ``marketplace_id`` (``account``'s home marketplace when not given; the
    sandbox's for a sandbox account), or False: none in the emulator, which
    has no item pages, nor before eBay gave the listing an id."""
    environment = account.environment
    if not listing_id or environment == "emulator":
        return False
    host = (
        SANDBOX_ITEM_HOST
        if environment == "sandbox"
        else ITEM_HOSTS.get(
            marketplace_id or account.ebay_marketplace_id, ITEM_HOSTS["EBAY_US"]
        )
    )
    return f"https://{host}/itm/{listing_id}"
