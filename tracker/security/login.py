"""One login check for the HTML form and the API: throttling and lockout,
argon2 password, optional TOTP second factor. Pyramid-free."""

from . import throttle, totp
from .passwords import verify_password

OK, FAILED, LOCKED, TOTP_NOT_ENROLLED = 'ok', 'failed', 'locked', 'totp_not_enrolled'


def check_login(site, types, login, password, address, code, now, ring):
    """(user or None, outcome). A locked account or address is refused
    before the password is checked; a missing or wrong TOTP code fails
    exactly like a wrong password, so a failure never tells which part
    was wrong."""
    if not isinstance(login, str) or not isinstance(password, str):
        login, password = '', ''
    if throttle.check(site.login_failures, login, address, now):
        return None, LOCKED
    user = site.users.get(login)
    # verify even for unknown logins: the same time either way
    ok = verify_password(user.password_hash if user else None, password) and user.active
    if ok and user.totp_secret:
        secret = ring.open(user.totp_secret, f'user:{user.login}/totp'.encode())
        ok, step = totp.verify_once(
            secret, code if isinstance(code, str) else '', user.totp_last_step, now
        )
        if ok:
            user.totp_last_step = step
    if not ok:
        throttle.record_failure(site.login_failures, login, address, now)
        return None, FAILED
    throttle.record_success(site.login_failures, login, now)
    if totp.required_for(types, user) and not user.totp_secret:
        return None, TOTP_NOT_ENROLLED
    return user, OK
