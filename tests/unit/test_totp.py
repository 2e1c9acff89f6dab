"""TOTP second factor: windows, input checks, replay guard."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest

from tracker.security import totp

SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
NOW = datetime(2026, 11, 2, 9, 0, 10, tzinfo=UTC)  # 10 s into a step
STEP = int(NOW.timestamp()) // 30


def code_for(step, secret=SECRET):
    return pyotp.TOTP(secret).generate_otp(step)


def test_new_secret_is_random_base32_of_160_bits():
    a, b = totp.new_secret(), totp.new_secret()
    assert a != b
    assert len(a) == 32 and set(a) <= set('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')


def test_provisioning_uri():
    uri = totp.provisioning_uri(SECRET, 'rita', issuer='Borgerrådgiveren')
    parsed = urlparse(uri)
    assert parsed.scheme == 'otpauth' and parsed.netloc == 'totp'
    assert unquote(parsed.path) == '/Borgerrådgiveren:rita'
    query = parse_qs(parsed.query)
    assert query['secret'] == [SECRET]
    assert query['issuer'] == ['Borgerrådgiveren']
    assert 'Tracker' in totp.provisioning_uri(SECRET, 'rita')


def test_current_and_previous_window_accepted():
    assert totp.verify(SECRET, code_for(STEP), now=NOW)
    assert totp.verify(SECRET, code_for(STEP - 1), now=NOW)
    # The same codes checked at the last second of the step.
    late = NOW.timestamp() + 19
    assert totp.verify(SECRET, code_for(STEP), now=late)
    assert totp.verify(SECRET, code_for(STEP - 1), now=late)


def test_older_and_future_windows_refused():
    assert not totp.verify(SECRET, code_for(STEP - 2), now=NOW)
    assert not totp.verify(SECRET, code_for(STEP - 10), now=NOW)
    assert not totp.verify(SECRET, code_for(STEP + 1), now=NOW)
    # A code stops working once two steps have begun after its own.
    assert not totp.verify(SECRET, code_for(STEP), now=(STEP + 2) * 30)


def test_another_secret_refused():
    other = totp.new_secret()
    assert not totp.verify(other, code_for(STEP), now=NOW) or code_for(STEP, other) == code_for(
        STEP
    )  # a 1-in-a-million coincidence


def test_real_clock():
    assert totp.verify(SECRET, pyotp.TOTP(SECRET).now())


@pytest.mark.parametrize(
    'bad',
    [
        '',
        '12345',
        '1234567',
        'abcdef',
        '12345a',
        '-12345',
        '+123456',
        '12.345',
        '١٢٣٤٥٦',  # Arabic-Indic digits: str.isdigit() says yes, we say no
        '123456\n7',
        None,
        123456,
        b'123456',
        ['123456'],
    ],
)
def test_non_digit_or_wrong_length_refused(bad):
    assert not totp.verify(SECRET, bad, now=NOW)
    assert totp.verify_once(SECRET, bad, None, now=NOW) == (False, None)


def test_spaces_allowed_as_apps_show_them():
    code = code_for(STEP)
    assert totp.verify(SECRET, f' {code[:3]} {code[3:]} ', now=NOW)


def test_empty_secret_refused():
    assert not totp.verify('', code_for(STEP), now=NOW)
    assert not totp.verify(None, code_for(STEP), now=NOW)


def test_replay_refused():
    ok, step = totp.verify_once(SECRET, code_for(STEP), None, now=NOW)
    assert (ok, step) == (True, STEP)
    # The same code again, within its window: refused, step unchanged.
    assert totp.verify_once(SECRET, code_for(STEP), step, now=NOW) == (False, STEP)
    assert totp.verify_once(SECRET, code_for(STEP), step, now=NOW.timestamp() + 25) == (False, STEP)
    # The previous step's code is older than the one used: refused too.
    assert totp.verify_once(SECRET, code_for(STEP - 1), step, now=NOW) == (False, STEP)
    # The next step's code, once it is current, works.
    later = (STEP + 1) * 30 + 1
    assert totp.verify_once(SECRET, code_for(STEP + 1), step, now=later) == (True, STEP + 1)


def test_previous_step_code_usable_once_when_nothing_newer_used():
    ok, step = totp.verify_once(SECRET, code_for(STEP - 1), STEP - 2, now=NOW)
    assert (ok, step) == (True, STEP - 1)
    # The current code is still usable after it...
    assert totp.verify_once(SECRET, code_for(STEP), step, now=NOW) == (True, STEP)
    # ...but the previous one not again.
    assert totp.verify_once(SECRET, code_for(STEP - 1), step, now=NOW) == (False, step)


class FakeTypes:
    roles = {
        'admin': {'require_totp': True},
        'advisor': {},
        'caseworker': {'global': False, 'local': True, 'require_totp': True},
    }

    def global_roles(self, roles):
        return {r for r in roles if self.roles.get(r, {}).get('global', True)}


class FakeUser:
    def __init__(self, *roles):
        self.roles = roles


def test_required_for_roles_marked_in_roles_yaml():
    types = FakeTypes()
    assert totp.required_for(types, FakeUser('admin'))
    assert totp.required_for(types, FakeUser('advisor', 'admin'))
    assert not totp.required_for(types, FakeUser('advisor'))
    # Only global roles count (a local-only role grants nothing globally).
    assert not totp.required_for(types, FakeUser('caseworker'))


def test_required_for_with_a_real_roles_yaml(schemas_copy):
    """The flag is read from roles.yaml by the real loader (unknown role
    keys pass through), here on a private copy marked for admin."""
    import yaml

    from tracker.config import load_types

    path = schemas_copy / 'roles.yaml'
    raw = yaml.safe_load(path.read_text(encoding='utf-8'))
    raw['roles']['admin']['require_totp'] = True
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding='utf-8')
    types = load_types(schemas_copy)
    assert totp.required_for(types, FakeUser('admin'))
    assert totp.required_for(types, FakeUser('jurist', 'admin'))
    assert not totp.required_for(types, FakeUser('advisor'))
