"""API bearer tokens: random, stored only as their SHA-256, with an expiry,
so a stolen database copy does not yield usable tokens and logout can end
a token for real."""

import hashlib
import secrets
from datetime import timedelta


def digest(token):
    return hashlib.sha256(token.encode('ascii', 'replace')).hexdigest()


def issue(site, login, now, lifetime_seconds):
    _prune(site, now)
    token = secrets.token_urlsafe(32)
    site.tokens[digest(token)] = (login, now + timedelta(seconds=lifetime_seconds))
    return token


def lookup(site, token, now):
    """The login a live token belongs to, or None."""
    entry = site.tokens.get(digest(token))
    if entry is None:
        return None
    login, expires = entry
    if expires <= now:
        return None
    return login


def _prune(site, now, at_most=20):
    """Drop a few expired tokens at each login, so the table does not grow."""
    expired = [digest for digest, (_login, expires) in site.tokens.items() if expires <= now]
    for digest in expired[:at_most]:
        del site.tokens[digest]


def revoke(site, token):
    return site.tokens.pop(digest(token), None) is not None
