"""The demo data set: the advisor's 24 inquiries of Q4 2024 (from the annual
report, see q4-2024-cases.yaml), loaded through the services like any
import, so it is validated, numbered, catalogued and has history."""

from datetime import timedelta
from pathlib import Path

import yaml

HERE = Path(__file__).parent

CENTRES = {
    'Center for Børn og Forebyggelse': 'cbf',
    'Center for Voksen og Velfærd': 'cvv',
    'Jobcenter': 'job',
    'Center for Skole og Dagtilbud': 'csd',
    'Borgerservice': 'bs',
    'Center for Teknik og Miljø': 'ctm',
}
# "How fast did the citizen get help" group -> days until resolved.
HELP_DAYS = {'same_day': 0, 'within_week': 5, 'within_month': 21}
SUBJECT = {
    'guidance': 'Vejledning om henvendelse til {centre}',
    'complaint': 'Klage over sagsbehandlingen i {centre}',
}


def load_cases():
    with open(HERE / 'q4-2024-cases.yaml', encoding='utf-8') as f:
        return yaml.safe_load(f)


def themes_by_case(data):
    out = {}
    for theme, numbers in data['facts']['themes'].items():
        for n in numbers:
            out.setdefault(n, []).append(theme)
    return out


def load_scenario():
    with open(HERE / 'udtalelse2-scenario.yaml', encoding='utf-8') as f:
        return yaml.safe_load(f)


def load_udtalelse2_documents(services, case):
    """The four documents of the Udtalelse 2 case (constructed text around
    the report's facts), as first journalised."""
    from ..documents import docx_bytes as _docx
    from ..types.validation import Upload

    scenario = load_scenario()['constructed']
    wrong = scenario['wrong_statement']
    documents = {}
    for doc in scenario['documents']:
        body = [doc['title'], f"Dato: {doc['dated'].isoformat()}"]
        if doc['contains_wrong_statement']:
            body.append(f'Oplysninger om familien: {wrong}')
        else:
            body.append('Barnet trives i opholdsstedet; samarbejdet med forældrene er godt.')
        documents[doc['id']] = services.add(
            case,
            'document',
            {
                'title': doc['title'],
                'document_date': doc['dated'].isoformat(),
                'journal_date': doc['dated'].isoformat(),
                'direction': 'internal',
                'party': 'Center for Børn og Forebyggelse',
                'description': 'Demodata (konstrueret) til Udtalelse 2.',
                'file': Upload(f"{doc['id']}.docx", _docx(*body)),
            },
        )
    return documents


def correct_assessment(services, assessment, cause=None):
    """The corrected assessment the citizen later received: version 2."""
    from ..documents import docx_bytes as _docx
    from ..types.validation import Upload

    scenario = load_scenario()['constructed']
    wrong, correct = scenario['wrong_statement'], scenario['correct_statement']
    services.edit(
        assessment,
        {
            'file': Upload(
                'D1-rettet.docx',
                _docx(
                    scenario['documents'][0]['title'],
                    'RETTELSE: Oplysningen om dom for vold er forkert og må ikke anvendes. '
                    f'Korrekt oplysning: {correct}',
                    f'Oprindelig (forkert) oplysning: {wrong}',
                ),
            )
        },
        reason='Berigtiget efter borgerens anmodning (art. 16).',
        caused_by=cause,
    )


def _receipt(name, text):
    from ..types.validation import Upload

    return Upload(name, text.encode('utf-8'))


