"""How fast are letters issued?

Issues the recipient notice of a rectification request through the services
(merge data read and audited, docxtpl render, document properties, Ed25519
signature, sealing, catalog, audit log, commit) and, in the same run, renders
the same template with docxtpl alone from the same data — the floor. Prints
documents per second for both and the ratio.

    .venv/bin/python bench/letters.py --rounds 100
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from io import BytesIO  # noqa: E402

from common import app_services
from common import settings as bench_settings
from docxtpl import DocxTemplate  # noqa: E402

from tracker import main as make_app  # noqa: E402
from tracker.bootstrap import get_site  # noqa: E402
from tracker.letters import context as merge  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=100)
    args = parser.parse_args()
    wsgi = make_app({}, **bench_settings('memory://'))
    db = wsgi.registry._zodb_databases['']
    with db.transaction() as conn:
        services = app_services(conn, wsgi)
        site = services.site
        services.accounts.add_user('bench', 'throughput measuring passphrase', ['admin'])
        recipient = services.add(
            site['modtagere'],
            'recipient',
            {'title': 'Familieretshuset', 'kind': 'authority', 'channel': 'digital_post'},
        )
        request = services.add(
            site['berigtigelser'],
            'rectification',
            {
                'title': 'Forkert oplysning',
                'received': '2024-10-14',
                'channel': 'letter',
                'requester': 'citizen',
                'data_subject': 'Mette Lind Sørensen',
            },
        )
        services.add(
            request,
            'contested_item',
            {
                'title': 'Dom for vold',
                'wrong_statement': 'Moderen er dømt for vold mod Emil.',
                'correct_statement': 'Moderen er ikke dømt for vold.',
                'decision': 'rectified',
                'decided_on': '2024-10-28',
            },
        )
        notification = services.add(
            request, 'notification', {'recipient': '/modtagere/familieretshuset'}
        )
        path = ('berigtigelser', request.__name__, notification.__name__)
        template = wsgi.registry.tracker_letters.templates['recipient_notice']
        data = merge.build(
            template,
            notification,
            site,
            services.types,
            services.read,
            wsgi.registry.tracker_letters.sender,
        )
        data['letter'] = {'number': 'X', 'version': '1', 'date': 'i dag', 'issuer': 'bench'}
    del recipient

    def issue_once():
        with db.transaction() as conn:
            services = app_services(conn, wsgi)
            obj = get_site(conn)
            for name in path:
                obj = obj[name]
            services.letters.issue(obj, 'recipient_notice')

    def bare_once():
        tpl = DocxTemplate(BytesIO(template.data))
        tpl.render(data, autoescape=True)
        out = BytesIO()
        tpl.save(out)

    for _ in range(5):
        issue_once()
        bare_once()
    start = time.perf_counter()
    for _ in range(args.rounds):
        bare_once()
    bare = args.rounds / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(args.rounds):
        issue_once()
    issued = args.rounds / (time.perf_counter() - start)
    print(f'bare docxtpl render      {bare:7.1f} documents/s')
    print(f'issued (whole service)   {issued:7.1f} documents/s   ratio {issued / bare:.2f}')


if __name__ == '__main__':
    main()
