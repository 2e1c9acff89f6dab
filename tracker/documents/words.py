"""Full-text search over documents without their words in clear.

A document's text is personal data. Instead of a text index, each distinct
word is stored as a keyed hash (HMAC with the key ring's index key) in a
keyword index; a search hashes the searched words the same way. The
trade-off (docs/security.md): whole-word, case-insensitive matches only —
no prefixes, stemming or ranking — and equal words have equal hashes.
"""

import re
import unicodedata

WORD = re.compile(r'\w{2,}', re.UNICODE)
MAX_WORDS = 20000  # distinct words kept per document


def words(text):
    """Distinct normalised words of a text."""
    text = unicodedata.normalize('NFC', text or '').casefold()
    out = []
    seen = set()
    for match in WORD.finditer(text):
        word = match.group(0)
        if word in seen or (word.isdigit() and len(word) < 4):
            continue  # short numbers (page numbers, dates' parts) match too much
        seen.add(word)
        out.append(word)
        if len(out) >= MAX_WORDS:
            break
    return out


def blind_words(ring, text):
    return [ring.blind_index('word', word) for word in words(text)]
