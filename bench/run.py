"""Request throughput of the tracker beside a bare Pyramid + ZODB floor,
measured in the same run (a ratio, because these machines are noisy).

Each app is served by waitress in its own process; one client process
sends sequential keep-alive requests. Targets (see DEVELOPERS.md): JSON GET
>= 0.5x the floor, HTML page >= 0.25x.

    make bench            # or: .venv/bin/python bench/run.py --seconds 5
"""

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import services_for
from common import settings as bench_settings


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def serve(kind, uri, port, ready):
    import logging

    logging.basicConfig(level=logging.WARNING)
    from waitress import serve as waitress_serve

    if kind == 'floor':
        from floor import floor_app

        app = floor_app(uri)
    else:
        from tracker import main

        app = main({}, **bench_settings(uri))
    ready.set()
    waitress_serve(app, host='127.0.0.1', port=port, threads=4, _quiet=True)


def start(kind, uri):
    port = free_port()
    ready = multiprocessing.Event()
    proc = multiprocessing.Process(target=serve, args=(kind, uri, port, ready), daemon=True)
    proc.start()
    ready.wait(60)
    for _ in range(100):
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, port


def rate(port, path, headers, seconds):
    conn = http.client.HTTPConnection('127.0.0.1', port)
    n, end = 0, time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < end:
        conn.request('GET', path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f'{path}: HTTP {response.status}')
        n += 1
    return n / (time.perf_counter() - start)


def prepare_tracker(uri):
    """Create an admin and one case; return (token, case path)."""
    from tracker import main
    from tracker.bootstrap import get_site

    app = main({}, **bench_settings(uri))
    db = app.registry._zodb_databases['']
    types = app.registry.tracker_types
    with db.transaction() as conn:
        site = get_site(conn)
        ring = app.registry.tracker_keyring
        services = services_for(conn, types, ring)
        services.accounts.add_user('bench', 'throughput measuring passphrase', ['admin'])
        case = services.add(
            site['sager'],
            'case',
            {
                'title': 'Klage over manglende partshøring',
                'received': '2026-11-02',
                'channel': 'phone',
                'kind': 'complaint',
                'centres': ['cbf'],
            },
        )
        path = f'/sager/{case.__name__}'
    db.close()
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--seconds', type=float, default=5.0)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix='tracker-bench-')
    floor_uri = f'file://{tmp}/floor.fs'
    tracker_uri = f'file://{tmp}/tracker.fs'
    path = prepare_tracker(tracker_uri)

    floor, floor_port = start('floor', floor_uri)
    tracker, tracker_port = start('tracker', tracker_uri)
    try:
        conn = http.client.HTTPConnection('127.0.0.1', tracker_port)
        conn.request(
            'POST',
            '/@login',
            body=json.dumps({'login': 'bench', 'password': 'throughput measuring passphrase'}),
            headers={'Content-Type': 'application/json'},
        )
        token = json.loads(conn.getresponse().read())['token']
        auth = {'Authorization': f'Bearer {token}'}
        rate(floor_port, '/x', {}, 1)  # warm up
        rate(tracker_port, path, dict(auth, Accept='application/json'), 1)
        floor_rps = rate(floor_port, '/x', {}, args.seconds)
        json_rps = rate(tracker_port, path, dict(auth, Accept='application/json'), args.seconds)
        html_rps = rate(tracker_port, path, dict(auth, Accept='text/html'), args.seconds)
    finally:
        floor.terminate()
        tracker.terminate()
    print(f'floor (bare Pyramid + ZODB, JSON)  {floor_rps:8.0f} req/s  1.00x')
    print(
        f'tracker JSON GET of a case         {json_rps:8.0f} req/s  {json_rps / floor_rps:.2f}x  (target >= 0.50x)'
    )
    print(
        f'tracker HTML page of a case        {html_rps:8.0f} req/s  {html_rps / floor_rps:.2f}x  (target >= 0.25x)'
    )


if __name__ == '__main__':
    main()
