"""An append-only, hash-chained audit log kept in its own ZODB database.

Every entry carries the MAC of its predecessor (`prev_mac`) and its own MAC
over a canonical encoding of all its other fields. The MAC function is a
keyed HMAC supplied by the caller, so someone with write access to the
database but without the key cannot alter, remove, reorder or insert
entries without `verify` noticing.

What the chain cannot show on its own: an attacker who cuts the tail *and*
rewinds `head_seq`/`head_mac` to an earlier, genuine entry leaves a
consistent, shorter log. Anchor the head outside the database (e.g. write
`head_seq`/`head_mac` into periodic exports or the system log) to detect that.

The log lives in a separate database so it can be backed up, retained and
permissioned apart from the case data, and so packing or restoring the case
database never touches it.

Personal data: `details` is stored for ever and exported verbatim, so it
must never contain personal data (names, CPR numbers, free text from
citizens, ...). Record identifiers (paths, seqs, field names) instead.
Ensuring that is the caller's duty; this module cannot tell.
"""

import copy
import csv
import hmac
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

from BTrees.LLBTree import LLTreeSet
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

MacFunction = Callable[[bytes], str]
"""bytes -> hex digest; an HMAC with a key the database does not hold."""

FIELDS = ('seq', 'time', 'actor', 'action', 'target', 'details', 'prev_mac', 'mac')
ROOT_KEY = 'audit_log'


class AuditError(RuntimeError):
    """The log's structure does not allow the requested append."""


def utc_now() -> str:
    """The current time in the form entries store (see `normalize_time`)."""
    return datetime.now(UTC).isoformat(timespec='microseconds')


def normalize_time(value: str) -> str:
    """One fixed-width UTC form, 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00', so that
    times compare correctly as strings and hash identically everywhere.
    Naive times are refused: their zone is a guess."""
    if not isinstance(value, str):
        raise TypeError('time must be an ISO 8601 string')
    parsed = datetime.fromisoformat(value)
    if parsed.utcoffset() is None:
        raise ValueError(f'time has no UTC offset: {value!r}')
    return parsed.astimezone(UTC).isoformat(timespec='microseconds')


def _canonical_json(value: object) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(',', ':'), ensure_ascii=False, allow_nan=False
    )


def _normalize_details(details: object) -> dict[str, Any]:
    """A private JSON round-trip copy: rejects what JSON cannot hold, and makes
    the stored value equal to what a reload or an export gives back (tuples
    become lists, int keys become strings), so the MAC stays valid."""
    if details is None:
        return {}
    if not isinstance(details, dict):
        raise TypeError('details must be a dict')
    normalized: dict[str, Any] = json.loads(_canonical_json(details))
    return normalized


def _optional_name(value: str | None, field: str) -> str | None:
    if value is not None and (not isinstance(value, str) or not value):
        # '' is refused so that an empty CSV cell unambiguously means None.
        raise ValueError(f'{field} must be None or a non-empty string')
    return value


class AuditEntry:
    """One immutable log record.

    A plain value object, not Persistent: entries are stored by value inside
    the BTree buckets, never get their own oid, and cannot be changed in
    place; the only way to alter one is to replace it in the tree, which
    `verify` detects.
    """

    __slots__ = ('seq', 'time', 'actor', 'action', 'target', '_details', 'prev_mac', 'mac')
    seq: int
    time: str
    actor: str | None
    action: str
    target: str | None
    _details: dict[str, Any]
    prev_mac: str
    mac: str

    def __init__(
        self,
        seq: int,
        time: str,
        actor: str | None,
        action: str,
        target: str | None,
        details: dict[str, Any] | None,
        prev_mac: str,
        mac: str,
    ) -> None:
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise TypeError('seq must be an int')
        if not isinstance(time, str):
            raise TypeError('time must be a string')
        if not isinstance(action, str) or not action:
            raise ValueError('action must be a non-empty string')
        if not isinstance(prev_mac, str) or not isinstance(mac, str):
            raise TypeError('prev_mac and mac must be strings')
        init = object.__setattr__
        init(self, 'seq', seq)
        init(self, 'time', time)
        init(self, 'actor', _optional_name(actor, 'actor'))
        init(self, 'action', action)
        init(self, 'target', _optional_name(target, 'target'))
        init(self, '_details', _normalize_details(details))
        init(self, 'prev_mac', prev_mac)
        init(self, 'mac', mac)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError('AuditEntry is immutable')

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError('AuditEntry is immutable')

    def __reduce__(self) -> tuple[type['AuditEntry'], tuple[Any, ...]]:
        # Slots plus a blocked __setattr__ defeat default pickling; rebuild
        # through the constructor instead.
        return (
            AuditEntry,
            (
                self.seq,
                self.time,
                self.actor,
                self.action,
                self.target,
                self._details,
                self.prev_mac,
                self.mac,
            ),
        )

    @property
    def details(self) -> dict[str, Any]:
        """A copy, so callers cannot change the stored entry through it."""
        return copy.deepcopy(self._details)

    def to_dict(self) -> dict[str, Any]:
        return {
            'seq': self.seq,
            'time': self.time,
            'actor': self.actor,
            'action': self.action,
            'target': self.target,
            'details': self.details,
            'prev_mac': self.prev_mac,
            'mac': self.mac,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> 'AuditEntry':
        return cls(*(data[name] for name in FIELDS))

    def canonical_bytes(self) -> bytes:
        """What the MAC covers: every field except `mac` itself."""
        fields = self.to_dict()
        del fields['mac']
        return _canonical_json(fields).encode('utf-8')

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AuditEntry):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.seq, self.mac))

    def __repr__(self) -> str:
        return (
            f'AuditEntry(seq={self.seq}, time={self.time!r}, actor={self.actor!r}, '
            f'action={self.action!r}, target={self.target!r}, mac={self.mac[:12]!r}...)'
        )


