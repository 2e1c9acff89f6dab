"""Is an anonymised summary free of the case's personal data? (pure)

The annual report prints the summaries, so a summary must not contain a
protected value of its case: the whole value, or — for names and other
one-line values — any capitalised word of it, and nothing shaped like a CPR
number. Free texts count only as whole values: their words are ordinary
words ("Borgerrådgiveren afventer svar").
The check names the field, never the value it found."""

import re

CPR_SHAPE = re.compile(r'(?<!\d)\d{6}[-\s]?\d{4}(?!\d)')
NAME_WORD = re.compile(r'\b[A-ZÆØÅ][\wæøåÆØÅ\-]{2,}\b')
SHORT = 200  # a protected value this short is a name, an address, a reference


def leaks(summary: str, protected: list[tuple[str, str, bool]]) -> list[str]:
    """The labels of the protected values the summary contains; 'CPR' when it
    holds something shaped like a CPR number. `protected`: (label, value,
    whether its words count: True for names and other one-line values)."""
    if not summary:
        return []
    found = []
    text = summary.casefold()
    if CPR_SHAPE.search(summary):
        found.append('CPR')
    for label, value, by_word in protected:
        if not isinstance(value, str) or not value.strip():
            continue
        value = value.strip()
        hit = value.casefold() in text
        if not hit and by_word and len(value) <= SHORT:
            words = {w.casefold() for w in NAME_WORD.findall(value)}
            hit = any(re.search(rf'\b{re.escape(w)}\b', text) for w in words)
        if hit and label not in found:
            found.append(label)
    return found
