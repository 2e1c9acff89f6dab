"""Create or upgrade the site in a database: the root object, the catalog
(adding indexes that schemas declared since the last start) and the main
folders. Runs at start-up and from `tracker init`."""

import transaction

from .audit import Recorder, get_log
from .crypto import KeyRingError
from .crypto.aad import key_check_aad
from .model import Site
from .services import Services
from .storage import AUDIT

ROOT_KEY = 'tracker'
# The sections every site has: id, Danish title.
SECTIONS = (
    ('sager', 'Sager'),
    ('berigtigelser', 'Berigtigelser'),
    ('modtagere', 'Modtagere'),
    ('rapporter', 'Rapporter'),
)


def _system_can(permission, context):
    return True


KEY_CHECK_TEXT = 'Denne værdi viser, at nøglefilen passer til databasen.'


def check_key_ring(site, ring):
    """Refuse to start with a key file that does not belong to this
    database, before anything is written with it."""
    try:
        if ring.open(site.key_check, key_check_aad()) != KEY_CHECK_TEXT:
            raise KeyRingError('Nøglekontrollen passer ikke.')
    except KeyRingError as e:
        raise KeyRingError(
            f'Nøglefilen {ring.path} passer ikke til databasen: {e} '
            'Start med den rigtige nøglefil; intet er ændret.'
        ) from None


def ensure_site(db, types, ring, title='Borgerrådgiverens tracker', signer=None):
    """Idempotent; returns True when a new site was created. Records the
    signing key's public half, so documents it signs verify for ever."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            root = conn.root()
            created = ROOT_KEY not in root
            if created:  # the root object itself is where the services start
                root[ROOT_KEY] = Site({'title': title})
            site = root[ROOT_KEY]
            if not created:
                check_key_ring(site, ring)  # before anything is written with it
            audit_conn = conn.get_connection(AUDIT)
            get_log(audit_conn)  # created with the site, not by two first writers at once
            services = Services(
                site,
                types,
                'system',
                _system_can,
                ring=ring,
                audit=Recorder(audit_conn, ring, 'system'),
            )
            services.admin.set_up_site(
                SECTIONS, signer=signer, key_check=KEY_CHECK_TEXT if created else None
            )
        return created
    finally:
        conn.close()


def get_site(conn):
    return conn.root()[ROOT_KEY]


def get_audit_log(conn):
    return get_log(conn.get_connection(AUDIT))
