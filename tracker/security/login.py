"""The outcomes of a login check (HTML form and API alike). The check
itself, with its throttling, argon2 password and optional TOTP second
factor, is `AccountService.login` in tracker.services.accounts: it writes
(failure counts, the last TOTP step, the audit log)."""

OK, FAILED, LOCKED, TOTP_NOT_ENROLLED = 'ok', 'failed', 'locked', 'totp_not_enrolled'
