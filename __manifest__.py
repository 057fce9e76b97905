# Copyright 2026 Marketplace Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Marketplace Connector (eBay)",
    "summary": "Sell on eBay from Odoo: accounts, listings, orders, stock and price",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/marketplace-connector/marketplace_connector",
    "author": "Marketplace Connector contributors",
    "license": "LGPL-3",
    "depends": ["sale_management", "sale_stock", "mail", "queue_job"],
    "external_dependencies": {"python": ["requests", "cryptography"]},
    "data": [
        "security/ebay_security.xml",
        "security/ir.model.access.csv",
        "data/queue_job_channel_data.xml",
        "data/queue_job_function_data.xml",
        "data/mail_activity_type_data.xml",
        "views/ebay_oauth_templates.xml",
        "views/ebay_account_views.xml",
        "views/ebay_listing_views.xml",
        "views/ebay_listing_group_views.xml",
        "views/product_views.xml",
        "wizards/ebay_connect_wizard_views.xml",
        "wizards/ebay_listing_action_wizard_views.xml",
        "views/ebay_menus.xml",
    ],
    "demo": ["demo/ebay_account_demo.xml"],
    "assets": {
        "web.assets_tests": ["marketplace_connector/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": True,
}