class AuditLog(Persistent):  # type: ignore[misc]  # persistent ships no types
    """The chain of entries, keyed 1, 2, 3, ... in `_entries`, with indexes by
    target path and by actor. Never capped, never pruned.

    Every append rewrites `head_seq`/`head_mac` on this object, so two
    transactions appending at once conflict (ConflictError) and the
    application's retry appends on top of the winner: the chain cannot fork.
    That is why there is deliberately no `_p_resolveConflict`.
    """

    def __init__(self) -> None:
        self._entries = LOBTree()
        self.by_target = OOBTree()  # path -> LLTreeSet of seqs
        self.by_actor = OOBTree()  # actor -> LLTreeSet of seqs
        self.head_seq = 0
        self.head_mac = ''

    def append(
        self,
        mac: MacFunction,
        *,
        time: str,
        actor: str | None,
        action: str,
        target: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Add one entry on top of the head and return it.

        `time` is normalised to UTC; if it is earlier than the previous
        entry's (clock skew between servers) it is raised to that time, so
        that time order always equals seq order, which `between` relies on.
        """
        time = normalize_time(time)
        seq = self.head_seq + 1
        previous = self._entries.get(self.head_seq) if self.head_seq else None
        if previous is not None and time < previous.time:
            time = previous.time
        unsigned = AuditEntry(seq, time, actor, action, target, details, self.head_mac, '')
        signature = mac(unsigned.canonical_bytes())
        if not isinstance(signature, str) or not signature:
            raise TypeError('mac must return a non-empty hex string')
        entry = AuditEntry(
            seq, time, actor, action, target, unsigned._details, self.head_mac, signature
        )
        if not self._entries.insert(seq, entry):
            raise AuditError(f'an entry already exists at seq {seq}, beyond the head; run verify()')
        if target is not None:
            _index_add(self.by_target, target, seq)
        if actor is not None:
            _index_add(self.by_actor, actor, seq)
        self.head_seq = seq
        self.head_mac = signature
        return entry

    def __len__(self) -> int:
        return self.head_seq

    def entries(self, start_seq: int = 1, end_seq: int | None = None) -> Iterator[AuditEntry]:
        """Entries with start_seq <= seq <= end_seq (inclusive), in seq order."""
        if end_seq is None:
            return iter(self._entries.values(min=start_seq))
        return iter(self._entries.values(min=start_seq, max=end_seq))

    def for_target(self, path: str) -> Iterator[AuditEntry]:
        """Entries about one object path, in seq order."""
        return self._from_index(self.by_target, path)

    def for_actor(self, actor: str) -> Iterator[AuditEntry]:
        """Entries made by one actor, in seq order."""
        return self._from_index(self.by_actor, actor)

    def between(
        self, start_time: str | None = None, end_time: str | None = None
    ) -> Iterator[AuditEntry]:
        """Entries with start_time <= time < end_time (None: unbounded).

        Binary-searches the first seq, since times never decrease with seq.
        """
        # Parse the bounds now, not on first iteration, so bad input fails here.
        start = normalize_time(start_time) if start_time is not None else None
        end = normalize_time(end_time) if end_time is not None else None
        first = self._first_seq_at_or_after(start) if start is not None else 1
        return self._scan_times(first, start, end)

    def _scan_times(self, first: int, start: str | None, end: str | None) -> Iterator[AuditEntry]:
        for entry in self._entries.values(min=first):
            if end is not None and entry.time >= end:
                break
            if start is None or entry.time >= start:
                yield entry

    def _first_seq_at_or_after(self, time: str) -> int:
        low, high = 1, self.head_seq + 1
        while low < high:
            middle = (low + high) // 2
            entry = self._entries.get(middle)
            if entry is None:  # a damaged log: fall back to a full scan
                return 1
            if entry.time < time:
                low = middle + 1
            else:
                high = middle
        return low

    def _from_index(self, index: Any, key: str) -> Iterator[AuditEntry]:
        for seq in index.get(key, ()):
            entry = self._entries.get(seq)
            if entry is not None:
                yield entry


def _index_add(index: Any, key: str, seq: int) -> None:
    seqs = index.get(key)
    if seqs is None:
        seqs = index[key] = LLTreeSet()
    seqs.add(seq)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # entries found good before the first problem
    first_bad_seq: int | None = None
    reason: str | None = None


def verify(log: AuditLog, mac: MacFunction) -> VerifyResult:
    """Walk the chain 1..head_seq and report the first seq that is wrong.

    Checks, per seq: the entry exists, it is stored under its own seq, its
    prev_mac is the previous entry's mac, and its mac is right for `mac`'s
    key. Then: head_mac is the last entry's mac, and nothing lies beyond
    head_seq (or below 1). The by_target/by_actor indexes are derived data
    and are not checked.
    """
    tree = log._entries
    stray_low = next(iter(tree.keys(max=0)), None)
    if stray_low is not None:
        return VerifyResult(False, 0, stray_low, 'entry stored below seq 1')
    expected_prev = ''
    checked = 0
    for seq in range(1, log.head_seq + 1):
        entry = tree.get(seq)
        if entry is None:
            return VerifyResult(False, checked, seq, 'entry missing (deleted)')
        if entry.seq != seq:
            return VerifyResult(
                False, checked, seq, f'entry stored at seq {seq} claims seq {entry.seq} (moved)'
            )
        if entry.prev_mac != expected_prev:
            return VerifyResult(
                False,
                checked,
                seq,
                'prev_mac does not match the previous entry (reordered, '
                'inserted or a predecessor deleted)',
            )
        if not hmac.compare_digest(mac(entry.canonical_bytes()), entry.mac):
            return VerifyResult(False, checked, seq, 'mac mismatch (altered, or wrong key)')
        expected_prev = entry.mac
        checked += 1
    if log.head_mac != expected_prev:
        return VerifyResult(False, checked, log.head_seq, 'head_mac does not match the last entry')
    stray_high = next(iter(tree.keys(min=log.head_seq + 1)), None)
    if stray_high is not None:
        return VerifyResult(False, checked, stray_high, 'entry stored beyond head_seq')
    return VerifyResult(True, checked)


def export(entries: Iterable[AuditEntry], fmt: str) -> str:
    """The entries as 'csv' (details as canonical JSON in one column; None as
    an empty cell) or 'json' (a list of objects). Everything needed to
    re-check each mac with the key travels along."""
    if fmt == 'json':
        return json.dumps([entry.to_dict() for entry in entries], ensure_ascii=False, indent=2)
    if fmt == 'csv':
        out = io.StringIO(newline='')
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for entry in entries:
            writer.writerow(
                [
                    entry.seq,
                    entry.time,
                    entry.actor or '',
                    entry.action,
                    entry.target or '',
                    _canonical_json(entry._details),
                    entry.prev_mac,
                    entry.mac,
                ]
            )
        return out.getvalue()
    raise ValueError(f'unknown export format {fmt!r}; use csv or json')


def parse_export(text: str, fmt: str) -> list[AuditEntry]:
    """The inverse of `export`, for checking an exported file offline."""
    if fmt == 'json':
        return [AuditEntry.from_dict(item) for item in json.loads(text)]
    if fmt == 'csv':
        rows = csv.DictReader(io.StringIO(text, newline=''))
        return [
            AuditEntry(
                int(row['seq']),
                row['time'],
                row['actor'] or None,
                row['action'],
                row['target'] or None,
                json.loads(row['details']),
                row['prev_mac'],
                row['mac'],
            )
            for row in rows
        ]
    raise ValueError(f'unknown export format {fmt!r}; use csv or json')


def get_log(conn: Any) -> AuditLog:
    """The log at the root of a connection to the AUDIT database (in a
    multi-database setup: `conn.get_connection('audit')`), created if missing.
    Creating it is a change in the caller's transaction; it is not committed
    here."""
    root = conn.root()
    log: AuditLog | None = root.get(ROOT_KEY)
    if log is None:
        log = root[ROOT_KEY] = AuditLog()
    return log
