"""Ended browser sessions. The session itself lives in a signed cookie; a
copy of that cookie would stay valid after logout, so logout records the
session id as ended until the session could have expired anyway."""

import secrets
from datetime import timedelta


def new_id():
    return secrets.token_urlsafe(16)


def has_ended(site, sid):
    return not sid or sid in site.ended_sessions


def end(site, sid, now, timeout_seconds):
    ended = site.ended_sessions
    ended[sid] = now + timedelta(seconds=timeout_seconds)
    # forget entries whose sessions have expired by now (a few per logout)
    for old, until in list(ended.items(max=None))[:50]:
        if until < now:
            del ended[old]
