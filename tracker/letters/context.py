"""The data a letter is merged with, built from the objects' clear values
(read through the services, so reading them is audited) and formatted as a
Danish reader expects: dates "27. november 2026", choices by their titles.
The result holds plain strings and lists only: it is stored (sealed) with
the issued document as "the data it was made from"."""

from ..model.numbering import number_text
from ..rectification.completeness import CORRECTING
from ..rectification.records import ITEM, NOTIFICATION, children_of, evaluate
from ..types.display import long_date


def view(obj, clear, types, locale='da'):
    """{field: display text} of one object, with title, number and state."""
    info = types[obj.type_name]
    out = {
        f.name: f.kind.letter_value(f, clear.get(f.name), locale)
        for f in info.fields
        if f.kind.in_letters
    }
    out['title'] = obj.title
    out['number'] = number_text(obj, types)
    out['state'] = (
        info.workflow.state(obj.review_state).title(locale)
        if info.workflow and obj.review_state
        else ''
    )
    return out


def anchor(obj):
    """The nearest numbered object (the request or the case): letters are
    numbered under it and carry its number as their journal number."""
    while obj is not None and not getattr(obj, 'number', None):
        obj = obj.__parent__
    return obj


def _citizen(clear_request):
    name = clear_request.get('data_subject') or ''
    representative = clear_request.get('representative')
    return {'name': f'{name} v/ {representative}' if representative else name, 'lines': ''}


def _item_view(item, read, types, site):
    from ..catalog.indexing import resolve_path

    out = view(item, read(item), types)
    out['decision_code'] = item.fields.get('decision') or ''
    document = resolve_path(site, item.fields['document']) if item.fields.get('document') else None
    out['document_title'] = document.title if document is not None else ''
    return out


def _outcome(items):
    decisions = {i.fields.get('decision') for i in items}
    if decisions and decisions <= set(CORRECTING):
        return 'imødekommet'
    if decisions == {'refused'}:
        return 'afslået'
    return 'delvist imødekommet'


def _recipient_rows(site, request, types):
    result, _found = evaluate(site, request)
    info = types['notification']
    rows = []
    for row in result.recipients:
        n = row.notification
        rows.append(
            {
                'name': row.name,
                'derived': 'ja' if row.derived else 'nej',
                'sent_on': long_date(n.sent_on) if n and n.sent_on else '',
                'channel': info.by_name['channel'].choice_title(n.channel, 'da')
                if n and n.channel
                else '',
                'exemption': info.by_name['exemption'].choice_title(n.exemption, 'da')
                if n and n.state == 'exempted' and n.exemption
                else '',
                'explanation': '',
            }
        )
    return rows


def build(template, obj, site, types, read, sender):
    """The merge data for `template` issued from `obj`; `read(obj)` gives
    clear values (audited). The object's type adds its part through the
    letter-context provider registered for it (`register`)."""
    data = {'sender': dict(sender), 'journal': number_text(anchor(obj), types)}
    provider = types.letter_contexts.get(obj.type_name)
    if provider is not None:
        data.update(provider(obj, site, types, read))
    return data


# -- one provider per type: (obj, site, types, read) -> its part of the data


def rectification_context(obj, site, types, read):
    clear = read(obj)
    data = {'request': view(obj, clear, types), 'to': _citizen(clear)}
    items = children_of(obj, ITEM)
    data['items'] = [_item_view(i, read, types, site) for i in items]
    data['outcome'] = _outcome(items)
    rows = _recipient_rows(site, obj, types)
    by_name = {n.title: n for n in children_of(obj, NOTIFICATION)}
    for row in rows:
        n = by_name.get(row['name'])
        if n is not None and row['exemption']:
            row['explanation'] = read(n).get('exemption_explanation') or ''
    data['recipients'] = rows
    return data


def notification_context(obj, site, types, read):
    from ..catalog.indexing import resolve_path

    request = obj.__parent__
    data = {
        'request': view(request, read(request), types),
        'notification': view(obj, read(obj), types),
    }
    recipient = resolve_path(site, obj.fields['recipient'])
    data['to'] = {
        'name': obj.title,
        'lines': (recipient.fields.get('contact') or '') if recipient is not None else '',
    }
    data['items'] = [
        _item_view(i, read, types, site)
        for i in children_of(request, ITEM)
        if i.fields.get('decision') in CORRECTING
    ]
    return data


