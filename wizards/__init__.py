from . import ebay_connect_wizard
