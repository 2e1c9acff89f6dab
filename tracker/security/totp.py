"""An optional TOTP second factor (RFC 6238: SHA-1, 6 digits, 30-second
steps, as every authenticator app expects), built on pyotp.

A code is accepted for the current step and the one before it (a code
typed just as it rolled over), never for older or future steps. The
replay guard `verify_once` keeps the last step used per user
(`User.totp_last_step`), so one code cannot log in twice.

No Pyramid imports.
"""

import hmac
import re
import time
from datetime import datetime

import pyotp

__all__ = [
    'STEP_SECONDS',
    'DIGITS',
    'new_secret',
    'provisioning_uri',
    'normalise_code',
    'step_at',
    'verify',
    'verify_once',
    'required_for',
]

STEP_SECONDS = 30
DIGITS = 6
_CODE = re.compile(r'[0-9]{%d}' % DIGITS, re.ASCII)


def new_secret():
    """A random base32 secret (160 bits, RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret, login, issuer='Tracker'):
    """The otpauth:// URI an authenticator app reads (as a QR code)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=login, issuer_name=issuer
    )


def normalise_code(code):
    """The code as six ASCII digits, or None. Surrounding whitespace and the
    space apps show in the middle ("123 456") are allowed; nothing else
    (no other digits scripts, no signs, no numbers instead of text)."""
    if not isinstance(code, str):
        return None
    code = code.strip().replace(' ', '')
    return code if _CODE.fullmatch(code) else None


def _timestamp(now):
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return now.timestamp()
    return float(now)


def step_at(now=None):
    """The 30-second step number for `now` (datetime, POSIX seconds or None
    for the current time)."""
    return int(_timestamp(now) // STEP_SECONDS)


def _matching_step(secret, code, now, after_step):
    code = normalise_code(code)
    if code is None or not secret:
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = step_at(now)
    for step in (current, current - 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(secret, code, now=None):
    """True when `code` is the code of the current or the previous step.
    Prefer `verify_once` for logging in."""
    return _matching_step(secret, code, now, None) is not None


def verify_once(secret, code, last_used_step, now=None):
    """(ok, step): ok when `code` matches the current or previous step and
    that step is later than `last_used_step` (None when no code has been
    used yet). Store the returned step as the new `last_used_step` when ok;
    when not ok the returned step is `last_used_step` unchanged."""
    step = _matching_step(secret, code, now, last_used_step)
    if step is None:
        return False, last_used_step
    return True, step


def required_for(types, user):
    """Whether one of the user's global roles is marked `require_totp: true`
    in roles.yaml (`types` is the TypeRegistry)."""
    return any(
        types.roles.get(role, {}).get('require_totp') for role in types.global_roles(user.roles)
    )