def contested_item_context(obj, site, types, read):
    request = obj.__parent__
    clear_request = read(request)
    return {
        'request': view(request, clear_request, types),
        'item': _item_view(obj, read, types, site),
        'to': _citizen(clear_request),
    }


def statement_context(obj, site, types, read):
    from ..catalog.indexing import path_of

    case = obj.__parent__
    data = {
        'statement': view(obj, read(obj), types),
        'case': view(case, read(case), types),
        'to': {
            'name': types['statement'].by_name['centre'].choice_title(obj.fields['centre'], 'da'),
            'lines': '',
        },
    }
    data['findings'] = [
        view(f, read(f), types)
        for f in (obj.get_child(n) for n in obj.child_names())
        if f.type_name == 'finding'
    ]
    own = path_of(obj)
    data['recommendations'] = [
        view(r, read(r), types)
        for r in (case.get_child(n) for n in case.child_names())
        if r.type_name == 'recommendation' and r.fields.get('statement') == own
    ]
    return data


def question_context(obj, site, types, read):
    case = obj.__parent__
    return {
        'question': view(obj, read(obj), types),
        'case': view(case, read(case), types),
        'to': {
            'name': types['question'].by_name['centre'].choice_title(obj.fields['centre'], 'da'),
            'lines': '',
        },
    }


def case_context(obj, site, types, read):
    clear = read(obj)
    return {
        'case': view(obj, clear, types),
        'to': {'name': clear.get('citizen_reference') or '', 'lines': ''},
    }


def report_context(obj, site, types, read):
    return report_data(obj, site, types)


def report_statistics(report, site, types):
    from ..reports.statistics import compute

    return compute(
        site,
        types,
        report.fields['period_from'],
        report.fields['period_to'],
        history=dict(getattr(site, 'report_history', {}) or {}),
    )


def report_data(report, site, types):
    """The annual report's numbers, lines and summaries (the figures are
    drawn from the same statistics at render time: `images`)."""
    stats = report_statistics(report, site, types)
    info = types['statement']

    def rows(items):
        return [{k: str(v) for k, v in r.as_dict().items()} for r in items]

    return {
        'report': view(report, dict(report.fields), types),
        'to': {'name': 'Byrådet', 'lines': ''},
        'stats': {
            'period': f'{long_date(stats.period_from)} – {long_date(stats.period_to)}',
            'total': str(stats.total),
            'within': str(stats.within),
            'outside': str(stats.outside),
            'within_share': str(round(100 * stats.within / stats.total) if stats.total else 0),
            'questions': str(stats.questions),
            'statements_count': str(len(stats.statements)),
        },
        'history': [
            {'year': str(y), 'count': str(n), 'source': source} for y, n, source in stats.history
        ],
        'centres': rows(stats.centres),
        'kinds': rows(stats.kinds),
        'channels': rows(stats.channels),
        'help': rows(stats.help),
        'themes': [
            dict({k: str(v) for k, v in row.as_dict().items()}, line=line)
            for row, line in stats.themes
        ],
        'statements': [
            {
                'position': str(i),
                'title': st.title,
                'centre': info.by_name['centre'].choice_title(st.fields.get('centre'), 'da'),
                'issued_on': long_date(st.fields.get('issued_on')),
                'summary': st.fields.get('summary') or '',
            }
            for i, st in enumerate(stats.statements, start=1)
        ],
        'recommendations': rows(stats.recommendations),
    }


def images(template, obj, site, types):
    """{variable: PNG bytes} for templates with figures (the annual report)."""
    if template.applies_to != 'report':
        return {}
    from ..reports.figures import figures

    drawn = figures(report_statistics(obj, site, types))
    return {f'figure{i}': png for i, (_title, png) in enumerate(drawn, start=1)}


def register(registrar):
    """The letter-context providers by type (the configuration calls this)."""
    registrar.add_letter_context('rectification', rectification_context)
    registrar.add_letter_context('notification', notification_context)
    registrar.add_letter_context('contested_item', contested_item_context)
    registrar.add_letter_context('statement', statement_context)
    registrar.add_letter_context('question', question_context)
    registrar.add_letter_context('case', case_context)
    registrar.add_letter_context('report', report_context)
