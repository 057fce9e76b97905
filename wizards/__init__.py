from . import ebay_connect_wizard
from . import ebay_listing_action_wizard
from . import amazon_connect_wizard
from . import amazon_product_type_search_wizard
from . import amazon_product_type_search_line
from . import amazon_listing_action_wizard
