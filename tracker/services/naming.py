"""Readable, URL-safe ids for new objects."""
import re
import unicodedata

_DANISH = str.maketrans({'æ': 'ae', 'ø': 'oe', 'å': 'aa', 'Æ': 'ae', 'Ø': 'oe', 'Å': 'aa'})
# View names an object id must not hide.
RESERVED_IDS = {'edit', 'add', 'history', 'workflow', 'search', 'login', 'logout',
                'language', 'static', 'sharing', 'contents'}


def slugify(title):
    text = unicodedata.normalize('NFKD', (title or '').translate(_DANISH))
    text = text.encode('ascii', 'ignore').decode('ascii').lower()
    slug = re.sub(r'[^a-z0-9]+', '-', text).strip('-')[:60].strip('-')
    return slug or 'item'


# The shape of a case number's id ("27-2026"): a folder titled "27-2026"
# must not take the id a future case needs.
NUMBER_ID = re.compile(r'^\d+-\d+$')


def unique_name(container, title):
    base = slugify(title)
    if base in RESERVED_IDS or NUMBER_ID.match(base):
        base += '-x'
    name, n = base, 1
    while name in container:
        n += 1
        name = f'{base}-{n}'
    return name
