"""Rules for a new password, with Danish messages for the person choosing it.

`check_new_password(password, login)` returns the list of broken rules
(empty when the password is acceptable):

- at least MIN_LENGTH (12) characters;
- must not contain the login (ignoring case; logins shorter than
  MIN_LOGIN_IN_PASSWORD characters are not looked for, or a two-letter
  login would forbid every password with those two letters in a row);
- not one of a small built-in list of very common passwords (ignoring case
  and surrounding spaces);
- not one character repeated.
"""

__all__ = ['MIN_LENGTH', 'COMMON_PASSWORDS', 'MESSAGES', 'check_new_password']

MIN_LENGTH = 12
MIN_LOGIN_IN_PASSWORD = 3

# Very common choices that pass the length rule (from public breach
# top lists, plus Danish variants). Compared in lower case.
COMMON_PASSWORDS = frozenset(
    {
        '123456789012',
        '1234567890123',
        'qwertyuiop12',
        'qwerty123456',
        '1q2w3e4r5t6y',
        'password1234',
        'password123!',
        'passwordpassword',
        'iloveyou1234',
        'adgangskode123',
        'adgangskode1234',
        'velkommen1234',
        'sommer2024!!',
    }
)

MESSAGES = {
    'not_text': 'Adgangskoden skal være tekst.',
    'too_short': f'Adgangskoden skal være mindst {MIN_LENGTH} tegn.',
    'contains_login': 'Adgangskoden må ikke indeholde brugernavnet.',
    'common': 'Adgangskoden er for almindelig. Vælg en anden.',
    'repeated': 'Adgangskoden må ikke bestå af ét tegn gentaget.',
}


def check_new_password(password, login):
    """Danish messages for each rule `password` breaks; [] when it is fine."""
    if not isinstance(password, str):
        return [MESSAGES['not_text']]
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(MESSAGES['too_short'])
    folded = password.casefold()
    if (
        isinstance(login, str)
        and len(login) >= MIN_LOGIN_IN_PASSWORD
        and login.casefold() in folded
    ):
        problems.append(MESSAGES['contains_login'])
    if folded.strip() in COMMON_PASSWORDS:
        problems.append(MESSAGES['common'])
    if password and len(set(password)) == 1:
        problems.append(MESSAGES['repeated'])
    return problems
