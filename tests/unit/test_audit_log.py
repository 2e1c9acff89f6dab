"""The audit log over a real ZODB: chaining, tamper detection, concurrency,
export and queries. No web app involved."""

import csv
import hashlib
import hmac
import io
import json
import pickle
from datetime import UTC, datetime, timedelta

import pytest
import transaction
import ZODB
from persistent import Persistent
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from tracker.audit import (
    AuditEntry,
    AuditError,
    AuditLog,
    VerifyResult,
    export,
    get_log,
    parse_export,
    verify,
)

KEY = b'audit-test-key-' + b'k' * 17
OTHER_KEY = b'not-the-key-' + b'x' * 20
BASE = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def hmac_sha256(key):
    return lambda data: hmac.new(key, data, hashlib.sha256).hexdigest()


MAC = hmac_sha256(KEY)
FORGER = hmac_sha256(OTHER_KEY)


def at(seconds):
    return (BASE + timedelta(seconds=seconds)).isoformat(timespec='microseconds')


def fill(log, count, start=0):
    actors = ['rita', 'jens', None]
    for i in range(start, start + count):
        log.append(
            MAC,
            time=at(i),
            actor=actors[i % 3],
            action=['add', 'edit', 'view_protected', 'export'][i % 4],
            target=f'/sager/{i % 7}-2024',
            details={'n': i},
        )


@pytest.fixture
def db():
    database = ZODB.DB(None)
    yield database
    database.close()


def open_conn(db):
    """A connection with its own transaction manager, as each request has."""
    tm = transaction.TransactionManager()
    return tm, db.open(tm)


@pytest.fixture
def conn(db):
    tm, connection = open_conn(db)
    yield connection
    tm.abort()
    connection.close()


@pytest.fixture
def log20(conn):
    """A committed log of 20 entries."""
    log = get_log(conn)
    fill(log, 20)
    conn.transaction_manager.commit()
    assert verify(log, MAC).ok
    return log


def forged(entry, **changes):
    """What someone with database access but without the key can make."""
    fields = entry.to_dict()
    fields.update(changes, mac='')
    unsigned = AuditEntry.from_dict(fields)
    return AuditEntry.from_dict(dict(fields, mac=FORGER(unsigned.canonical_bytes())))


# -- appending ---------------------------------------------------------------


def test_appends_chain_each_entry_to_its_predecessor(conn):
    log = get_log(conn)
    first = log.append(MAC, time=at(0), actor='rita', action='login')
    second = log.append(
        MAC,
        time=at(1),
        actor='rita',
        action='add',
        target='/sager/22-2024',
        details={'type': 'case'},
    )
    third = log.append(MAC, time=at(2), actor=None, action='export')

    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_mac == ''
    assert second.prev_mac == first.mac and third.prev_mac == second.mac
    for entry in (first, second, third):
        assert entry.mac == MAC(entry.canonical_bytes())
    assert (log.head_seq, log.head_mac, len(log)) == (3, third.mac, 3)
    assert list(log.entries()) == [first, second, third]


def test_entry_is_an_immutable_picklable_value(conn):
    entry = get_log(conn).append(
        MAC,
        time=at(0),
        actor='rita',
        action='share',
        target='/sager/1-2024',
        details={'with': ['cbf']},
    )
    assert not isinstance(entry, Persistent)
    with pytest.raises(AttributeError):
        entry.details = {}
    with pytest.raises(AttributeError):
        entry.newattr = 1
    entry.details['with'].append('other')  # a copy: the entry is unchanged
    assert entry.details == {'with': ['cbf']}
    assert pickle.loads(pickle.dumps(entry)) == entry


def test_canonical_bytes_cover_everything_but_the_mac(conn):
    entry = get_log(conn).append(
        MAC,
        time=at(0),
        actor='søren',
        action='edit',
        target='/sager/Ærø',
        details={'b': 1, 'a': [1, 2]},
    )
    decoded = json.loads(entry.canonical_bytes().decode('utf-8'))
    assert set(decoded) == {'seq', 'time', 'actor', 'action', 'target', 'details', 'prev_mac'}
    text = entry.canonical_bytes().decode('utf-8')
    assert 'søren' in text and ' ' not in text and text.index('"action"') < text.index('"actor"')
    assert '{"a":[1,2],"b":1}' in text


