"""A contact's language: learnt from their messages unless a member or the provider said it.

Where it came from is kept (`Contact.language_source`):
- `agent`: a member set it in the contact panel or the API; detection never changes it;
- `provider`: the channel or the website widget gave it (set in `identities.py` and the
  webchat session); the customer's own words are better evidence, so a clear detection
  replaces it;
- `detected`: learnt from their messages; a later clear detection may change it.

Detection adds each message's evidence to the contact's running totals and sets the language
once one is clear (`core.languages.evidence`). It runs while the message is recorded, so
routing (a job after the commit) already writes its automatic messages in that language.
"""

from __future__ import annotations

from frontdesk.core.contacts.identities import contact_changed
from frontdesk.core.contacts.models import Contact
from frontdesk.core.languages import detection
from frontdesk.core.languages.evidence import decided_language, weigh_message
from frontdesk.db.uow import UnitOfWork

AGENT, DETECTED = "agent", "detected"
# Once a detected language has this much evidence, further messages are not weighed (no
# write per message for a contact whose language is plain); nor once this much evidence in
# all never made one language clear (a mix, or a language outside the detector's set).
SETTLED = 3.0
UNDECIDABLE = 12.0


def is_settled(contact: Contact) -> bool:
    """Whether more messages would tell nothing new about the contact's language."""
    evidence = contact.language_evidence or {}
    if sum(evidence.values()) >= UNDECIDABLE:
        return True
    return contact.language_source == DETECTED and max(evidence.values(), default=0.0) >= SETTLED


async def learn_language(uow: UnitOfWork, contact: Contact, text: str) -> bool:
    """Weigh a customer's message as evidence of their language; True if the language changed."""
    if contact.language_source == AGENT or not text.strip() or is_settled(contact):
        return False
    if not detection.is_ready():  # the app has just started: never make a webhook wait
        return False
    evidence = weigh_message(contact.language_evidence or {}, text)
    if evidence == (contact.language_evidence or {}):
        return False
    contact.language_evidence = evidence
    decided = decided_language(evidence)
    if decided is None or (decided == contact.language and contact.language_source == DETECTED):
        return False
    contact.language, contact.language_source = decided, DETECTED
    await contact_changed(uow, contact)
    return True
