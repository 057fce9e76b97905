from . import ebay_connect_wizard
from . import ebay_listing_action_wizard
