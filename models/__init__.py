"""Neutral models first where the load order allows, channel models after."""

from .marketplace import marketplace_protected_fields_mixin
from .marketplace import queue_job_function
from .marketplace import marketplace_secret
from .marketplace import marketplace_account
from .ebay import marketplace_account as ebay_marketplace_account
from .ebay import ebay_account_oauth
from .ebay import ebay_policy
from .ebay import ebay_account_setup
from .ebay import ebay_account_migration
from .marketplace import marketplace_call
from .marketplace import marketplace_listing_mixin
from .marketplace import marketplace_account_stock
from .ebay import marketplace_account_stock_push
from .ebay import ebay_listing_aspect
from .ebay import ebay_listing
from .ebay import ebay_listing_stock_push
from .ebay import ebay_listing_bulk
from .ebay import ebay_listing_group
from .ebay import ebay_listing_group_aspect
from . import product_product
from . import product_template
from . import product_pricelist_item
from . import stock_move
from .ebay import product_product as ebay_product_product
from .ebay import product_template as ebay_product_template
from .marketplace import marketplace_order
from . import sale_order
from .ebay import ebay_account_orders
from .marketplace import marketplace_notification
from . import stock_picking
from .ebay import ebay_category
from .marketplace import marketplace_drift
from .marketplace import marketplace_account_drift
from .ebay import marketplace_account_reconcile
from . import res_config_settings
from .marketplace import marketplace_dead_letter
from .ebay import ebay_dead_letter_sources
from .marketplace import marketplace_alert
from .marketplace import marketplace_vacuum_mixin
from .marketplace import marketplace_account_health
from .marketplace import marketplace_dashboard_fields
from .marketplace import marketplace_account_dashboard
