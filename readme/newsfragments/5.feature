Stock and price flow out from Odoo: buffer, share and cap on free quantity, pricelist prices, event-driven coalesced bulk pushes within eBay's revision budget, and a drift report with repair.
