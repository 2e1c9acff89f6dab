"""Content objects: every object is a BTree-backed container with
schema-driven field values, a workflow state and a review history.

Field values live in one dict that is replaced, never mutated in place, so
ZODB notices every change without PersistentMapping's per-field overhead.
"""

from typing import Any
from uuid import uuid4

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.list import PersistentList


class Content(Persistent):
    __name__ = None
    __parent__ = None
    # {login: (role, ...)} granted on this object and everything in it;
    # replaced on change, never mutated in place.
    local_roles: dict[str, tuple[str, ...]] = {}
    # Versioned types: a PersistentList of version records, oldest first.
    versions = ()
    # Rectification requests: their completeness gaps as of the last change
    # (see tracker/rectification/records.py), as plain tuples.
    gaps = ()
    # Numbered types: the number as people write it ("22/2024", "BR-2024-0017"),
    # from the type's numbering label; None means "N/YYYY".
    number_text = None

    def __init__(self, type_name, fields=None):
        self.type_name = type_name
        # A stable identity, bound into every encrypted value of this object.
        self.uid = uuid4().hex
        self.fields = dict(fields or {})
        self.review_state = None
        self.review_history = PersistentList()
        self.created = None
        self.modified = None
        self.creator = None
        self.docid = None
        self.number = None  # (number, year) for numbered types
        self._children = OOBTree()
        # Length resolves concurrent increments, so adding siblings in two
        # transactions does not conflict on the count.
        self._count = Length()

    # -- fields ---------------------------------------------------------
    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    @property
    def title(self):
        return self.fields.get('title') or self.__name__ or ''

    # -- container protocol ---------------------------------------------
    def __getitem__(self, name):
        return self._children[name]

    def __contains__(self, name):
        return name in self._children

    def get_child(self, name, default=None):
        return self._children.get(name, default)

    def __len__(self):
        return self._count()

    def __bool__(self):  # an empty container is still an object
        return True

    def child_names(self, min=None, max=None):
        return self._children.keys(min, max)

    def add_child(self, name, obj):
        if name in self._children:
            raise KeyError(name)
        obj.__name__ = name
        obj.__parent__ = self
        self._children[name] = obj
        self._count.change(1)
        return obj

    # -- review history ---------------------------------------------------
    def record_history(self, entry):
        self.review_history.append(dict(entry))


class Site(Content):
    """The root: holds the catalog, the principals and the counters."""

    def __init__(self, fields=None):
        super().__init__('site', fields)
        self.users = OOBTree()
        self.tokens = OOBTree()
        self.login_failures = OOBTree()  # throttling: see security/throttle.py
        self.ended_sessions = OOBTree()  # logged-out session ids: security/sessions.py
        self.counters = OOBTree()
        self.settings = OOBTree()
        self.catalog = None
        self.docmap = None
        self.extra_choices = OOBTree()  # (type, field) -> added (value, title_da, title_en)

    # Sites made before administrators could add choices
    choices_version = 0
    extra_choices: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {}
    signing_keys: dict[str, str] = {}  # key id -> Ed25519 public key (PEM) of every key that signed
    report_history: dict[
        int, int
    ] = {}  # year -> unique inquiries, entered for years before the tracker
