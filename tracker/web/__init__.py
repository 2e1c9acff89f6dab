"""The web layer's shared floor: request logic used by both renderings of
a URL, the HTML pages (tracker/views) and the JSON API (tracker/api), which
never import each other. Here: query parameters and search, batches and
listings, the login attempt, the journal import run, the rectification
queries, JSON bodies and values, and the registrations by content type
(the `type_name` view predicate; panels, listings, JSON extras, tabs)."""

from .predicates import TypeNamePredicate


def includeme(config):
    config.add_view_predicate('type_name', TypeNamePredicate)
    config.include('.by_type')
