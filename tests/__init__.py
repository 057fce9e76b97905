"""The addon's tests.  Every test module is imported here: Odoo's own test runner
(``odoo -i marketplace_connector --test-enable``) runs only the modules this
package imports (tests/test_test_layout.py checks that none is missing)."""

from . import test_access
from . import test_amazon_connect
from . import test_alerts
from . import test_chaos
from . import test_client_errors
from . import test_company_isolation
from . import test_connect_tour
from . import test_connect_wizard_secret
from . import test_dashboard
from . import test_dashboard_tour
from . import test_dead_letter
from . import test_emulator_guard
from . import test_emulator_switch
from . import test_escaping
from . import test_health
from . import test_health_token
from . import test_inbox_tour
from . import test_job_edge
from . import test_listing
from . import test_listing_bulk
from . import test_listing_group
from . import test_migration
from . import test_neutral_layer
from . import test_notification_controller
from . import test_notification_security
from . import test_oauth_controller
from . import test_order_concurrency
from . import test_order_import
from . import test_protected_fields
from . import test_publish_tour
from . import test_rights_first
from . import test_stock_push
from . import test_structured_logs
from . import test_test_layout
from . import test_token_concurrency
from . import test_token_refresh
from . import test_token_stopped_account
from . import test_tracking
from . import test_url_paths
from . import test_vacuum
from . import test_vault
from . import test_vault_rotate_command
from . import test_amazon_feed
from . import test_amazon_stock
