"""Facebook Messenger: one channel per Facebook Page, replies through the Send API.

Importing the package registers its sender, send limits, media and profile fetchers.
"""

from frontdesk.channels.common import MEDIA_FETCHERS, PROFILE_FETCHERS
from frontdesk.channels.messenger.flavor import MESSENGER
from frontdesk.channels.messenger.media import fetch_attachment
from frontdesk.channels.messenger.outbound import messenger_limits, send_messenger
from frontdesk.channels.messenger.profile import profile_fetcher_for
from frontdesk.channels.outbound import SEND_LIMITS, SENDERS

SENDERS[MESSENGER.channel_type] = send_messenger
SEND_LIMITS[MESSENGER.channel_type] = messenger_limits
MEDIA_FETCHERS[MESSENGER.channel_type] = fetch_attachment
PROFILE_FETCHERS[MESSENGER.channel_type] = profile_fetcher_for(MESSENGER)