def test_append_normalises_time_and_validates_input(conn):
    log = get_log(conn)
    entry = log.append(MAC, time='2024-03-01T10:00:00+01:00', actor='rita', action='login')
    assert entry.time == '2024-03-01T09:00:00.000000+00:00'
    entry = log.append(MAC, time='2024-03-01T09:30:00Z', actor='rita', action='login')
    assert entry.time == '2024-03-01T09:30:00.000000+00:00'
    # A server clock behind the last entry's: time is held at the predecessor's.
    behind = log.append(MAC, time='2024-03-01T09:00:00Z', actor='rita', action='login')
    assert behind.time == entry.time

    with pytest.raises(ValueError):
        log.append(MAC, time='2024-03-01T09:00:00', actor='rita', action='login')  # naive
    with pytest.raises(TypeError):
        log.append(MAC, time=at(9), actor='rita', action='add', details={'x': object()})
    with pytest.raises(ValueError):
        log.append(MAC, time=at(9), actor='', action='add')
    with pytest.raises(ValueError):
        log.append(MAC, time=at(9), actor='rita', action='')
    assert log.head_seq == 3 and verify(log, MAC).ok


def test_get_log_creates_the_log_once(db):
    tm, conn = open_conn(db)
    log = get_log(conn)
    assert isinstance(log, AuditLog) and len(log) == 0
    tm.commit()
    assert get_log(conn) is log and conn.root()['audit_log'] is log
    conn.close()


# -- verification ------------------------------------------------------------


def test_verify_passes_on_an_intact_log_of_hundreds_of_entries(db):
    tm, conn = open_conn(db)
    log = get_log(conn)
    for chunk in range(6):
        fill(log, 50, start=chunk * 50)
        tm.commit()
    conn.close()

    tm, conn = open_conn(db)  # fresh connection: entries come from pickles
    result = verify(get_log(conn), MAC)
    assert result == VerifyResult(ok=True, checked=300, first_bad_seq=None, reason=None)
    conn.close()


def test_verify_of_an_empty_log(conn):
    assert verify(get_log(conn), MAC) == VerifyResult(True, 0)


def test_wrong_key_fails_at_seq_1(log20):
    result = verify(log20, FORGER)
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 1, 0)
    assert 'mac' in result.reason


def test_detects_an_entry_altered_and_re_maced_without_the_key(log20):
    original = log20._entries[7]
    log20._entries[7] = forged(original, details={'n': 'rewritten'})
    result = verify(log20, MAC)
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 7, 6)
    assert 'mac mismatch' in result.reason


def test_detects_a_deleted_entry(log20):
    del log20._entries[7]
    result = verify(log20, MAC)
    assert (result.ok, result.first_bad_seq) == (False, 7)
    assert 'missing' in result.reason


def test_detects_two_swapped_entries(log20):
    five, nine = log20._entries[5], log20._entries[9]
    log20._entries[5], log20._entries[9] = nine, five
    result = verify(log20, MAC)
    assert (result.ok, result.first_bad_seq) == (False, 5)


def test_detects_swapped_entries_relabelled_with_their_new_seq(log20):
    five, nine = log20._entries[5], log20._entries[9]
    log20._entries[5] = forged(nine, seq=5)
    log20._entries[9] = forged(five, seq=9)
    result = verify(log20, MAC)
    assert (result.ok, result.first_bad_seq) == (False, 5)


def test_detects_a_truncated_tail_with_head_seq_left(log20):
    for seq in range(16, 21):
        del log20._entries[seq]
    result = verify(log20, MAC)
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 16, 15)


def test_detects_a_head_that_does_not_match_the_last_entry(log20):
    for seq in range(16, 21):
        del log20._entries[seq]
    log20.head_seq = 15  # head_mac still that of seq 20
    result = verify(log20, MAC)
    assert (result.ok, result.first_bad_seq) == (False, 15)
    assert 'head' in result.reason


def test_detects_entries_beyond_the_head(log20):
    extra = forged(log20._entries[20], seq=21, prev_mac=log20.head_mac)
    log20._entries[21] = extra
    result = verify(log20, MAC)
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 21, 20)
    with pytest.raises(AuditError):  # and appending will not overwrite it
        log20.append(MAC, time=at(99), actor='rita', action='login')


def test_tampering_survives_commit_and_is_found_from_another_connection(db):
    tm, conn = open_conn(db)
    log = get_log(conn)
    fill(log, 30)
    tm.commit()
    log._entries[12] = forged(log._entries[12], action='view_protected')
    tm.commit()
    conn.close()
    tm, conn = open_conn(db)
    assert verify(get_log(conn), MAC).first_bad_seq == 12
    conn.close()


# -- concurrency -------------------------------------------------------------


