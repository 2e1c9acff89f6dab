"""GDPR rectification requests. `deadlines` and `completeness` are pure
domain rules (no Pyramid, no ZODB), tested on their own; `records` reads
their facts from the stored objects; `rules` holds the named schema rules
and workflow guards of the rectification types (`rules.register`, called by
the configuration)."""
