"""WhatsApp Business Cloud API: several numbers per workspace, one channel per number.

Importing the package registers its sender, send limits, media fetcher and read-receipt sender.
"""

from frontdesk.channels.common import MEDIA_FETCHERS, READ_RECEIPT_SENDERS
from frontdesk.channels.outbound import SEND_LIMITS, SENDERS
from frontdesk.channels.whatsapp.media import fetch_whatsapp_media
from frontdesk.channels.whatsapp.outbound import (
    WHATSAPP,
    send_limits,
    send_read_receipt,
    send_whatsapp,
)

SENDERS[WHATSAPP] = send_whatsapp
SEND_LIMITS[WHATSAPP] = send_limits
MEDIA_FETCHERS[WHATSAPP] = fetch_whatsapp_media
READ_RECEIPT_SENDERS[WHATSAPP] = send_read_receipt
