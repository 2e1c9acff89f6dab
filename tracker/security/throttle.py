"""Login throttling and temporary lockout.

Pure functions over a persistent mapping (an ``OOBTree`` kept on the site,
``site.login_failures``), so every process sharing the database sees the
same counts. Nothing here imports Pyramid.

Policy (sliding window):

- per account: ``ACCOUNT_LIMIT`` failures within ``WINDOW`` lock the login
  for ``LOCKOUT``;
- per client address: ``ADDRESS_LIMIT`` failures within ``WINDOW`` lock the
  address for ``LOCKOUT``;
- a successful login clears the account's entry, never the address's;
- failures older than ``WINDOW`` no longer count; an expired lock starts a
  new count.

Keys are ``'account:<login>'`` and ``'address:<address>'`` (a very long login
is keyed by its SHA-256 instead); the password never reaches this module.
Values are immutable tuples ``(locked_until_or_None, (failure times...))``,
so a change is always a new value assigned to the mapping (which the BTree
persists) and never an in-place mutation.

While ``check`` returns a time, the caller must refuse the login *without
verifying the password*, and show the wrong-password message plus "try
again later" (``LOCKED_MESSAGE_DA``). Failures arriving while a key is
locked do not extend the lock.

Times are ``datetime`` objects; use the same kind (timezone-aware UTC, as
``Services.clock`` gives) for every call.
"""

import hashlib
from datetime import timedelta

__all__ = [
    'ACCOUNT_LIMIT',
    'ADDRESS_LIMIT',
    'WINDOW',
    'LOCKOUT',
    'LOCKED_MESSAGE_DA',
    'account_key',
    'address_key',
    'check',
    'record_failure',
    'record_success',
    'prune',
    'clear_account',
]

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)

LOCKED_MESSAGE_DA = 'Forkert brugernavn eller adgangskode. Prøv igen senere.'

_MAX_KEY_PART = 200


def _part(value):
    if not isinstance(value, str):
        value = ''
    if len(value) > _MAX_KEY_PART:
        return 'sha256:' + hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()
    return value


def account_key(login):
    return 'account:' + _part(login)


def address_key(address):
    """None when there is no usable address (then only the account counts)."""
    if not isinstance(address, str) or not address:
        return None
    return 'address:' + _part(address)


def _locked_until(entry, now):
    if entry is None:
        return None
    locked_until, _times = entry
    if locked_until is not None and locked_until > now:
        return locked_until
    return None


def _keys(login, address):
    keys = [(account_key(login), ACCOUNT_LIMIT)]
    akey = address_key(address)
    if akey is not None:
        keys.append((akey, ADDRESS_LIMIT))
    return keys


def check(failures, login, address, now):
    """None when a login attempt may proceed, else the time (datetime) until
    which the account or the address is locked (the later of the two)."""
    until = None
    for key, _limit in _keys(login, address):
        locked = _locked_until(failures.get(key), now)
        if locked is not None and (until is None or locked > until):
            until = locked
    return until


def _fail(entry, limit, now):
    """The new entry after one more failure at `now`."""
    if _locked_until(entry, now) is not None:
        return entry  # still locked: a failure does not extend the lock
    times = () if entry is None else entry[1]
    # An expired lock starts a new count; otherwise keep the failures
    # that are still inside the window.
    if entry is not None and entry[0] is not None:
        times = ()
    times = tuple(t for t in times if now - t < WINDOW) + (now,)
    if len(times) >= limit:
        return (now + LOCKOUT, ())
    return (None, times)


def record_failure(failures, login, address, now):
    """Count a failed attempt against the login and the address. Returns
    the time the attempt's account or address is now locked until, or
    None. Call it for unknown logins too (so a lockout does not reveal
    which logins exist)."""
    for key, limit in _keys(login, address):
        entry = failures.get(key)
        new = _fail(entry, limit, now)
        if new != entry:
            failures[key] = new
    return check(failures, login, address, now)


def record_success(failures, login, now):
    """A successful login clears the account's count (the address's stays).
    Writes only when there is something to clear, so an ordinary login does
    not touch the database. Do not call it while the account is locked:
    the caller must not have verified a password then."""
    key = account_key(login)
    if key in failures:
        del failures[key]


def clear_account(failures, login):
    """Lift an account's lock (an administrator resetting the password)."""
    failures.pop(account_key(login), None)


def _stale(entry, now):
    locked_until, times = entry
    if locked_until is not None and locked_until > now:
        return False
    if locked_until is not None:
        return True  # the lock has expired: the next failure starts anew
    return all(now - t >= WINDOW for t in times)


def prune(failures, now):
    """Remove the entries that no longer affect anything (expired locks,
    failures all outside the window). Returns how many were removed."""
    stale = [key for key, entry in failures.items() if _stale(entry, now)]
    for key in stale:
        del failures[key]
    return len(stale)
