"""Principals. Passwords are stored only as argon2 hashes."""
from persistent import Persistent


class User(Persistent):
    def __init__(self, login, password_hash, roles=(), fullname=''):
        self.login = login
        self.password_hash = password_hash
        self.roles = tuple(roles)
        self.fullname = fullname
        self.active = True
        self.created = None
