"""Open the database named by `zodbconn.uri` through zodburi — for the web
app (via pyramid_zodbconn) and for the CLI and tests alike."""

from ZODB import DB
from zodburi import resolve_uri


def _sync_with_server(storage):
    """A ZEO client must ask the server for news at every transaction start,
    or it may serve what another process changed a moment ago as unchanged.
    ClientStorage does that with server_sync=True, which zodburi's zeo://
    cannot pass; the flag is read on (re)connect, so also switch the live
    connection. This must happen before the DB binds `storage.sync`."""
    if getattr(storage, 'server_sync', None) is False:
        storage.server_sync = True
        if hasattr(storage, 'ping'):
            storage.sync = storage.ping


def db_from_uri(uri, dbname='unnamed', dbmap=None):
    """The same contract as pyramid_zodbconn.db_from_uri."""
    storage_factory, dbkw = resolve_uri(uri)
    storage = storage_factory()
    _sync_with_server(storage)
    dbkw['database_name'] = dbname
    return DB(storage, databases=dbmap if dbmap is not None else {}, **dbkw)


AUDIT = 'audit'


def open_databases(settings):
    """The main database with the audit database joined to it (the same
    names pyramid_zodbconn uses: '' and 'audit'), for the CLI and tests."""
    if not settings.get('zodbconn.uri.audit'):
        raise ValueError('Set zodbconn.uri.audit: the audit log lives in its own database.')
    databases = {}
    db = db_from_uri(settings['zodbconn.uri'], '', databases)
    db_from_uri(settings['zodbconn.uri.audit'], AUDIT, databases)
    return db


def close_databases(db):
    for database in set(db.databases.values()):
        database.close()


def open_db(uri):
    return db_from_uri(uri)


def includeme(config):
    """pyramid_zodbconn, opening databases with `db_from_uri` above."""
    import pyramid_zodbconn

    pyramid_zodbconn.includeme(config, db_from_uri=db_from_uri)
