"""Screenshots of the main pages for docs/screenshots/ (`make screenshots`):
the demo data set served on 127.0.0.1, photographed by Debian's Chromium
through Playwright, so a newcomer sees the product before installing it."""

import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# run as a script, its own folder (tests/) would come first on the path and
# tests/http would hide the standard library's http package
sys.path[:] = [p for p in sys.path if Path(p or '.').resolve() != PROJECT / 'tests']
sys.path.insert(0, str(PROJECT))

from tests.browser.test_browser import CHROMIUM, FLAGS  # noqa: E402
from tests.conftest import PASSWORD, add_user, close_app, db_of, make_app, system_services  # noqa: E402

OUT = PROJECT / 'docs' / 'screenshots'
PAGES = [
    ('01-sager', '/sager'),
    ('02-sag', '/sager/22-2024'),
    ('03-berigtigelse', '/sager/22-2024/br-2024-0001'),
    ('04-tidslinje', '/sager/22-2024/br-2024-0001/timeline'),
    ('05-fuldstaendighed', '/dashboard'),
    ('06-mine-frister', '/deadlines'),
    ('07-dokument-med-berigtigelsesnote', None),
    ('08-aarets-tal', '/rapporter/rapport-2024-01'),
]


def main():
    from playwright.sync_api import sync_playwright
    from webtest.http import StopableWSGIServer

    from tracker.bootstrap import get_site
    from tracker.demo import load_demo

    tmp = Path(tempfile.mkdtemp(prefix='tracker-shots-'))
    app = make_app(**{'zodbconn.uri': f'file://{tmp}/Data.fs'})
    with db_of(app).transaction() as conn:
        load_demo(system_services(conn, app), get_site(conn)['sager'])
    add_user(app, 'rita', ['advisor'])
    server = StopableWSGIServer.create(app, host='127.0.0.1', port=0, threads=2)
    base = f'http://127.0.0.1:{server.effective_port}'
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            page = browser.new_context(
                base_url=base, viewport={'width': 1280, 'height': 900}, locale='da-DK'
            ).new_page()
            page.goto('/login')
            page.screenshot(path=str(OUT / '00-log-ind.png'))
            page.fill('[name=login]', 'rita')
            page.fill('[name=password]', PASSWORD)
            page.click('button[type=submit]')
            page.wait_for_load_state()
            for name, path in PAGES:
                if path is None:  # the assessment, which carries the rectification note
                    page.goto('/sager/22-2024')
                    page.click('a:text("Børnefaglig undersøgelse (Emil)")')
                else:
                    page.goto(path)
                page.wait_for_load_state('networkidle')
                page.screenshot(path=str(OUT / f'{name}.png'), full_page=True)
                print(OUT / f'{name}.png')
            browser.close()
    finally:
        server.shutdown()
        close_app(app)


if __name__ == '__main__':
    main()
