"""The advisor's own work: written questions, statements with findings,
recommendations followed up, processing time and everyone's deadlines.
`processing` and `anonymity` are pure; `rules` holds the named schema rules
and workflow guards (`rules.register`, called by the configuration);
`deadlines` gathers what is due (catalog queries)."""
