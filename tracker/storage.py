"""Open the database named by `zodbconn.uri` outside a web request (CLI,
tests), through zodburi like pyramid_zodbconn does."""
from ZODB import DB
from zodburi import resolve_uri


def open_db(uri):
    storage_factory, dbkw = resolve_uri(uri)
    return DB(storage_factory(), **dbkw)