def load_udtalelse2_rectification(services, site, case, documents):
    """The rectification follow-up of Udtalelse 2 as the scenario tells it:
    the registry, the disclosures over three years, the request with its
    three contested items (D1 first refused, then granted), the restriction
    set and lifted with notice, and the notifications: four acknowledged,
    one sent without acknowledgement (a reminder is due) and the police not
    yet accounted for, so the demo shows derived recipients, evidence and a
    gap. Returns the request."""
    from ..catalog.indexing import path_of

    scenario = load_scenario()['constructed']
    registry = site['modtagere']
    recipients = {}
    for r in scenario['recipients']:
        recipients[r['name']] = services.add(
            registry, 'recipient', {'title': r['name'], 'kind': r['kind'], 'channel': r['channel']}
        )
    for d in scenario['disclosures']:
        recipient = recipients[d['recipient']]
        services.add(
            case,
            'disclosure',
            {
                'title': f"{documents[d['document']].title} til {d['recipient']}",
                'recipient': path_of(recipient),
                'document': path_of(documents[d['document']]),
                'disclosed_on': d['date'].isoformat(),
                'channel': recipient.fields['channel'],
                'legal_basis': d['basis'],
            },
        )
    req = scenario['request']
    request = services.add(
        case,
        'rectification',
        {
            'title': 'Forkert oplysning om dom for vold',
            'received': req['received'].isoformat(),
            'channel': req['channel'],
            'requester': 'citizen',
            'centres': ['cbf'],
            'data_subject': scenario['citizen']['name'],
            'identity_method': 'mitid',
            'identity_checked_on': req['identity']['checked'].isoformat(),
            'identity_checked_by': 'Borgerrådgiveren',
            'restricted_from': req['restriction']['from'].isoformat(),
        },
    )
    items = {}
    for key in ('D1', 'D2', 'D3'):
        items[key] = services.add(
            request,
            'contested_item',
            {
                'title': f'Dom for vold ({documents[key].title})',
                'document': path_of(documents[key]),
                'passage': 'Afsnittet "Oplysninger om familien"',
                'wrong_statement': scenario['wrong_statement'],
                'correct_statement': scenario['correct_statement'],
                'how_arose': scenario['how_the_error_arose'],
            },
        )
    services.transition(request, 'assess')
    first = req['first_decision']['date'].isoformat()
    services.edit(
        items['D1'],
        {
            'decision': 'refused',
            'decided_on': first,
            'unfavourable': True,
            'hearing_on': req['identity']['checked'].isoformat(),
            'reasons': 'Forvaltningen fandt oplysningen fagligt begrundet.',
        },
    )
    for key in ('D2', 'D3'):
        services.edit(items[key], {'decision': 'rectified', 'decided_on': first})
    services.edit(request, {'answered_on': first})
    services.transition(request, 'decide')
    services.transition(
        request, 'reconsider', 'Genoptaget efter borgerrådgiverens skriftlige spørgsmål.'
    )
    services.edit(
        items['D1'],
        {
            'decision': 'rectified',
            'unfavourable': False,
            'hearing_on': None,
            'decided_on': req['reconsidered']['date'].isoformat(),
        },
        reason='Genoptaget og berigtiget.',
    )
    services.transition(request, 'decide')
    correct_assessment(services, documents['D1'], path_of(request))
    services.edit(
        request,
        {
            'lift_notice_on': req['restriction']['notice_sent'].isoformat(),
            'restriction_lifted_on': req['restriction']['lifted'].isoformat(),
        },
    )
    services.transition(request, 'notify')
    notifications = {n.title: n for n in services.rectification.derive_notifications(request)}
    for n in scenario['notifications']:
        if not n.get('sent'):
            continue  # the police: exempted on the phone, the reason not yet recorded
        notification = notifications[n['recipient']]
        services.transition(
            notification,
            'send',
            changes={
                'sent_on': n['sent'].isoformat(),
                'channel': recipients[n['recipient']].fields['channel'],
                'sent_evidence': _receipt(
                    'kvittering.txt', f"Afsendt til {n['recipient']} {n['sent']}."
                ),
            },
        )
        if n.get('acknowledged'):
            services.transition(
                notification,
                'acknowledge',
                changes={
                    'acknowledged_on': n['acknowledged'].isoformat(),
                    'acknowledged_evidence': _receipt(
                        'modtagerkvittering.txt',
                        f"{n['recipient']} bekræfter modtagelsen {n['acknowledged']}.",
                    ),
                },
            )
    return request


