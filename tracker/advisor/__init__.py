"""The advisor's own work: written questions, statements with findings,
recommendations followed up, processing time and everyone's deadlines.
`processing` and `anonymity` are pure; `rules` holds the named schema rules
and workflow guards; `deadlines` gathers what is due (catalog queries)."""

from . import rules  # noqa: F401,E402 (registers the named rules and guards)
