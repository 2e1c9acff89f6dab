"""The annual report over many cases: statistics and the Word document.

Fills a folder with N cases (default 100,000) across one year, then times,
in the same run:
- the floor: a plain-Python pass over the same case objects counting what
  the report counts (within the purpose, per centre, kind, channel, group);
- the report's statistics, counted inside the catalog's indexes;
- issuing the report document (statistics, five figures, render, sign, store).
Prints milliseconds for each and the ratio statistics/floor.

    .venv/bin/python bench/report.py --cases 100000
"""

import argparse
import os
import sys
import time
from collections import Counter
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transaction  # noqa: E402
from common import app_services
from common import settings as bench_settings

from tracker import main as make_app  # noqa: E402
from tracker.bootstrap import get_site  # noqa: E402
from tracker.letters.context import report_statistics  # noqa: E402

CENTRES = ['cbf', 'cvv', 'job', 'csd', 'bs', 'ctm']
THEMES = ['process_overview', 'own_up_to_errors', 'transitions', 'right_help_right_time']


def fill(wsgi, db, count):
    start = date(2025, 1, 1)
    with db.transaction() as conn:
        services = app_services(conn, wsgi)
        folder = services.site['sager']
        for n in range(count):
            received = start + timedelta(days=n % 365)
            values = {
                'title': f'Henvendelse {n}',
                'received': received.isoformat(),
                'channel': ['phone', 'email', 'walk_in', 'letter'][n % 4],
                'kind': ['guidance', 'complaint'][n % 2 if n % 7 else 1],
                'centres': [CENTRES[n % 6]],
                'within_purpose': 'true' if n % 6 else 'false',
                'themes': [THEMES[n % 4]] if n % 3 == 0 else [],
            }
            if n % 5:
                values['resolved'] = (received + timedelta(days=(0, 3, 20, 60)[n % 4])).isoformat()
            services.add(folder, 'case', values)
            if n % 2000 == 1999:
                transaction.savepoint(optimistic=True)
        return services.add(
            services.site['rapporter'],
            'report',
            {'title': 'Årsberetning 2025', 'period_from': '2025-01-01', 'period_to': '2025-12-31'},
        ).__name__


def floor(site):
    """What a hand-written count over the objects costs."""
    counts = Counter()
    folder = site['sager']
    for name in folder.child_names():
        case = folder.get_child(name)
        f = case.fields
        if case.type_name != 'case' or not (
            date(2025, 1, 1) <= f['received'] <= date(2025, 12, 31)
        ):
            continue
        counts['total'] += 1
        counts['within', f.get('within_purpose')] += 1
        counts['kind', f['kind']] += 1
        counts['channel', f['channel']] += 1
        counts['group', f.get('processing_group')] += 1
        for centre in f.get('centres') or ():
            counts['centre', centre] += 1
    return counts


def timed(func, rounds):
    func()
    start = time.perf_counter()
    for _ in range(rounds):
        result = func()
    return (time.perf_counter() - start) / rounds * 1000, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cases', type=int, default=100000)
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()
    wsgi = make_app({}, **bench_settings('memory://?connection_cache_size=1000000'))
    db = wsgi.registry._zodb_databases['']
    started = time.perf_counter()
    name = fill(wsgi, db, args.cases)
    print(f'{args.cases} cases filled in {time.perf_counter() - started:.0f} s')
    with db.transaction() as conn:
        site = get_site(conn)
        types = wsgi.registry.tracker_types
        report = site['rapporter'][name]
        floor_ms, counts = timed(lambda: floor(site), args.rounds)
        stats_ms, stats = timed(lambda: report_statistics(report, site, types), args.rounds)
        assert stats.total == counts['total'], (stats.total, counts['total'])
        assert stats.within == counts['within', True]
        print(f'plain-Python count over the objects   {floor_ms:9.1f} ms')
        print(
            f'statistics from the catalog            {stats_ms:9.1f} ms   ratio {stats_ms / floor_ms:.3f}'
        )
        services = app_services(conn, wsgi)
        issue_ms, _letter = timed(lambda: services.letters.issue(report, 'annual_report'), 2)
        print(f'report document issued (with figures)  {issue_ms:9.1f} ms')
        transaction.abort()


if __name__ == '__main__':
    main()
