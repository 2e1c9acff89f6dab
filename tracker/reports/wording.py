"""Numbers as the annual report writes them (pure)."""

FIGURE_TITLES = [
    'Figur 1: Unikke henvendelser pr. år',
    'Figur 2: Andel af henvendelser pr. center',
    'Figur 3: Vejledning, klage og egen drift',
    'Figur 4: Kontaktform',
    'Figur 5: Hvor hurtigt fik borgeren hjælp',
]


def danish_list(items):
    """'7, 17 og 18' — the report's way of listing."""
    items = list(items)
    if not items:
        return ''
    if len(items) == 1:
        return items[0]
    return ', '.join(items[:-1]) + ' og ' + items[-1]


def case_numbers_line(labels):
    """'Borgerrådgiversager nr. 7, 17, 18 og 22 /2024' from ['7/2024', ...];
    several years keep each number whole: 'nr. 30/2024 og 1/2025'."""
    parsed = []
    for label in labels:
        number, _, year = label.partition('/')
        parsed.append((int(year or 0), int(number), label))
    parsed.sort()
    if not parsed:
        return ''
    years = {year for year, _n, _l in parsed}
    if len(years) == 1:
        return f'Borgerrådgiversager nr. {danish_list([str(n) for _y, n, _l in parsed])} /{parsed[0][0]}'
    return f'Borgerrådgiversager nr. {danish_list([label for _y, _n, label in parsed])}'


def percent(part, whole):
    """Whole per cent, as the report rounds them."""
    return round(100 * part / whole) if whole else 0
