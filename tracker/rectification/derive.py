"""Who must be told of a correction: every recipient of every disclosure of
an affected document version — derived from the disclosure log, so nobody
is forgotten (GDPR art. 19)."""

from hypatia.query import Any, Eq

from ..catalog.indexing import resolve_path


def disclosures_of(site, document_path, versions):
    """The disclosures of `versions` of the document, oldest first."""
    catalog = site.catalog
    query = (
        Eq(catalog['type_name'], 'disclosure')
        & Eq(catalog['document'], document_path)
        & Any(catalog['document_version'], sorted(versions))
    )
    found = []
    for docid in query.execute().ids:
        path = site.docmap.path(docid)
        obj = resolve_path(site, path) if path else None
        if obj is not None:
            found.append(obj)
    return sorted(found, key=lambda d: (d.fields.get('disclosed_on'), d.__name__))


def derived_recipients(site, document_path, versions):
    """[(recipient path, [disclosures])], one entry per recipient."""
    by_recipient = {}
    for disclosure in disclosures_of(site, document_path, versions):
        by_recipient.setdefault(disclosure.fields['recipient'], []).append(disclosure)
    return sorted(by_recipient.items())
