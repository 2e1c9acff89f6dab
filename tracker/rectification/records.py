"""Facts about a rectification request read from the stored objects, for
the completeness rule. Only unsealed values are needed: whether an evidence
file or an explanation exists is visible without opening it."""

from hypatia.query import Eq

from ..catalog.indexing import path_of, resolve_path
from .completeness import ItemFacts, NotificationFacts, RequestFacts, completeness
from .deadlines import due_date
from .derive import derived_recipients

REQUEST, ITEM, NOTIFICATION = 'rectification', 'contested_item', 'notification'


def children_of(request, type_name):
    """A request's items or notifications (a request holds dozens, not
    thousands: walking them is cheaper than a catalog query)."""
    out = []
    for name in request.child_names():
        child = request.get_child(name)
        if child is not None and child.type_name == type_name:
            out.append(child)
    return out


def affected_versions(document, first_version, request_path):
    """The versions that carry the wrong data: from the first one with the
    error up to the one before the correction this request caused (or the
    latest, while it is not corrected)."""
    first = max(1, first_version or 1)
    last = len(document.versions)
    for record in list(document.versions)[first:]:
        if record.get('caused_by') == request_path:
            last = record['number'] - 1
            break
    return range(first, last + 1)


def correcting_version(document, request_path):
    """The number of the version this request's correction made, or None."""
    for record in document.versions:
        if record.get('caused_by') == request_path:
            return record['number']
    return None


def derived(site, request, items=None):
    """{recipient path: (name, [disclosures])} for every disclosure of a
    version with the wrong data, over the items not refused."""
    out = {}
    request_path = path_of(request)
    for item in items if items is not None else children_of(request, ITEM):
        if item.fields.get('decision') == 'refused' or not item.fields.get('document'):
            continue
        document = resolve_path(site, item.fields['document'])
        if document is None:
            continue
        versions = affected_versions(document, item.fields.get('first_version'), request_path)
        for recipient_path, disclosures in derived_recipients(
            site, item.fields['document'], versions
        ):
            recipient = resolve_path(site, recipient_path)
            name = recipient.title if recipient is not None else recipient_path
            entry = out.setdefault(recipient_path, (name, []))
            entry[1].extend(disclosures)
    return out


def notification_facts(n):
    f = n.fields
    return NotificationFacts(
        recipient=f.get('recipient'),
        name=f.get('title') or f.get('recipient'),
        state=n.review_state,
        sent_on=f.get('sent_on'),
        channel=f.get('channel'),
        sent_evidence=f.get('sent_evidence') is not None,
        acknowledged_on=f.get('acknowledged_on'),
        acknowledged_evidence=f.get('acknowledged_evidence') is not None,
        confirmed_on=f.get('confirmed_on'),
        exemption=f.get('exemption'),
        exemption_explained=f.get('exemption_explanation') is not None,
        path=path_of(n),
    )


def request_facts(request):
    f = request.fields
    return RequestFacts(
        due=f.get('due') or due_date(f['received']),
        answered_on=f.get('answered_on'),
        late_explained=f.get('late_explanation') is not None,
    )


def evaluate(site, request):
    """The completeness of one request, and the derived recipients it used."""
    items = children_of(request, ITEM)
    found = derived(site, request, items)
    result = completeness(
        request_facts(request),
        [ItemFacts(i.title, i.fields.get('decision')) for i in items],
        {path: name for path, (name, _disclosures) in found.items()},
        [notification_facts(n) for n in children_of(request, NOTIFICATION)],
    )
    return result, found


def requests_using_document(site, document_path):
    """The requests with an item about this document (catalog, not a walk)."""
    catalog = site.catalog
    query = Eq(catalog['type_name'], ITEM) & Eq(catalog['document'], document_path)
    requests = {}
    for docid in query.execute().ids:
        path = site.docmap.path(docid)
        item = resolve_path(site, path) if path else None
        if item is not None and item.__parent__ is not None:
            requests[path_of(item.__parent__)] = item.__parent__
    return list(requests.values())


def requests_touched_by(site, obj, previous=None):
    """The requests whose completeness may change when obj changes
    (`previous`: its values before an edit, so a disclosure moved from one
    document to another updates the requests of both)."""
    if obj.type_name == REQUEST:
        return [obj]
    if obj.type_name in (ITEM, NOTIFICATION):
        return [obj.__parent__]
    if obj.type_name == 'disclosure':
        documents = {obj.fields.get('document'), (previous or {}).get('document')} - {None, ''}
        found = {}
        for document in sorted(documents):
            for request in requests_using_document(site, document):
                found[path_of(request)] = request
        return list(found.values())
    if obj.type_name == 'document':
        return requests_using_document(site, path_of(obj))
    return []


def completeness_changes(request, result):
    """What to store on the request so lists and the dashboard show its gaps
    without recomputing (they change only when the request, its items and
    notifications, or a disclosure of its documents change): {'gaps': ...,
    'gap_count': ...}, only the parts that differ from what is stored. The
    rectification service writes them."""
    gaps = tuple(g.as_tuple() for g in result.gaps)
    changes = {}
    if getattr(request, 'gaps', None) != gaps:
        changes['gaps'] = gaps
    if request.fields.get('gap_count') != len(gaps):
        changes['gap_count'] = len(gaps)
    return changes
