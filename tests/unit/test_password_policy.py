"""New-password rules and their Danish messages."""

import pytest

from tracker.security.password_policy import MESSAGES, check_new_password


def test_good_password_passes():
    assert check_new_password('Blå hest på tagryggen 7', 'rita') == []
    assert check_new_password('abcdefghijkl', 'rita') == []  # exactly 12


def test_too_short():
    assert check_new_password('abcdefghijk', 'rita') == ['Adgangskoden skal være mindst 12 tegn.']
    assert check_new_password('', 'rita') == [MESSAGES['too_short']]


def test_containing_the_login_any_case():
    assert check_new_password('mitnavnerRITA2026', 'rita') == [
        'Adgangskoden må ikke indeholde brugernavnet.'
    ]
    assert check_new_password('jens.hansen-siger-hej', 'Jens.Hansen') == [
        MESSAGES['contains_login']
    ]


def test_very_short_login_not_looked_for():
    assert check_new_password('cwabcdefghijkl', 'cw') == []


@pytest.mark.parametrize(
    'common', ['password1234', 'Password1234', ' qwerty123456 ', 'adgangskode123', '123456789012']
)
def test_common_passwords_refused(common):
    assert MESSAGES['common'] in check_new_password(common, 'rita')
    assert check_new_password(common, 'rita') == ['Adgangskoden er for almindelig. Vælg en anden.']


def test_one_repeated_character():
    assert check_new_password('a' * 20, 'rita') == [
        'Adgangskoden må ikke bestå af ét tegn gentaget.'
    ]
    assert check_new_password('aaaa', 'rita') == [MESSAGES['too_short'], MESSAGES['repeated']]
    assert check_new_password('aaaaaaaaaaab', 'rita') == []


def test_several_rules_at_once():
    assert check_new_password('rita', 'rita') == [MESSAGES['too_short'], MESSAGES['contains_login']]


def test_not_text():
    assert check_new_password(None, 'rita') == ['Adgangskoden skal være tekst.']
    assert check_new_password(123456789012345, 'rita') == [MESSAGES['not_text']]


def test_login_not_text_is_ignored():
    assert check_new_password('abcdefghijklm', None) == []


def test_messages_are_danish():
    for message in MESSAGES.values():
        assert message.startswith('Adgangskoden')