def test_concurrent_appends_conflict_and_the_retry_extends_the_chain(db):
    tm, conn = open_conn(db)
    get_log(conn)
    tm.commit()
    conn.close()

    tm1, conn1 = open_conn(db)
    tm2, conn2 = open_conn(db)
    get_log(conn1).append(MAC, time=at(1), actor='rita', action='login')
    get_log(conn2).append(MAC, time=at(2), actor='jens', action='login')
    tm1.commit()
    with pytest.raises(ConflictError):
        tm2.commit()

    tm2.abort()  # what the application's retry does
    get_log(conn2).append(MAC, time=at(2), actor='jens', action='login')
    tm2.commit()

    tm3, conn3 = open_conn(db)
    log = get_log(conn3)
    assert verify(log, MAC) == VerifyResult(True, 2)
    assert [(e.seq, e.actor) for e in log.entries()] == [(1, 'rita'), (2, 'jens')]
    for c in (conn1, conn2, conn3):
        c.close()


def test_file_storage_round_trip(tmp_path):
    path = str(tmp_path / 'audit.fs')
    database = ZODB.DB(FileStorage(path))
    with database.transaction() as conn:
        fill(get_log(conn), 120)
    with database.transaction() as conn:
        get_log(conn).append(
            MAC,
            time=at(500),
            actor='admin',
            action='export',
            details={'format': 'csv', 'note': 'æøå'},
        )
    database.close()

    database = ZODB.DB(FileStorage(path))
    with database.transaction() as conn:
        log = get_log(conn)
        assert verify(log, MAC) == VerifyResult(True, 121)
        last = next(log.entries(121))
        assert last.details == {'format': 'csv', 'note': 'æøå'}
        assert type(last) is AuditEntry
    database.close()


# -- export and queries ------------------------------------------------------


@pytest.mark.parametrize('fmt', ['csv', 'json'])
def test_export_round_trips_every_field(log20, fmt):
    log20.append(
        MAC,
        time=at(30),
        actor='søren',
        action='edit',
        target='/sager/Ærø',
        details={'fields': ['title', 'kind'], 'nested': {'x': 1}},
    )
    entries = list(log20.entries())
    text = export(entries, fmt)
    parsed = parse_export(text, fmt)
    assert parsed == entries
    assert all(MAC(e.canonical_bytes()) == e.mac for e in parsed)  # checkable offline


def test_export_csv_layout(log20):
    text = export(log20.entries(1, 3), 'csv')
    rows = list(csv.reader(io.StringIO(text, newline='')))
    assert rows[0] == ['seq', 'time', 'actor', 'action', 'target', 'details', 'prev_mac', 'mac']
    assert len(rows) == 4
    third = log20._entries[3]  # actor None -> empty cell
    assert rows[3] == [
        '3',
        third.time,
        '',
        third.action,
        third.target,
        '{"n":2}',
        third.prev_mac,
        third.mac,
    ]
    data = json.loads(export(log20.entries(1, 3), 'json'))
    assert data[2]['actor'] is None and data[2]['details'] == {'n': 2}
    with pytest.raises(ValueError):
        export([], 'xml')


def test_queries_by_target_actor_seq_and_time(log20):
    assert [e.seq for e in log20.for_target('/sager/3-2024')] == [4, 11, 18]
    assert list(log20.for_target('/sager/none')) == []
    assert [e.seq for e in log20.for_actor('jens')] == [2, 5, 8, 11, 14, 17, 20]
    assert list(log20.for_actor('nobody')) == []
    assert [e.seq for e in log20.entries(5, 7)] == [5, 6, 7]
    assert [e.seq for e in log20.entries(18)] == [18, 19, 20]
    # between is half-open: start <= time < end; bounds may use any UTC offset.
    assert [e.seq for e in log20.between(at(4), at(7))] == [5, 6, 7]
    assert [e.seq for e in log20.between('2024-03-01T09:00:17+01:00')] == [18, 19, 20]
    assert [e.seq for e in log20.between(end_time=at(2))] == [1, 2]
    assert list(log20.between(at(100), at(200))) == []
    assert len(list(log20.between())) == 20 == len(log20)
    with pytest.raises(ValueError):
        log20.between('2024-03-01T09:00:00')  # naive bound refused at once


def test_between_with_equal_timestamps(conn):
    log = get_log(conn)
    for i in range(10):
        log.append(MAC, time=at(i // 4), actor='rita', action='view_protected')
    assert [e.seq for e in log.between(at(1), at(2))] == [5, 6, 7, 8]
