"""Danish CPR numbers: one canonical form, and a real birth date.

The modulus-11 check is deliberately NOT applied: since 2007 the CPR office
issues numbers that fail it, so rejecting them would lock real people out.
Messages never repeat the number (it is personal data and may be logged).
"""

import datetime
import re

__all__ = ['InvalidCPR', 'normalise_cpr', 'cpr_birth_date']

# ASCII digits only: \d would also accept e.g. Arabic-Indic digits.
_CPR = re.compile(r'([0-9]{2})([0-9]{2})([0-9]{2})-?([0-9]{4})')


class InvalidCPR(ValueError):
    """Not a CPR number (message in Danish, for the user)."""


def _century(yy: int, seventh: int) -> int:
    """The CPR office's rule for the birth century from the 7th digit."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800  # 5-8


def _parse(text: str) -> tuple[str, datetime.date]:
    if not isinstance(text, str):
        raise TypeError('a CPR number is a str')
    match = _CPR.fullmatch(text.strip())
    if match is None:
        raise InvalidCPR('Ugyldigt CPR-nummer. Skriv det som DDMMÅÅ-XXXX eller DDMMÅÅXXXX.')
    dd, mm, yy, serial = match.groups()
    year = _century(int(yy), int(serial[0])) + int(yy)
    try:
        born = datetime.date(year, int(mm), int(dd))
    except ValueError:
        born = None
    if born is None:
        raise InvalidCPR('Ugyldigt CPR-nummer: de første seks cifre er ikke en gyldig dato.')
    return f'{dd}{mm}{yy}-{serial}', born


def normalise_cpr(text: str) -> str:
    """Return ``DDMMYY-SSSS`` for either accepted form, or raise InvalidCPR."""
    return _parse(text)[0]


def cpr_birth_date(cpr: str) -> datetime.date:
    """The birth date encoded in a CPR number (either form)."""
    return _parse(cpr)[1]
