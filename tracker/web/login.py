"""A login attempt, checked and left in the audit log: the same for the
login form and `@login`."""

from pyramid.i18n import TranslationStringFactory

from ..security import login as login_check

_ = TranslationStringFactory('tracker')


MESSAGES = {
    login_check.FAILED: _('login-failed', default='Wrong login or password.'),
    login_check.LOCKED: _('login-locked', default='Wrong login or password. Try again later.'),
    login_check.TOTP_NOT_ENROLLED: _(
        'login-totp-required',
        default='Your role requires a second factor (TOTP). Ask an administrator to set it up.',
    ),
}


def attempt_login(request, login, password, code):
    """Check a login and leave it in the audit log. Returns (user, outcome);
    a failure is committed although the answer is an error, so the lockout
    counts and the trail hold."""
    user, outcome = request.services.accounts.login(
        login, password, request.remote_addr or '', code
    )
    if outcome != login_check.OK:
        request.response.headers['X-Tm'] = 'commit'  # pyramid_tm: keep the record
    return user, outcome


def failure_status(outcome):
    return (
        429
        if outcome == login_check.LOCKED
        else (403 if outcome == login_check.TOTP_NOT_ENROLLED else 400)
    )
