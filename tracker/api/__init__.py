"""The JSON API, plone.restapi-style: the same URLs as the HTML views, with
`Accept: application/json`; named endpoints start with `@`."""

from .openapi import build_openapi


def includeme(config):
    config.registry.tracker_openapi = build_openapi(config.registry.tracker_types)
    config.scan('.')
