"""The `tracker` command: init, user add, search.

Everything it changes goes through the services, like the web does.
"""

import argparse
import getpass
import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path

import transaction
from pyramid.paster import get_appsettings, setup_logging  # noqa: E402

from .audit import Recorder
from .bootstrap import ensure_site, get_site
from .catalog import SearchError, search
from .config import load_key_ring, load_types, read_secret, schema_directory
from .crypto import KeyRing, KeyRingError
from .model.numbering import number_text
from .services import ServiceError, Services, system_can
from .storage import AUDIT, close_databases, open_databases


class CommandError(Exception):
    pass


def _settings(args):
    if not Path(args.config).exists():
        raise CommandError(f'{args.config}: no such settings file')
    setup_logging(args.config)
    return get_appsettings(args.config)


def _types(settings):
    """The type registry, through the same registrations as the web app."""
    return load_types(schema_directory(settings), settings.get('tracker.includes', ''))


def _open(settings):
    """(db, types, key ring) for a command; the key ring must exist."""
    ring = load_key_ring(settings)
    types = _types(settings)
    uri = settings['zodbconn.uri']
    if uri.startswith('file://'):
        path = Path(uri[len('file://') :].split('?', 1)[0])
        path.parent.mkdir(parents=True, exist_ok=True)
        for part in uri.split('?', 1)[1:]:
            for pair in part.split('&'):
                if pair.startswith('blobstorage_dir='):
                    Path(pair.split('=', 1)[1]).mkdir(parents=True, exist_ok=True)
    try:
        db = open_databases(settings)
    except Exception as e:  # a locked FileStorage is the usual cause
        raise CommandError(
            f'cannot open the database ({e.__class__.__name__}: {e}). Is the server running?'
        ) from None
    return db, types, ring


@contextmanager
def _database(args):
    """(db, types, key ring) for a command, closed afterwards."""
    db, types, ring = _open(_settings(args))
    try:
        yield db, types, ring
    finally:
        close_databases(db)


def _read_password(path, prompt_twice=True):
    if path:
        password = Path(path).read_text(encoding='utf-8').strip()
        if not password:
            raise CommandError(f'{path} is empty')
        return password
    if not sys.stdin.isatty():
        raise CommandError('no terminal to ask for a password: use --password-file')
    password = getpass.getpass('Adgangskode: ')
    if prompt_twice and getpass.getpass('Gentag adgangskode: ') != password:
        raise CommandError('the passwords differ')
    return password


