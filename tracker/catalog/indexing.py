"""Catalog set-up and (re)indexing.

What an object contributes to the indexes is computed in one place,
`IndexView`, from the object and its type; the indexes themselves only
read attributes, so they stay plain persistent hypatia indexes. Protected
(personal) fields never reach an index.
"""

import random

from BTrees.LOBTree import LOBTree
from BTrees.OLBTree import OLBTree
from hypatia.catalog import Catalog
from hypatia.field import FieldIndex
from hypatia.keyword import KeywordIndex
from hypatia.text import TextIndex
from persistent import Persistent

from ..crypto.aad import field_aad
from ..documents.words import blind_words
from ..model.numbering import number_text
from ..security.permissions import viewing_principals

BUILTIN = {
    'type_name': 'field',
    'review_state': 'field',
    'path': 'keyword',  # every ancestor path: "everything under /sager"
    'parent': 'field',  # the parent's path: "children of /sager"
    'sort_title': 'field',
    'text': 'text',  # non-protected text fields, one full-text index
    'created': 'field',
    'modified': 'field',
    'number': 'field',  # "22/2024"
    'sequence': 'field',  # (2024, 22): sorts case numbers
    'allowed': 'keyword',  # principals who may view: search never shows more
    'creator': 'field',  # who created it: "my deadlines"
    'parent_state': 'field',  # the container's workflow state: "exemptions on open requests"
}


def path_of(obj):
    names = []
    while obj is not None and obj.__parent__ is not None:
        names.append(obj.__name__)
        obj = obj.__parent__
    return '/' + '/'.join(reversed(names))


def _ancestor_paths(path):
    parts = [p for p in path.split('/') if p]
    return ['/'] + ['/' + '/'.join(parts[:i]) for i in range(1, len(parts) + 1)]


class IndexView:
    """The values one object gives the indexes. Missing values stay unset,
    so hypatia leaves the object out of that index."""

    def __init__(self, obj, types, ring=None):
        info = types[obj.type_name]
        path = path_of(obj)
        self.allowed = viewing_principals(types, obj)
        self.type_name = obj.type_name
        if obj.review_state:
            self.review_state = obj.review_state
        self.path = _ancestor_paths(path)
        if obj.__parent__ is not None:
            self.parent = path_of(obj.__parent__)
            if getattr(obj.__parent__, 'review_state', None):
                self.parent_state = obj.__parent__.review_state
        self.sort_title = (obj.title or '').lower()
        if obj.created:
            self.created = obj.created
        if obj.creator:
            self.creator = obj.creator
        if obj.modified:
            self.modified = obj.modified
        if obj.number:
            number, year = obj.number
            self.number = number_text(obj, types)
            self.sequence = (year, number)
        texts = []
        for f in info.fields:
            value = obj.fields.get(f.name)
            if value is None or f.index is None:
                continue
            if f.index == 'words':
                text = ring.open(value.sealed_text, field_aad(obj.uid, f.name))
                words = blind_words(ring, text)
                if words:
                    setattr(self, f.name, words)
                continue
            if f.index == 'blind':
                # exact search without the clear value: a keyed hash of it
                clear = ring.open(value, field_aad(obj.uid, f.name))
                setattr(self, f.name, ring.blind_index(f.type, clear))
                continue
            if f.protected:
                continue
            # the field's kind says what its index holds
            if f.index == 'text':
                texts.append(f.kind.index_value('text', value))
            else:
                setattr(self, f.name, f.kind.index_value(f.index, value))
        if obj.number:
            texts.append(self.number)
        if texts:
            self.text = '\n'.join(texts)


class DocMap(Persistent):
    """docid <-> path. Random 63-bit docids avoid a shared counter that
    every concurrent add would conflict on."""

    def __init__(self):
        self.path_to_docid = OLBTree()
        self.docid_to_path = LOBTree()

    def new_docid(self):
        while True:
            docid = random.randrange(1, 2**62)
            if docid not in self.docid_to_path:
                return docid

    def add(self, docid, path):
        self.docid_to_path[docid] = path
        self.path_to_docid[path] = docid

    def path(self, docid):
        return self.docid_to_path.get(docid)

    def __len__(self):
        return len(self.docid_to_path)


def _make_index(name, kind):
    if kind == 'field':
        return FieldIndex(name)
    if kind == 'keyword':
        return KeywordIndex(name)
    return TextIndex(name)


class CatalogManager:
    """Keeps the site's catalog in step with the type registry."""

    def __init__(self, types, ring=None):
        self.types = types
        self.ring = ring

    def wanted_indexes(self):
        wanted = dict(BUILTIN)
        for name, kind in self.types.indexed_fields().items():
            if kind == 'blind':
                wanted[name] = 'field'  # holds keyed hashes, never clear values
            elif kind == 'words':
                wanted[name] = 'keyword'  # keyed hashes of a file's words
            elif kind != 'text':  # text fields feed the one 'text' index
                wanted[name] = kind
        return wanted

    def ensure(self, site):
        """Create the catalog and any index a schema added since the last
        start; fill new indexes from the objects. Returns the new names."""
        if site.catalog is None:
            site.catalog = Catalog()
            site.docmap = DocMap()
        catalog = site.catalog
        added = []
        for name, kind in self.wanted_indexes().items():
            if name not in catalog:
                catalog[name] = _make_index(name, kind)
                added.append(name)
        if added and len(site.docmap):
            for docid, path in site.docmap.docid_to_path.items():
                obj = resolve_path(site, path)
                if obj is None:
                    continue
                view = IndexView(obj, self.types, self.ring)
                for name in added:
                    catalog[name].index_doc(docid, view)
        return added

    def index(self, site, obj):
        view = IndexView(obj, self.types, self.ring)
        if obj.docid is None:
            obj.docid = site.docmap.new_docid()
            site.docmap.add(obj.docid, path_of(obj))
            site.catalog.index_doc(obj.docid, view)
        else:
            site.catalog.reindex_doc(obj.docid, view)

    def reindex_children(self, site, obj):
        """Reindex obj's direct children (their `parent_state` follows obj's
        state). A workflow object holds dozens of children, not thousands."""
        for name in obj.child_names():
            self.index(site, obj.get_child(name))

    def reindex_subtree(self, site, obj):
        """Reindex obj and everything in it (after a sharing change, which
        changes who may view them all)."""
        for docid in site.catalog['path'].applyEq(path_of(obj)):
            path = site.docmap.path(docid)
            child = resolve_path(site, path) if path else None
            if child is not None:
                site.catalog.reindex_doc(docid, IndexView(child, self.types, self.ring))


def resolve_path(site, path):
    obj = site
    for name in path.split('/'):
        if not name:
            continue
        obj = obj.get_child(name)
        if obj is None:
            return None
    return obj
