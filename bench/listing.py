"""Does a container listing stay flat as the container grows?

Times GET /sager (JSON, first batch of 50, newest first and by next contact
date) at a small and a large number of cases in one folder, in the same
run, and prints the ratio large/small (target: close to 1).

    .venv/bin/python bench/listing.py --small 1000 --large 100000
"""

import argparse
import os
import sys
import time
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transaction  # noqa: E402
from common import app_services
from common import settings as bench_settings
from webtest import TestApp  # noqa: E402

from tracker import main as make_app  # noqa: E402
from tracker.bootstrap import get_site  # noqa: E402


def fill(wsgi, db, upto, have):
    with db.transaction() as conn:
        site = get_site(conn)
        services = app_services(conn, wsgi)
        folder = site['sager']
        for n in range(have, upto):
            services.add(
                folder,
                'case',
                {
                    'title': f'Klage nr. {n}',
                    'received': f'2025-{1 + n % 12:02d}-{1 + n % 28:02d}',
                    'channel': 'phone',
                    'kind': 'complaint',
                    'next_contact': f'2027-{1 + n % 12:02d}-{1 + n % 28:02d}' if n % 3 else None,
                },
            )
            if n % 2000 == 1999:
                transaction.savepoint(optimistic=True)
    return upto


def per_request_ms(app, headers, path, rounds):
    for _ in range(20):  # warm the object cache: index buckets load on first use
        app.get(path, headers=headers)
    start = time.perf_counter()
    for _ in range(rounds):
        app.get(path, headers=headers)
    return (time.perf_counter() - start) / rounds * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--small', type=int, default=1000)
    parser.add_argument('--large', type=int, default=20000)
    parser.add_argument('--rounds', type=int, default=200)
    args = parser.parse_args()
    wsgi = make_app({}, **bench_settings('memory://?connection_cache_size=500000'))
    db = wsgi.registry._zodb_databases['']
    with db.transaction() as conn:
        app_services(conn, wsgi).accounts.add_user(
            'bench', 'throughput measuring passphrase', ['admin']
        )
    app = TestApp(wsgi)
    token = app.post_json(
        '/@login', {'login': 'bench', 'password': 'throughput measuring passphrase'}
    ).json['token']
    headers = {'Authorization': f'Bearer {token}', 'Accept': 'application/json'}
    paths = {
        'newest first': '/sager?b_size=50',
        'by next contact': '/sager?b_size=50&sort_on=next_contact',
        'search kind=complaint': '/@search?kind=complaint&b_size=50',
    }
    results = {}
    have = 0
    for size in (args.small, args.large):
        start = time.perf_counter()
        have = fill(wsgi, db, size, have)
        print(f'{size} cases in one folder (filled in {time.perf_counter() - start:.0f} s)')
        for name, path in paths.items():
            results[(name, size)] = per_request_ms(app, headers, path, args.rounds)
    for name in paths:
        small, large = results[(name, args.small)], results[(name, args.large)]
        print(
            f'{name:24s} {args.small:>7} cases {small:6.2f} ms   {args.large:>7} cases '
            f'{large:6.2f} ms   ratio {large / small:.2f}'
        )


if __name__ == '__main__':
    main()
