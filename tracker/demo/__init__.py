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
    the report's facts); the assessment is corrected as its version 2."""
    from ..documents import docx_bytes as _docx
    from ..types.validation import Upload
    scenario = load_scenario()['constructed']
    wrong, correct = scenario['wrong_statement'], scenario['correct_statement']
    documents = {}
    for doc in scenario['documents']:
        body = [doc['title'], f"Dato: {doc['dated'].isoformat()}"]
        if doc['contains_wrong_statement']:
            body.append(f'Oplysninger om familien: {wrong}')
        else:
            body.append('Barnet trives i opholdsstedet; samarbejdet med forældrene er godt.')
        documents[doc['id']] = services.add(case, 'document', {
            'title': doc['title'], 'document_date': doc['dated'].isoformat(),
            'journal_date': doc['dated'].isoformat(), 'direction': 'internal',
            'party': 'Center for Børn og Forebyggelse',
            'description': 'Demodata (konstrueret) til Udtalelse 2.',
            'file': Upload(f"{doc['id']}.docx", _docx(*body))})
    assessment = documents['D1']
    services.edit(assessment, {'file': Upload('D1-rettet.docx', _docx(
        scenario['documents'][0]['title'],
        'RETTELSE: Oplysningen om dom for vold er forkert og må ikke anvendes. '
        f'Korrekt oplysning: {correct}',
        f'Oprindelig (forkert) oplysning: {wrong}'))},
        reason='Berigtiget efter borgerens anmodning (art. 16).')
    return documents


def load_demo(services, folder):
    """Add the Q4 2024 cases to `folder` (and the Udtalelse 2 documents to
    case 22/2024); returns the cases."""
    data = load_cases()
    themes = themes_by_case(data)
    first = min(c['number'] for c in data['cases'])
    services.set_first_number('case', 2024, first)
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
            values['next_step'] = 'Borgerrådgiveren afventer centrets svar på de skriftlige spørgsmål.'
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
    load_udtalelse2_documents(services, udtalelse2)
    return created