def _write_private(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(text + '\n')


def _recorder(site, ring, actor):
    return Recorder(site._p_jar.get_connection(AUDIT), ring, actor)


def _operator():
    """Who ran a command, for the audit log."""
    import getpass as _getpass

    try:
        return f'cli:{_getpass.getuser()}'
    except Exception:  # no user name in this environment
        return 'cli'


def _system_services(site, types, ring, actor=None):
    actor = actor or _operator()
    return Services(
        site,
        types,
        actor,
        lambda permission, context: True,
        ring=ring,
        audit=_recorder(site, ring, actor),
    )


def cmd_init(args):
    settings = _settings(args)
    read_secret(settings)
    keyring_path = settings.get('tracker.keyring_file')
    if keyring_path and not Path(keyring_path).exists():
        Path(keyring_path).parent.mkdir(parents=True, exist_ok=True)
        KeyRing.create(keyring_path)
        print(f'Key file created: {keyring_path} (mode 0600). Back it up apart from the database.')
    with _database(args) as (db, types, ring):
        ensure_site(db, types, ring)
        with db.transaction() as conn:
            site = get_site(conn)
            if len(site.users):
                print('The database already has users; no admin created.')
            else:
                generated = not args.admin_password_file
                password = (
                    secrets.token_urlsafe(12)
                    if generated
                    else _read_password(args.admin_password_file)
                )
                _system_services(site, types, ring).accounts.add_user(
                    args.admin_login, password, ['admin'], 'Administrator'
                )
                if generated:
                    print(f'Admin login: {args.admin_login}')
                    print(f'Admin password: {password}')
                    if args.write_password_file:
                        _write_private(args.write_password_file, password)
            if args.demo:
                from .demo import load_demo

                folder = site['sager']
                if len(folder):
                    print('The case folder is not empty; demo data not loaded.')
                else:
                    admin = site.users[args.admin_login]
                    services = Services(
                        site,
                        types,
                        admin.login,
                        system_can(types, admin),
                        ring=ring,
                        audit=_recorder(site, ring, admin.login),
                    )
                    cases = load_demo(services, folder)
                    print(f'Demo data: {len(cases)} cases loaded.')


def cmd_user_add(args):
    with _database(args) as (db, types, ring):
        password = _read_password(args.password_file)
        with db.transaction() as conn:
            _system_services(get_site(conn), types, ring).accounts.add_user(
                args.login, password, args.role, args.fullname or ''
            )
        print(f'User {args.login} added with roles: {", ".join(args.role)}')


def cmd_search(args):
    with _database(args) as (db, types, ring):
        with db.transaction() as conn:
            site = get_site(conn)
            filters = {}
            if args.type:
                filters['type_name'] = args.type
            if args.state:
                filters['review_state'] = args.state
            total, items = search(
                site,
                types,
                filters,
                args.text or None,
                ring=ring,
                sort_on='sequence' if not args.text else None,
                reverse=True,
                size=args.limit,
            )
            for obj in items:
                number = number_text(obj, types) or '-'
                print(f'{number}\t{obj.review_state or "-"}\t{obj.title}')
            print(f'{total} found' + (f', {len(items)} shown' if total > len(items) else ''))
            transaction.abort()


def reseal_all(db, types, ring, batch=500):
    """Re-encrypt every protected value still under an older key, one batch
    per transaction, so an interrupted run loses nothing and can be re-run."""
    done = 0
    with db.transaction() as conn:
        docids = list(get_site(conn).docmap.docid_to_path.keys())
    for start in range(0, len(docids), batch):
        with db.transaction() as conn:
            site = get_site(conn)
            services = _system_services(site, types, ring)
            from .catalog.indexing import resolve_path

            for docid in docids[start : start + batch]:
                obj = resolve_path(site, site.docmap.path(docid) or '')
                if obj is not None and services.admin.reseal(obj):
                    done += 1
    return done


def cmd_keys_rotate(args):
    with _database(args) as (db, types, ring):
        if not args.resume:
            new_id = ring.rotate()
            print(f'New key {new_id} is now current; older keys stay for reading.')
        count = reseal_all(db, types, ring)
        with db.transaction() as conn:
            _system_services(get_site(conn), types, ring).admin.record_key_rotation(
                ring.current_id, count, bool(args.resume)
            )
        print(f'{count} objects re-encrypted under {ring.current_id}.')


def cmd_audit_verify(args):
    from .audit import verify
    from .bootstrap import get_audit_log

    with _database(args) as (db, types, ring):
        with db.transaction() as conn:
            result = verify(get_audit_log(conn), ring.audit_mac)
            transaction.abort()
    if result.ok:
        print(f'The audit log is intact: {result.checked} entries verified.')
        return
    raise CommandError(
        f'the audit log is BROKEN at entry {result.first_bad_seq}: {result.reason} '
        f'({result.checked} entries before it verified)'
    )


def _iso_day(value, name):
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat() + 'T00:00:00+00:00' if value else None
    except ValueError:
        raise CommandError(f'--{name}: write the date as YYYY-MM-DD') from None


def cmd_audit_export(args):
    from .audit import export
    from .bootstrap import get_audit_log

    start, end = _iso_day(args.start, 'from'), _iso_day(args.end, 'to')
    with _database(args) as (db, types, ring):
        with db.transaction() as conn:
            entries = list(get_audit_log(conn).between(start, end))
            text = export(entries, args.format)
            # the export itself is an event the trail must show
            _system_services(get_site(conn), types, ring).admin.record_audit_export(
                len(entries), args.start or '', args.end or '', args.format
            )
    if args.output:
        _write_private(args.output, text.rstrip('\n'))
        print(f'{len(entries)} entries written to {args.output}')
    else:
        sys.stdout.write(text)


def cmd_user_passwd(args):
    with _database(args) as (db, types, ring):
        password = _read_password(args.password_file)
        with db.transaction() as conn:
            _system_services(get_site(conn), types, ring).accounts.reset_password(
                args.login, password
            )
        print(f'New password set for {args.login}; its sessions and tokens have ended.')


def cmd_user_totp(args):
    from .security import totp

    with _database(args) as (db, types, ring):
        secret = totp.new_secret()
        with db.transaction() as conn:
            _system_services(get_site(conn), types, ring).accounts.enrol_totp(args.login, secret)
        print('Scan this in the user\'s authenticator app (shown once):')
        print(totp.provisioning_uri(secret, args.login))


def cmd_verify(args):
    """Is FILE a genuine issued document? Exit 0 when it is, 1 when not."""
    from .letters.verify import verify_file

    data = Path(args.file).read_bytes()
    with _database(args) as (db, types, ring):
        with db.transaction() as conn:
            verdict = verify_file(get_site(conn), data)
    messages = {
        'genuine': f'Ægte: dokument {verdict.number}, version {verdict.version}, udstedt {verdict.issued_at}.',
        'changed': f'IKKE ægte: filen udgiver sig for at være {verdict.number}, men er ændret.',
        'bad_signature': f'IKKE ægte: signaturen på {verdict.number} kan ikke verificeres.',
        'unknown': 'IKKE et dokument udstedt af denne tracker.',
        'not_docx': 'IKKE et Word-dokument.',
    }
    print(messages[verdict.status])
    if verdict.superseded:
        print(f'Erstattet af version {verdict.latest}.')
    return 0 if verdict.genuine else 1


def cmd_templates_check(args):
    """Every merge field of every template must exist in its variables."""
    from .config import DEFAULT_TEMPLATES
    from .letters import load_manifest
    from .letters.check import check_all

    settings = _settings(args)
    types = _types(settings)
    manifest = load_manifest(settings.get('tracker.templates') or DEFAULT_TEMPLATES, types)
    problems = check_all(manifest, types)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f'{len(manifest.templates)} templates checked, {len(problems)} problems.')
    return 1 if problems else 0


