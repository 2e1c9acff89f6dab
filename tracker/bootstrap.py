"""Create or upgrade the site in a database: the root object, the catalog
(adding indexes that schemas declared since the last start) and the main
folders. Runs at start-up and from `tracker init`."""
import transaction

from .catalog import CatalogManager
from .model import Site
from .services import Services

ROOT_KEY = 'tracker'
# The sections every site has: id, Danish title.
SECTIONS = (('sager', 'Sager'),)


def _system_can(permission, context):
    return True


def ensure_site(db, types, title='Borgerrådgiverens tracker'):
    """Idempotent; returns True when a new site was created."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            root = conn.root()
            created = ROOT_KEY not in root
            if created:
                root[ROOT_KEY] = Site({'title': title})
            site = root[ROOT_KEY]
            CatalogManager(types).ensure(site)
            services = Services(site, types, 'system', _system_can)
            for name, section_title in SECTIONS:
                if name not in site:
                    obj = services.add(site, 'folder', {'title': section_title})
                    assert obj.__name__ == name
        return created
    finally:
        conn.close()


def get_site(conn):
    return conn.root()[ROOT_KEY]
