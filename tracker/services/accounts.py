"""Accounts: users, passwords, logins with throttling and the TOTP second
factor, API and feed tokens, ended sessions. The pure rules live in
tracker.security (passwords, throttle, totp, tokens, sessions); every write
they imply is made here."""

import secrets

from translationstring import TranslationStringFactory

from ..crypto.aad import totp_aad
from ..model import User
from ..security import password_policy, passwords, sessions, throttle, tokens, totp
from ..security.login import FAILED, LOCKED, OK, TOTP_NOT_ENROLLED
from .base import Service
from .errors import KeptFailure, NotAllowed, NotFound, ValidationFailed

_ = TranslationStringFactory('tracker')

# Actors the audit log uses for itself: no person may take these names.
RESERVED_LOGINS = {'system', 'unknown', 'cli', 'anonymous', 'test-setup'}


class AccountService(Service):
    """Users and how they prove who they are."""

    def add_user(self, login, password, roles, fullname=''):
        self.core.require('manage', self.core.site)
        errors = {}
        if (
            not isinstance(login, str)
            or not login.replace('.', '').replace('-', '').replace('_', '').isalnum()
        ):
            errors['login'] = 'Use letters, digits, dot, dash or underscore'
        elif login.lower() in RESERVED_LOGINS:
            errors['login'] = 'Reserved for the audit log'
        elif login in self.core.site.users:
            errors['login'] = 'The login is taken'
        unknown = [r for r in roles if r not in self.core.types.roles]
        if not roles or unknown:
            errors['roles'] = f'Unknown roles: {unknown}' if unknown else 'Give at least one role'
        problems = password_policy.check_new_password(password or '', login or '')
        if problems:
            errors['password'] = ' '.join(problems)
        if errors:
            raise ValidationFailed(_('invalid-user', default='The user cannot be created.'), errors)
        user = User(login, passwords.hash_password(password), roles, fullname)
        user.created = self.core.now()
        self.core.site.users[login] = user
        self.core.record('user_add', None, login=login, roles=list(roles))
        return user

    def _set_password(self, user, new):
        problems = password_policy.check_new_password(
            new if isinstance(new, str) else '', user.login
        )
        if problems:
            raise ValidationFailed(
                _('invalid-password', default='The password is not accepted.'),
                {'new_password': ' '.join(problems)},
            )
        user.password_hash = passwords.hash_password(new)
        user.password_changed = self.core.now()
        user.feed_token_digest = None  # the calendar feed's token ends with the password
        for digest, (login, _expires) in list(self.core.site.tokens.items()):
            if login == user.login:  # every token of the old password ends
                del self.core.site.tokens[digest]

    def change_password(self, login, old, new):
        """A user changes their own password (the old one is required)."""
        user = self.core.site.users.get(login)
        if user is None or login != self.core.actor:
            raise NotAllowed(_('not-allowed', default='You may not do this here.'))
        now = self.core.now()
        failures = self.core.site.login_failures
        if throttle.check(failures, login, '', now):
            raise NotAllowed(_('login-locked', default='Wrong login or password. Try again later.'))
        if not passwords.verify_password(user.password_hash, old if isinstance(old, str) else ''):
            # guessing the current password with a stolen session counts
            # towards the same lockout as guessing at the login
            throttle.record_failure(failures, login, '', now)
            self.core.record('password_change_failed', None, login=login)
            raise KeptFailure(
                _('wrong-password', default='The current password is wrong.'),
                {'old_password': 'Wrong password'},
            )
        self._set_password(user, new)
        self.core.record('password_change', None, login=login)

    def reset_password(self, login, new):
        """An administrator sets a new password and lifts a lockout."""
        self.core.require('manage', self.core.site)
        user = self.core.site.users.get(login)
        if user is None:
            raise NotFound(_('unknown-user', default='Unknown user.'))
        self._set_password(user, new)
        throttle.clear_account(self.core.site.login_failures, login)
        self.core.record('password_reset', None, login=login)

    def enrol_totp(self, login, secret):
        """Require a TOTP code at every login of `login` from now on. The
        secret is sealed: with it anyone could make the codes."""
        self.core.require('manage', self.core.site)
        user = self.core.site.users.get(login)
        if user is None:
            raise NotFound(_('unknown-user', default='Unknown user.'))
        user.totp_secret = self.core.sealer.require_ring().seal(secret, totp_aad(login))
        user.totp_last_step = None
        self.core.record('totp_enrol', None, login=login)

    def issue_feed_token(self):
        """A personal, read-only token for the deadlines calendar feed
        (Outlook cannot send a bearer header); a new one ends the old."""
        user = self.core.site.users.get(self.core.actor)
        if user is None:
            raise NotAllowed(_('not-allowed', default='You may not do this here.'))
        token = secrets.token_urlsafe(32)
        user.feed_token_digest = tokens.digest(token)
        self.core.record('feed_token', None, login=user.login)
        return token

    def issue_token(self, login, lifetime_seconds):
        return tokens.issue(self.core.site, login, self.core.now(), lifetime_seconds)

    def revoke_token(self, token):
        revoked = tokens.revoke(self.core.site, token)
        if revoked:
            self.core.record('logout', None, method='token')
        return revoked

    def login(self, login, password, address, code):
        """(user or None, outcome) for a login attempt, left in the audit
        log. A locked account or address is refused before the password is
        checked; a missing or wrong TOTP code fails exactly like a wrong
        password, so a failure never tells which part was wrong."""
        site, now = self.core.site, self.core.now()
        if not isinstance(login, str) or not isinstance(password, str):
            login, password = '', ''
        user, outcome = None, FAILED
        if throttle.check(site.login_failures, login, address, now):
            outcome = LOCKED
        else:
            user = site.users.get(login)
            # verify even for unknown logins: the same time either way
            ok = passwords.verify_password(user.password_hash if user else None, password) and (
                user.active
            )
            if ok and user.totp_secret:
                secret = self.core.sealer.require_ring().open(
                    user.totp_secret, totp_aad(user.login)
                )
                ok, step = totp.verify_once(
                    secret, code if isinstance(code, str) else '', user.totp_last_step, now
                )
                if ok:
                    user.totp_last_step = step
            if not ok:
                throttle.record_failure(site.login_failures, login, address, now)
                user = None
            else:
                throttle.record_success(site.login_failures, login, now)
                outcome = OK
                if totp.required_for(self.core.types, user) and not user.totp_secret:
                    user, outcome = None, TOTP_NOT_ENROLLED
        known = login if login in site.users else None
        # a failed attempt is not the account owner's act: no actor, the login named
        recorder = self.core.audit.for_actor(known if outcome == OK else None)
        if outcome == OK:
            recorder.record('login', None)
        else:
            recorder.record('login_failed', None, reason=outcome, login=known or 'unknown')
        return user, outcome

    def log_out(self, method='session'):
        """Leave the logout in the audit log."""
        self.core.record('logout', None, method=method)

    def end_session(self, sid, timeout_seconds):
        """A browser session ends at logout: its id is remembered as ended
        until the session would have expired anyway."""
        sessions.end(self.core.site, sid, self.core.now(), timeout_seconds)
