from . import oauth
from . import notification