def _group(sub, name, help):
    """A command with commands of its own (`tracker user add`)."""
    return sub.add_parser(name, help=help).add_subparsers(dest=f'{name}_command', required=True)


def _command(parent, func, name, **options):
    """A command that runs `func`; the caller adds its arguments."""
    parser = parent.add_parser(name, **options)
    parser.set_defaults(func=func)
    return parser


def build_parser():
    parser = argparse.ArgumentParser(prog='tracker', description='Citizen advisor tracker')
    parser.add_argument('-c', '--config', default='development.ini', help='settings file')
    sub = parser.add_subparsers(dest='command', required=True)

    p = _command(sub, cmd_init, 'init', help='create the database and an admin user')
    p.add_argument('--demo', action='store_true', help='load the demo cases')
    p.add_argument('--admin-login', default='admin')
    p.add_argument('--admin-password-file', help='read the admin password from this file')
    p.add_argument(
        '--write-password-file',
        help='also write a generated admin password to this file (mode 0600)',
    )

    user = _group(sub, 'user', 'manage users')
    p = _command(user, cmd_user_add, 'add', help='add a user')
    p.add_argument('login')
    p.add_argument(
        '--role',
        action='append',
        required=True,
        help='advisor, jurist, caseworker, auditor or admin (repeatable)',
    )
    p.add_argument('--password-file')
    p.add_argument('--fullname')

    p = _command(sub, cmd_verify, 'verify', help='is a Word file a genuine issued document?')
    p.add_argument('file')
    templates = _group(sub, 'templates', 'letter templates')
    _command(templates, cmd_templates_check, 'check', help='every merge field must exist')

    keys = _group(sub, 'keys', 'field-encryption keys')
    p = _command(
        keys, cmd_keys_rotate, 'rotate', help='add a new key and re-encrypt everything under it'
    )
    p.add_argument(
        '--resume',
        action='store_true',
        help='only finish re-encrypting after an interrupted rotation',
    )

    p = _command(
        user, cmd_user_passwd, 'passwd', help="set a user's password (admin reset; lifts a lockout)"
    )
    p.add_argument('login')
    p.add_argument('--password-file')
    p = _command(
        user, cmd_user_totp, 'totp', help='require a TOTP code at login; prints the enrolment URI'
    )
    p.add_argument('login')

    audit = _group(sub, 'audit', 'the audit log')
    _command(
        audit,
        cmd_audit_verify,
        'verify',
        help='check the hash chain; exits 1 at the first broken entry',
    )
    p = _command(
        audit, cmd_audit_export, 'export', help='write the entries of a period as CSV or JSON'
    )
    p.add_argument('--from', dest='start', help='first day (YYYY-MM-DD)')
    p.add_argument('--to', dest='end', help='day after the last (YYYY-MM-DD)')
    p.add_argument('--format', choices=('csv', 'json'), default='csv')
    p.add_argument('--output', help='file to write (mode 0600); default standard output')

    p = _command(sub, cmd_search, 'search', help='search the catalog')
    p.add_argument('text', nargs='?', help='full-text query')
    p.add_argument('--type')
    p.add_argument('--state')
    p.add_argument('--limit', type=int, default=50)
    return parser


def _translate(message):
    """Messages in Danish, like the web interface."""
    from .i18n import nested_localizer

    localizer = nested_localizer('da', [str(Path(__file__).parent / 'locale')])
    return localizer.translate(message)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        status = args.func(args)
    except OSError as e:
        print(f'tracker: {e.strerror}: {e.filename}', file=sys.stderr)
        return 2
    except CommandError as e:
        print(f'tracker: {e}', file=sys.stderr)
        return 1 if getattr(args, 'audit_command', None) == 'verify' else 2
    except (ServiceError, SearchError, KeyRingError) as e:
        message = _translate(getattr(e, 'message', str(e)))
        errors = getattr(e, 'errors', None)
        print(f'tracker: {message}', file=sys.stderr)
        for field, text in (errors or {}).items():
            print(f'  {field}: {text}', file=sys.stderr)
        return 2
    return status or 0


if __name__ == '__main__':
    sys.exit(main())
