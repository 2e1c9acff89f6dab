"""Readable, URL-safe ids for new objects."""

import re
import unicodedata

_DANISH = str.maketrans({'æ': 'ae', 'ø': 'oe', 'å': 'aa', 'Æ': 'ae', 'Ø': 'oe', 'Å': 'aa'})
# View names an object id must not hide.
RESERVED_IDS = {
    'edit',
    'add',
    'history',
    'workflow',
    'search',
    'login',
    'logout',
    'language',
    'static',
    'sharing',
    'contents',
    'versions',
    'audit',
    'journal-import',
    'letters',
    'timeline',
    'issue',
    'issue-notices',
    'derive-notifications',
    'delay-notice',
    'dashboard',
    'deadlines',
    'choices',
    'verify',
    'admin',
    'report-history',
    'deadlines-feed',
}
# Issued documents take ids "dokument-<template>" (services/issuing.py).
RESERVED_PREFIXES = ('dokument-',)


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
    if base in RESERVED_IDS or NUMBER_ID.match(base) or base.startswith(RESERVED_PREFIXES):
        base += '-x'
    name, n = base, 1
    while name in container:
        n += 1
        name = f'{base}-{n}'
    return name
