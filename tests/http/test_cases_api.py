"""The advisor's case through the JSON API: add, read, edit, workflow,
search; bad input is a 400 naming each field and changes nothing."""


def test_add_case_numbers_it_by_year_of_receipt(api, new_case):
    first = api.post('/sager', new_case).json
    assert first['number'] == '1/2026'
    assert first['@id'].endswith('/sager/1-2026')
    assert first['review_state'] == 'open'
    assert first['centres'] == ['cbf']
    old = dict(new_case, received='2025-12-30')
    assert api.post('/sager', old).json['number'] == '1/2025'
    assert api.post('/sager', new_case).json['number'] == '2/2026'


def test_created_case_is_readable_as_json_and_html(api, browser, new_case):
    url = api.post('/sager', new_case).json['@id']
    data = api.get(url).json
    assert data['title'] == new_case['title']
    assert data['received'] == '2026-11-02'
    assert data['creator'] == 'rita'
    page = browser.get(url)
    assert page.content_type == 'text/html'
    assert 'Klage over manglende partshøring' in page.text
    assert '2. november 2026' in page.text  # Danish date


def test_patch_changes_only_given_fields(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    data = api.patch(
        url, {'next_step': 'Vi ringer til borgeren', 'next_contact': '2026-12-01'}
    ).json
    assert data['next_step'] == 'Vi ringer til borgeren'
    assert data['next_contact'] == '2026-12-01'
    assert data['title'] == new_case['title']
    assert data['kind'] == 'complaint'


def test_bad_input_names_each_field_and_stores_nothing(api, new_case):
    bad = dict(new_case, received='2026-13-45', channel='pigeon', kle_topic='27-24')
    del bad['title']
    response = api.post('/sager', bad, status=400).json
    fields = {e['field'] for e in response['error']['errors']}
    assert fields == {'received', 'channel', 'kle_topic', 'title'}
    assert api.get('/sager').json['items_total'] == 0
    # and the number series did not move: the next good case is number 1
    assert api.post('/sager', new_case).json['number'] == '1/2026'


def test_unknown_field_is_named(api, new_case):
    response = api.post('/sager', dict(new_case, colour='red'), status=400).json
    assert [e['field'] for e in response['error']['errors']] == ['colour']


def test_wrong_json_types_are_rejected(api, new_case):
    response = api.post('/sager', dict(new_case, title=42, within_purpose='maybe'), status=400).json
    assert {e['field'] for e in response['error']['errors']} == {'title', 'within_purpose'}


def test_not_json_body_is_a_clear_400(api, testapp):
    response = testapp.post(
        '/sager',
        'not json',
        headers=dict(api.headers, **{'Content-Type': 'application/json'}),
        status=400,
    )
    assert response.json['error']['type'] == 'HTTPBadRequest' or response.json['error']['message']


def test_unknown_type_and_url_are_404(api, new_case):
    assert (
        api.post('/sager', dict(new_case, **{'@type': 'spaceship'}), status=404).json['error'][
            'type'
        ]
        == 'NotFound'
    )
    assert api.get('/sager/999-2026', status=404).json['error']['type'] == 'NotFound'


def test_type_not_allowed_in_container_is_refused(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    api.post(url, new_case, status=403)


def test_patch_bad_value_changes_nothing(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    api.patch(url, {'title': 'Nyt emne', 'received': 'igår'}, status=400)
    assert api.get(url).json['title'] == new_case['title']


def test_case_records_are_never_deleted(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    message = api.delete(url, status=403).json['error']['message']
    assert 'Intet slettes' in message
    assert api.get(url).json['title'] == new_case['title']


def test_workflow_moves_and_records_history(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    wf = api.get(url + '/@workflow').json
    assert {t['name'] for t in wf['transitions']} == {'investigate', 'close'}
    close = [t for t in wf['transitions'] if t['name'] == 'close'][0]
    assert close['available'] is False and close['reason']
    assert (
        api.post(
            url + '/@workflow/investigate', {'comment': 'Ringer til centret'}, status=200
        ).json['review_state']
        == 'investigating'
    )
    history = api.get(url + '/@history').json
    assert history[0]['action'] == 'investigate'
    assert history[0]['from'] == 'open' and history[0]['review_state'] == 'investigating'
    assert history[0]['actor'] == 'rita' and history[0]['comments'] == 'Ringer til centret'
    assert history[1]['action'] == 'create'


def test_guard_blocks_close_until_resolved(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    error = api.post(url + '/@workflow/close', status=409).json['error']
    assert 'afsluttet' in error['message'].lower() or 'resolved' in error['message'].lower()
    assert api.get(url).json['review_state'] == 'open'
    api.patch(url, {'resolved': '2026-11-20'})
    assert api.post(url + '/@workflow/close', status=200).json['review_state'] == 'closed'


def test_closed_case_is_read_only_until_reopened_with_a_reason(api, new_case):
    url = api.post('/sager', dict(new_case, resolved='2026-11-20')).json['@id']
    api.post(url + '/@workflow/close', status=200)
    api.patch(url, {'title': 'Ændret'}, status=403)
    api.post(url + '/@workflow/reopen', {}, status=400)  # a reason is required
    api.post(url + '/@workflow/reopen', {'comment': 'Borgeren henvendte sig igen'}, status=200)
    assert api.patch(url, {'title': 'Ændret'}).json['title'] == 'Ændret'


def test_unknown_transition_is_404_and_wrong_state_is_409(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    api.post(url + '/@workflow/fly', status=404)
    api.post(url + '/@workflow/follow_up', status=409)


def test_search_by_text_and_field(api, new_case):
    api.post('/sager', new_case)
    api.post(
        '/sager', dict(new_case, title='Vejledning om boligstøtte', kind='guidance', centres=['bs'])
    )
    found = api.get('/@search', q='partshøring').json
    assert [i['title'] for i in found['items']] == [new_case['title']]
    assert api.get('/@search', kind='guidance').json['items_total'] == 1
    assert (
        api.get('/@search', centres='bs').json['items'][0]['title'] == 'Vejledning om boligstøtte'
    )
    assert api.get('/@search', q='1/2026').json['items_total'] == 1
    assert (
        api.get('/@search', colour='red', status=400).json['error']['errors'][0]['field']
        == 'colour'
    )


def test_protected_fields_are_not_searchable(api, new_case):
    api.post(
        '/sager',
        dict(new_case, citizen_reference='Mette Lind Sørensen', summary='Mette er ked af det'),
    )
    assert api.get('/@search', q='Mette').json['items_total'] == 0


def test_listing_is_batched_and_sortable(api, new_case):
    for day in range(1, 8):
        api.post(
            '/sager',
            dict(new_case, received=f'2026-11-{day:02d}', next_contact=f'2026-12-{10 - day:02d}'),
        )
    page = api.get('/sager', b_size=3).json
    assert page['items_total'] == 7
    assert [i['number'] for i in page['items']] == ['7/2026', '6/2026', '5/2026']
    page2 = api.get('/sager', b_size=3, b_start=3).json
    assert [i['number'] for i in page2['items']] == ['4/2026', '3/2026', '2/2026']
    by_contact = api.get('/sager', sort_on='next_contact', b_size=2).json
    assert [i['number'] for i in by_contact['items']] == ['7/2026', '6/2026']


def test_auditor_reads_but_cannot_change(testapp, api, new_case):
    from tests.conftest import api_login

    url = api.post('/sager', new_case).json['@id']
    auditor = api_login(testapp, 'aud')
    assert auditor.get(url).json['title'] == new_case['title']
    auditor.patch(url, {'title': 'x'}, status=403)
    auditor.post('/sager', new_case, status=403)
    auditor.post(url + '/@workflow/investigate', status=403)
