"""Twilio Programmable Messaging: SMS (and MMS) numbers, and WhatsApp through Twilio.

- `signature`: `X-Twilio-Signature` (HMAC-SHA1 over the URL and the sorted form parameters).
- `payloads`: the webhook's form fields; `inbound`: recording messages and status callbacks.
- `keywords`: STOP / START / HELP as Twilio handles them by default.
- `segments`: GSM-7 and UCS-2 segment counting.
- `outbound` and `rest`: the Messages API; `errors`: Twilio's codes sorted for retrying.
- `media`: fetching MMS and WhatsApp files; `spec`: the channel spec.
"""
