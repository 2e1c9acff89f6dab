"""Catalog ordering through the listing API: cases without a value for the
sort field come last, and a big folder's listing (the index's in-order
scan) stays correct."""

from datetime import date, timedelta


def test_listing_sorted_by_next_contact_puts_cases_without_one_last(api, new_case):
    day = date(2026, 12, 1)
    for n in range(5):
        body = dict(new_case, received=f'2026-11-0{n + 1}')
        if n % 2 == 0:
            body['next_contact'] = (day + timedelta(days=10 - n)).isoformat()
        api.post('/sager', body)
    listing = api.get('/sager', sort_on='next_contact', sort_order='ascending').json
    numbers = [i['number'] for i in listing['items']]
    assert numbers[:3] == ['5/2026', '3/2026', '1/2026']
    assert sorted(numbers[3:]) == ['2/2026', '4/2026']


def test_big_folder_listing_uses_the_scan_and_stays_correct(api, new_case):
    # more than 20 times the batch: the in-order scan is used
    start = date(2026, 1, 1)
    for n in range(45):  # received dates shuffled against the numbers
        api.post(
            '/sager', dict(new_case, received=(start + timedelta(days=7 * n % 45)).isoformat())
        )
    page = api.get('/sager', b_size=2).json
    assert [i['number'] for i in page['items']] == ['45/2026', '44/2026']
    oldest = api.get('/sager', b_size=2, sort_on='received', sort_order='ascending').json
    # day 0 is case 1; day 1 is case 14 (7 * 13 = 91 = 2 * 45 + 1)
    assert [i['number'] for i in oldest['items']] == ['1/2026', '14/2026']
