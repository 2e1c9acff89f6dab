"""What every benchmark needs: the project on the path and settings for a
throw-away app (its own key file, an in-memory audit database)."""

import os
import sys
import tempfile
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _keyring():
    from tracker.crypto import KeyRing

    path = os.path.join(tempfile.mkdtemp(prefix='tracker-bench-keys-'), 'keyring.json')
    KeyRing.create(path)
    return path


KEYRING = _keyring()


def settings(uri, **extra):
    return dict(
        {
            'zodbconn.uri': uri,
            'zodbconn.uri.audit': 'memory://',
            'tracker.secret': 'bench' * 10,
            'tracker.keyring_file': KEYRING,
            'tm.manager_hook': 'pyramid_tm.explicit_manager',
            'tm.commit_veto': 'pyramid_tm.default_commit_veto',
            'retry.attempts': '3',
        },
        **extra,
    )


def services_for(conn, types, ring, **extra):
    """Services for a bench's set-up, acting as the audited actor 'bench'
    with every permission (the bench measures, it does not test access)."""
    from tracker.audit import Recorder
    from tracker.bootstrap import get_site
    from tracker.services import Services

    return Services(
        get_site(conn),
        types,
        'bench',
        lambda p, c: True,
        ring=ring,
        audit=Recorder(conn.get_connection('audit'), ring, 'bench'),
        **extra,
    )


def app_services(conn, wsgi, **extra):
    """services_for with the app's types, key ring, letters and signer."""
    registry = wsgi.registry
    return services_for(
        conn,
        registry.tracker_types,
        registry.tracker_keyring,
        letters=registry.tracker_letters,
        signer=registry.tracker_signer,
        **extra,
    )
