"""Detecting the language a customer writes in, offline (docs/decisions/0011).

Lingua (rule-based n-gram models shipped inside the package, no network) scores a message
against a fixed set of languages. Short chat messages are often ambiguous ("ok", "alo"), so a
single message is only evidence: `core.languages.evidence` adds it up over a contact's messages
and decides once it is clear. The models are loaded once per process in a background thread,
started when the app starts (else by the first message, which is then not weighed).
"""

from __future__ import annotations

from functools import cache
from threading import Event, Lock, Thread

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The product's languages, the region's neighbours that share words with them (Spanish,
# Italian and French with Portuguese; Indonesian and Tagalog with English loanwords), and the
# languages most often met in chat. Each adds ~20 MB of models; a language outside the set is
# scored as its closest member, with low confidence, so it stays "unsure".
LANGUAGES = (
    Language.ENGLISH,
    Language.PORTUGUESE,
    Language.VIETNAMESE,
    Language.SPANISH,
    Language.FRENCH,
    Language.GERMAN,
    Language.ITALIAN,
    Language.DUTCH,
    Language.INDONESIAN,
    Language.TAGALOG,
    Language.CHINESE,
    Language.JAPANESE,
    Language.KOREAN,
    Language.RUSSIAN,
    Language.ARABIC,
    Language.THAI,
)
MAX_CHARS = 500  # enough to tell; a pasted document costs no more than this
TOP = 3  # scores kept per message


_BUILDING = Lock()
_READY = Event()
_STARTED: list[Thread] = []


@cache
def _built() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*LANGUAGES).with_preloaded_language_models().build()
    )


def _detector() -> LanguageDetector:
    with _BUILDING:  # one build per process, whichever thread asks first
        return _built()


def warm_up() -> None:
    """Load the models now (a few seconds, about 340 MB), waiting for them."""
    _detector()
    _READY.set()


def start_warming_up() -> None:
    """Load the models in a background thread, once per process; returns at once."""
    with _BUILDING:
        if _STARTED:
            return
        thread = Thread(target=warm_up, name="language-models", daemon=True)
        _STARTED.append(thread)
    thread.start()


def is_ready() -> bool:
    """Whether detection can answer at once. A message never waits for the models: a webhook
    must answer within the provider's deadline, so until they are loaded (the first seconds
    after the app starts) messages are not weighed and the loading is started."""
    if _READY.is_set():
        return True
    start_warming_up()
    return False


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def score_languages(text: str) -> dict[str, float]:
    """The most likely languages of `text` (ISO 639-1) with confidences summing to at most 1;
    empty for text without letters (an emoji, a number, a link)."""
    sample = text[:MAX_CHARS]
    if letters(sample) == 0:
        return {}
    values = _detector().compute_language_confidence_values(sample)
    return {
        v.language.iso_code_639_1.name.lower(): float(v.value) for v in values[:TOP] if v.value > 0
    }
