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
