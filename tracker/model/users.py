"""Principals. Passwords are stored only as argon2 hashes."""

from persistent import Persistent


class User(Persistent):
    totp_secret = None  # TOTP second factor, when enrolled
    totp_last_step = None  # the last accepted TOTP step (no replay)
    password_changed = None  # sessions from before this are ended
    feed_token_digest = None  # the deadlines calendar feed's token (SHA-256), when issued

    def __init__(self, login, password_hash, roles=(), fullname=''):
        self.login = login
        self.password_hash = password_hash
        self.roles = tuple(roles)
        self.fullname = fullname
        self.active = True
        self.created = None
