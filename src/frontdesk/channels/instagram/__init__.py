"""Instagram Messaging: one channel per Instagram professional account.

Instagram's direct messages use Messenger's event shapes, Send API and signature, so the
adapter is `channels.messenger` with the Instagram flavour (`object: "instagram"`, routed by the
account id, IGSID senders, `read.mid` seen events, unsent messages deleted). Importing the
package registers its sender, send limits, media and profile fetchers.
"""

from frontdesk.channels.common import MEDIA_FETCHERS, PROFILE_FETCHERS
from frontdesk.channels.instagram.flavor import INSTAGRAM
from frontdesk.channels.messenger.media import fetch_attachment
from frontdesk.channels.messenger.outbound import limits_for, sender_for
from frontdesk.channels.messenger.profile import profile_fetcher_for
from frontdesk.channels.outbound import SEND_LIMITS, SENDERS

send_instagram = sender_for(INSTAGRAM)
SENDERS[INSTAGRAM.channel_type] = send_instagram
SEND_LIMITS[INSTAGRAM.channel_type] = limits_for(INSTAGRAM)
MEDIA_FETCHERS[INSTAGRAM.channel_type] = fetch_attachment
PROFILE_FETCHERS[INSTAGRAM.channel_type] = profile_fetcher_for(INSTAGRAM)
