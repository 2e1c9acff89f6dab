"""Names kept in Danish and English side by side, one chosen per locale."""

from dataclasses import dataclass


def in_locale(locale: str, da: str, en: str) -> str:
    """The English text where English is asked for, else the Danish."""
    return en if locale == 'en' else da


class Titled:
    """`title(locale)` for a (frozen) dataclass with `title_da` and
    `title_en` fields: types, fields, choices, states, transitions, letters."""

    title_da: str
    title_en: str

    def title(self, locale: str) -> str:
        return in_locale(locale, self.title_da, self.title_en)


@dataclass(frozen=True)
class Named(Titled):
    """A thing known by its name and shown by its title: a state, a
    transition, a fieldset. Subclasses add their own fields after these."""

    name: str
    title_da: str
    title_en: str
