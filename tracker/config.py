"""Application wiring: the type registry, the database bootstrap, sessions,
security, CSRF and i18n. Everything here runs once at start-up."""

import logging
import os
import random
import secrets
import threading
import time
from pathlib import Path

import deform
from pyramid.config import Configurator
from pyramid.i18n import get_localizer
from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool
from pyramid.threadlocal import get_current_request
from pyramid_zodbconn import get_connection

from .audit import Recorder
from .bootstrap import ensure_site, get_site
from .clock import Clock
from .crypto import KeyRing
from .registration import extensions
from .security.policy import SecurityPolicy, csrf_applies
from .services import Services
from .storage import AUDIT
from .types import load_registry

log = logging.getLogger(__name__)

DEFAULT_SCHEMAS = Path(__file__).resolve().parent.parent / 'schemas'
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / 'docs_templates'


def signing_key_path(settings):
    """`tracker.signing_key_file`, or signing-key.pem beside the key ring."""
    path = settings.get('tracker.signing_key_file')
    if path:
        return Path(path)
    return Path(settings['tracker.keyring_file']).parent / 'signing-key.pem'


def read_secret(settings):
    """The session-signing secret: from the settings, or from a file that is
    created (mode 0600) on first use."""
    if settings.get('tracker.secret'):
        return settings['tracker.secret']
    path = settings.get('tracker.secret_file')
    if not path:
        raise ValueError('Set tracker.secret_file (or tracker.secret) in the ini file.')
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(secrets.token_urlsafe(48))
    if path.stat().st_mode & 0o077:
        raise ValueError(
            f'{path}: the session secret must be readable by its owner only '
            f'(chmod 600 {path}); with it anyone can forge a login.'
        )
    return path.read_text().strip()


def load_key_ring(settings):
    """The key ring named by `tracker.keyring_file` (created by `tracker
    init`); a missing or wrong file stops start-up with a clear message."""
    path = settings.get('tracker.keyring_file')
    if not path:
        raise ValueError('Set tracker.keyring_file in the ini file (created by `tracker init`).')
    return KeyRing.load(path)


LOCALES = ('da', 'en')


def locale_negotiator(request):
    """Danish unless the user chose English: only the two languages we
    have, so no request can make the app build caches for made-up ones."""
    chosen = request.params.get('_LOCALE_') or request.cookies.get('_LOCALE_')
    return (
        chosen
        if chosen in LOCALES
        else request.registry.settings.get('pyramid.default_locale_name', 'da')
    )


def schema_directory(settings):
    return settings.get('tracker.schemas') or DEFAULT_SCHEMAS


def load_types(directory, includes=''):
    """The type registry as the application builds it, for code that runs
    without the application (the CLI, tools, tests): the same
    registrations (`tracker.registration`, plus the `tracker.includes`
    packages), committed, then the schemas loaded and checked."""
    config = Configurator(settings={'tracker.includes': includes})
    config.include('tracker.registration')
    config.commit()
    return load_registry(directory, extensions(config.registry))


_swap = threading.Lock()


def current_types(registry, site):
    """The type registry for the site's choices: when an administrator added
    a choice (here or in another process), a registry derived for that
    version replaces the shared one — swapped whole, never changed in
    place, so a request already holding the old one is not disturbed."""
    types = registry.tracker_types
    version = getattr(site, 'choices_version', 0)
    if version > types.choices_version:
        with _swap:
            types = registry.tracker_types
            if version > types.choices_version:  # not done meanwhile by another thread
                types = types.with_extra_choices(dict(site.extra_choices), version)
                registry.tracker_types = types
    return types


def root_factory(request):
    site = get_site(get_connection(request))
    current_types(request.registry, site)
    return site


def _services(request):
    user = request.identity
    actor = user.login if user else None
    ring = request.registry.tracker_keyring
    audit = Recorder(get_connection(request, AUDIT), ring, actor, request.remote_addr)
    return Services(
        request.root,
        request.types,
        actor,
        lambda permission, context: bool(request.has_permission(permission, context)),
        audit=audit,
        locale=request.locale_name,
        clock=request.registry.tracker_clock,
        ring=ring,
        letters=request.registry.tracker_letters,
        signer=request.registry.tracker_signer,
    )


