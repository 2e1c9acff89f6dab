"""The disclosure log points at document versions, so "which version did
the recipient get?" has an answer, and the recipients of a correction are
derived from every disclosure of an affected version."""

import base64

from tests.files import make_docx


def recipient(api, name, kind='authority', channel='digital_post'):
    return (
        api.post(
            '/modtagere', {'@type': 'recipient', 'title': name, 'kind': kind, 'channel': channel}
        )
        .json['@id']
        .replace('http://localhost', '')
    )


def upload(text, name):
    return {'filename': name, 'data': base64.b64encode(make_docx(text)).decode()}


def test_recipients_of_a_correction_come_from_disclosures_of_the_wrong_version(api, new_case):
    case = api.post('/sager', new_case).json['@id']
    family_court = recipient(api, 'Familieretshuset')
    appeals = recipient(api, 'Ankestyrelsen')
    police = recipient(api, 'Københavns Vestegns Politi', kind='police')
    doc = api.post(
        case,
        {
            '@type': 'document',
            'title': 'Børnefaglig undersøgelse',
            'document_date': '2021-09-14',
            'direction': 'internal',
            'file': upload('Moderen er dømt for vold.', 'D1.docx'),
        },
    ).json
    doc_path = doc['@id'].replace('http://localhost', '')

    def disclose(to, on, **extra):
        return api.post(
            case,
            dict(
                {
                    '@type': 'disclosure',
                    'title': 'Undersøgelsen sendt',
                    'recipient': to,
                    'document': doc_path,
                    'disclosed_on': on,
                    'channel': 'digital_post',
                    'legal_basis': 'forvaltningsloven § 28, stk. 2',
                },
                **extra,
            ),
        )

    first = disclose(family_court, '2021-10-05').json
    assert first['document_version'] == 1  # the version current when it went out
    disclose(police, '2022-08-22')
    api.patch(
        doc['@id'],
        {
            'file': upload('Moderen er ikke dømt for vold.', 'D1-rettet.docx'),
            '@reason': 'Berigtiget',
        },
    )
    disclose(appeals, '2024-12-10')  # got the corrected version 2
    wrong = api.get(doc['@id'] + '/@recipients', version=1).json['items']
    assert sorted(r['recipient']['title'] for r in wrong) == [
        'Familieretshuset',
        'Københavns Vestegns Politi',
    ]
    assert all(d['version'] == 1 for r in wrong for d in r['disclosures'])
    corrected = api.get(doc['@id'] + '/@recipients', version=2).json['items']
    assert [r['recipient']['title'] for r in corrected] == ['Ankestyrelsen']
    assert corrected[0]['channel'] == 'digital_post'


def test_references_must_name_a_visible_object_of_the_right_type(testapp, api, new_case):
    from tests.conftest import api_login

    case = api.post('/sager', new_case).json['@id']
    case_path = case.replace('http://localhost', '')
    court = recipient(api, 'Familieretshuset')
    base = {
        '@type': 'disclosure',
        'title': 'x',
        'disclosed_on': '2024-01-02',
        'channel': 'letter',
        'legal_basis': 'samtykke',
    }
    for bad in ('/modtagere/nobody', case_path, 'Familieretshuset'):
        errors = api.post(case, dict(base, recipient=bad), status=400).json['error']['errors']
        assert [e['field'] for e in errors] == ['recipient'], bad
    doc = api.post(
        case,
        {
            '@type': 'document',
            'title': 'Notat',
            'document_date': '2024-01-01',
            'direction': 'internal',
            'file': upload('notat', 'n.docx'),
        },
    ).json
    doc_path = doc['@id'].replace('http://localhost', '')
    errors = api.post(
        case, dict(base, recipient=court, document=doc_path, document_version=5), status=400
    ).json['error']['errors']
    assert [e['field'] for e in errors] == ['document_version']
    assert api.get(case).json['items_total'] == 1  # only the document
    # a caseworker cannot point at a document in a case not shared with them
    other = api.post('/sager', new_case).json['@id']
    api.post(other + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    cw = api_login(testapp, 'cw')
    errors = cw.post(other, dict(base, recipient=court, document=doc_path), status=400).json[
        'error'
    ]['errors']
    assert [e['field'] for e in errors] == ['document']
