"""eBay-only models and eBay's extensions of the neutral ones."""