ATTEMPT_STARTED = 'tracker.attempt_started'  # environ key: when the current attempt began
MIN_SLOT = 0.025  # seconds: the back-off unit when an attempt was quicker than this
MAX_BACK_OFF = 5.0  # seconds: never wait longer than this before a retry


def _mark_attempt(event):
    """Note when this attempt began (pyramid_retry makes a new request per
    attempt over the same environ), so a retry can back off in its units."""
    event.request.environ[ATTEMPT_STARTED] = time.monotonic()


def back_off_bound(failures, took):
    """The longest wait after the `failures`-th failed attempt, which took
    `took` seconds: exponential back-off counted in attempt durations. Requests
    that conflicted on the same object (a case-number counter) collide again
    unless their retries spread over several attempt lengths - and an attempt
    on a busy machine is much longer than on an idle one."""
    return min(MAX_BACK_OFF, max(MIN_SLOT, took) * 2 ** min(failures, 5))


def _back_off(event):
    """Wait a random moment, up to back_off_bound, before a retry."""
    failures = event.environ.get('retry.attempt', 0) + 1  # pyramid_retry counts from 0
    started = event.environ.get(ATTEMPT_STARTED)
    took = time.monotonic() - started if started is not None else 0.0
    time.sleep(random.uniform(0, back_off_bound(failures, took)))


def _deform_translator(term):
    request = get_current_request()
    return get_localizer(request).translate(term) if request is not None else term


def includeme(config):
    settings = config.registry.settings
    # Before the commit below: pyramid_chameleon registers its translator
    # late in the commit that also holds the translation directories.
    settings.setdefault('pyramid.default_locale_name', 'da')
    config.set_locale_negotiator(locale_negotiator)
    config.add_translation_dirs('colander:locale', 'deform:locale', 'tracker:locale')
    from .i18n import request_localizer

    config.add_request_method(request_localizer, 'localizer', reify=True)
    deform.Form.set_zpt_renderer(
        [
            str(Path(__file__).parent / 'templates' / 'deform'),
            str(Path(deform.__file__).parent / 'templates'),
        ],
        translator=_deform_translator,
    )

    # Field kinds, rules, guards, letter contexts: committed (a duplicate
    # name stops here, naming both places) before the schemas that use them.
    config.include('tracker.registration')
    config.commit()
    types = load_registry(schema_directory(settings), extensions(config.registry))
    config.registry.tracker_types = types
    # the one clock (UTC now, Copenhagen today); tests install one they move
    config.registry.tracker_clock = Clock()

    # pyramid_zodbconn opened the database in its includeme; this is the
    # only handle it offers outside a request.
    if AUDIT not in config.registry._zodb_databases:
        raise ValueError('Set zodbconn.uri.audit: the audit log lives in its own database.')
    db = config.registry._zodb_databases['']
    try:
        ring = config.registry.tracker_keyring = load_key_ring(settings)
        from .letters import load_manifest
        from .letters.signing import Signer

        config.registry.tracker_letters = load_manifest(
            settings.get('tracker.templates') or DEFAULT_TEMPLATES, types
        )
        signer = config.registry.tracker_signer = Signer.load_or_create(signing_key_path(settings))
        ensure_site(db, types, ring, signer=signer)
    except Exception:
        # Do not keep the storage locked by an application that won't start.
        for database in config.registry._zodb_databases.values():
            database.close()
        raise
    config.add_subscriber(_mark_attempt, 'pyramid.interfaces.INewRequest')
    config.add_subscriber(_back_off, 'pyramid_retry.IBeforeRetry')
    config.set_root_factory(root_factory)

    timeout = int(settings.get('tracker.session_timeout', 1800))
    config.set_session_factory(
        SignedCookieSessionFactory(
            read_secret(settings),
            cookie_name='tracker_session',
            timeout=timeout,
            reissue_time=min(60, timeout // 10),
            httponly=True,
            samesite='Lax',
            secure=asbool(settings.get('tracker.secure_cookies', False)),
        )
    )
    config.set_security_policy(SecurityPolicy(types, timeout))
    config.set_default_csrf_options(require_csrf=True, callback=csrf_applies)
    config.add_request_method(_services, 'services', reify=True)
    config.add_request_method(lambda r: r.registry.tracker_types, 'types', reify=True)

    config.add_static_view('static', 'tracker:static', cache_max_age=86400)
