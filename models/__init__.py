from . import ebay_token
from . import ebay_account
from . import ebay_account_oauth
