"""Neutral models first where the load order allows, channel models after."""

from .marketplace import marketplace_protected_fields_mixin
from . import queue_job_function
from .marketplace import marketplace_secret
from .marketplace import marketplace_account
from .marketplace import marketplace_account_token
from .marketplace import marketplace_account_owned_mixin
from .ebay import marketplace_secret as ebay_marketplace_secret
from .marketplace import marketplace_account_job_edge
from .ebay import marketplace_account as ebay_marketplace_account
from .ebay import marketplace_account_client as ebay_marketplace_account_client
from .ebay import marketplace_account_token as ebay_marketplace_account_token
from .ebay import marketplace_account_oauth as ebay_marketplace_account_oauth
from .amazon import marketplace_account as amazon_marketplace_account
from .amazon import marketplace_account_client as amazon_marketplace_account_client
from .amazon import marketplace_account_token as amazon_marketplace_account_token
from .amazon import marketplace_account_oauth as amazon_marketplace_account_oauth
from .amazon import (
    marketplace_account_client_secret as amazon_marketplace_account_client_secret,
)
from .amazon import amazon_marketplace_participation
from .ebay import ebay_policy
from .ebay import ebay_account_marketplace
from .ebay import marketplace_account_marketplaces
from .ebay import marketplace_account_setup as ebay_marketplace_account_setup
from .ebay import marketplace_account_migration as ebay_marketplace_account_migration
from .marketplace import marketplace_account_record_mixin
from .marketplace import marketplace_reference_mixin
from .marketplace import marketplace_call
from .marketplace import marketplace_listing_mixin
from .marketplace import marketplace_account_stock
from .ebay import marketplace_account_stock_push
from .ebay import ebay_listing_aspect
from .ebay import ebay_listing
from .ebay import ebay_listing_display
from .ebay import ebay_listing_stock_push
from .ebay import ebay_listing_bulk
from .ebay import ebay_listing_group
from .ebay import ebay_listing_group_display
from .ebay import ebay_listing_group_aspect
from .ebay import ebay_listing_category
from . import product_product
from . import product_template
from . import product_pricelist_item
from . import product_pricelist
from . import stock_move
from .ebay import product_product as ebay_product_product
from .ebay import product_template as ebay_product_template
from .ebay import ebay_product_aspect
from .marketplace import marketplace_order
from .marketplace import marketplace_order_sold_on  # hooks the channels override
from .ebay import marketplace_order as ebay_marketplace_order
from .marketplace import marketplace_order_display
from .ebay import marketplace_order_display as ebay_marketplace_order_display
from . import sale_order
from . import sale_order_line
from . import mail_thread
from . import res_partner
from .marketplace import marketplace_account_orders
from .ebay import marketplace_account_orders as ebay_marketplace_account_orders
from .marketplace import marketplace_notification
from .ebay import marketplace_notification as ebay_marketplace_notification
from .ebay import marketplace_account_notification
from .ebay import marketplace_account_notification_setup
from . import stock_picking
from .ebay import stock_picking as ebay_stock_picking
from .ebay import delivery_carrier
from .amazon import delivery_carrier as amazon_delivery_carrier
from .amazon import stock_picking as amazon_stock_picking
from .ebay import ebay_category
from .marketplace import marketplace_drift
from .marketplace import marketplace_account_drift
from .ebay import marketplace_account_reconcile
from . import res_config_settings
from .marketplace import marketplace_issue_mixin
from .marketplace import marketplace_dead_letter
from .marketplace import marketplace_dead_letter_source
from .marketplace import marketplace_listing_dead_letter_source
from .ebay import ebay_listing_dead_letter
from .ebay import marketplace_dead_letter as ebay_marketplace_dead_letter
from .ebay import ebay_listing_group_dead_letter
from .amazon import amazon_product_type
from .amazon import amazon_listing
from .amazon import amazon_listing_display
from .amazon import amazon_listing_issue
from .amazon import product_template as amazon_product_template
from .amazon import product_product as amazon_product_product
from .marketplace import marketplace_order_dead_letter
from . import stock_picking_dead_letter
from . import queue_job_dead_letter
from .marketplace import marketplace_alert
from .amazon import marketplace_alert as amazon_marketplace_alert
from .marketplace import marketplace_account_alerts
from .marketplace import marketplace_dead_letter_alerts
from .marketplace import marketplace_account_cockpit
from .marketplace import marketplace_vacuum_mixin
from .marketplace import marketplace_call_vacuum
from .marketplace import marketplace_notification_vacuum
from .marketplace import marketplace_account_vacuum
from .marketplace import marketplace_account_health
from .marketplace import marketplace_account_job_runner
from .ebay import marketplace_account_health as ebay_marketplace_account_health
from .marketplace import marketplace_call_dashboard
from .marketplace import marketplace_order_dashboard
from .marketplace import marketplace_account_dashboard
from .marketplace import marketplace_account_dashboard_graph
from .marketplace import marketplace_standing
from .marketplace import marketplace_alert_standing
from .marketplace import marketplace_account_standing
from .ebay import marketplace_account_standing as ebay_marketplace_account_standing
from .marketplace import marketplace_account_dashboard_standing
from .marketplace import marketplace_order_ship_by
from .ebay import marketplace_order_ship_by as ebay_marketplace_order_ship_by
from .ebay import marketplace_account_dashboard as ebay_marketplace_account_dashboard
from .amazon import res_config_settings as amazon_res_config_settings
from .amazon import marketplace_alert_feed as amazon_marketplace_alert_feed
from .amazon import amazon_feed
from .amazon import amazon_feed_message
from .amazon import amazon_listing_stock_push
from .amazon import amazon_listing_feed
from .amazon import amazon_listing_bulk
from .amazon import (
    marketplace_account_stock_push as amazon_marketplace_account_stock_push,
)
from .amazon import (
    marketplace_account_reconcile as amazon_marketplace_account_reconcile,
)
from .amazon import marketplace_account_health as amazon_marketplace_account_health
from .amazon import (
    marketplace_account_dashboard as amazon_marketplace_account_dashboard,
)
from .amazon import marketplace_secret as amazon_marketplace_secret
from .amazon import (
    marketplace_account_notification as amazon_marketplace_account_notification,
)
from .amazon import marketplace_notification as amazon_marketplace_notification
from .amazon import marketplace_order as amazon_marketplace_order
from .amazon import marketplace_order_display as amazon_marketplace_order_display
from .amazon import marketplace_account_orders as amazon_marketplace_account_orders
from .amazon import marketplace_account_cockpit as amazon_marketplace_account_cockpit
from .marketplace import marketplace_account_checklist
from .ebay import marketplace_account_checklist as ebay_marketplace_account_checklist
from .amazon import (
    marketplace_account_checklist as amazon_marketplace_account_checklist,
)
from .marketplace import marketplace_notification_display
from .marketplace import marketplace_bulk_progress
from .marketplace import marketplace_account_accounting
from .marketplace import marketplace_order_refund
from .marketplace import marketplace_order_invoice
from .marketplace import marketplace_account_finances
from .marketplace import marketplace_fee
from .marketplace import marketplace_payout
from .ebay import marketplace_account_finances as ebay_marketplace_account_finances
from .ebay import ebay_listing_group_category
from .ebay import ebay_feed_task
from .ebay import marketplace_account_feed as ebay_marketplace_account_feed