def load_statements(services, cases):
    """The report's two statements with their written questions, findings
    and recommendations (statements.yaml), followed up."""
    from ..catalog.indexing import path_of

    with open(HERE / 'statements.yaml', encoding='utf-8') as f:
        data = yaml.safe_load(f)
    by_number = {c.number[0]: c for c in cases}
    for item in data['statements']:
        case = by_number[item['case']]
        q = item['question']
        question = services.add(
            case,
            'question',
            {
                'title': q['title'],
                'centre': 'cbf',
                'questions': q['questions'],
                'statement_considered': True,
            },
        )
        services.transition(
            question,
            'send',
            changes={
                'sent_on': q['sent_on'].isoformat(),
                'answer_due': q['answer_due'].isoformat(),
            },
        )
        services.transition(
            question,
            'record_answer',
            changes={'answered_on': q['answered_on'].isoformat(), 'answer': q['answer']},
        )
        statement = services.add(
            case,
            'statement',
            {
                'title': item['title'],
                'centre': 'cbf',
                'background': item['background'],
                'summary': ' '.join(item['summary'].split()),
            },
        )
        for finding in item['findings']:
            services.add(
                statement,
                'finding',
                {
                    'title': finding['title'],
                    'legal_basis': finding['basis'],
                    'criticism': finding['criticism'],
                },
            )
        services.transition(statement, 'submit')
        services.transition(
            statement,
            'issue',
            changes={
                'legal_protection_violated': item['violated'],
                'restored': item['restored'],
                'criticism_grade': item['grade'],
                'issued_on': item['issued_on'].isoformat(),
            },
        )
        services.transition(statement, 'follow_up')
        for rec in item['recommendations']:
            recommendation = services.add(
                case,
                'recommendation',
                {
                    'title': rec['title'],
                    'statement': path_of(statement),
                    'centre': 'cbf',
                    'follow_up_on': rec['follow_up_on'].isoformat(),
                },
            )
            services.transition(recommendation, 'send')


def load_demo(services, folder):
    """Add the Q4 2024 cases to `folder` (and the Udtalelse 2 documents to
    case 22/2024); returns the cases."""
    data = load_cases()
    themes = themes_by_case(data)
    first = min(c['number'] for c in data['cases'])
    services.admin.set_first_number('case', 2024, first)
    created = []
    for case in sorted(data['cases'], key=lambda c: c['number']):
        received = case['received']
        values = {
            'title': SUBJECT[case['kind']].format(centre=case['centre']),
            'received': received.isoformat(),
            'channel': case['channel'],
            'kind': case['kind'],
            'centres': [CENTRES[case['centre']]],
            'within_purpose': 'true' if case['within'] else 'false',
            'themes': themes.get(case['number'], []),
            'kle_action': 'K02' if case['kind'] == 'complaint' else None,
        }
        days = HELP_DAYS.get(case['help'])
        if days is not None:
            values['resolved'] = (received + timedelta(days=days)).isoformat()
        else:
            values['next_step'] = (
                'Borgerrådgiveren afventer centrets svar på de skriftlige spørgsmål.'
            )
            values['next_contact'] = (received + timedelta(days=30)).isoformat()
            values['citizen_tasks'] = 'Ingen lige nu.'
            values['our_tasks'] = 'Følge op på svaret og vurdere, om der skal skrives en udtalelse.'
        values = {k: v for k, v in values.items() if v is not None}
        obj = services.add(folder, 'case', values)
        assert obj.number == (case['number'], 2024), obj.number
        if days is not None:
            services.transition(obj, 'close', 'Afsluttet (demodata).')
        elif case.get('statement'):
            for step in ('investigate', 'write_statement', 'follow_up'):
                services.transition(obj, step)
        else:
            services.transition(obj, 'investigate')
        created.append(obj)
    udtalelse2 = next(c for c in created if c.number == (22, 2024))
    documents = load_udtalelse2_documents(services, udtalelse2)
    load_udtalelse2_rectification(services, services.site, udtalelse2, documents)
    load_statements(services, created)
    load_report(services, data)
    return created


def load_report(services, data):
    """The report's earlier years (entered by hand) and a report for the
    quarter, so the statistics page and the annual report can be seen."""
    for year, count in sorted(data['history'].items()):
        services.admin.set_year_total(int(year), int(count))
    period = data['period']
    return services.add(
        services.site['rapporter'],
        'report',
        {
            'title': 'Årsberetning 2024 (4. kvartal)',
            'period_from': period['from'].isoformat(),
            'period_to': period['to'].isoformat(),
            'introduction': 'Borgerrådgiverordningen blev etableret i 4. kvartal 2024; '
            'beretningen dækker derfor kun perioden 1. oktober – 31. december 2024.',
        },
    )
