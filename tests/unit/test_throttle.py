"""Login throttling: pure functions over a persistent mapping."""

from datetime import UTC, datetime, timedelta

import pytest
import transaction
from BTrees.OOBTree import OOBTree
from ZODB import DB
from ZODB.MappingStorage import MappingStorage

from tracker.security import throttle
from tracker.security.throttle import (
    ACCOUNT_LIMIT,
    ADDRESS_LIMIT,
    LOCKOUT,
    WINDOW,
    check,
    prune,
    record_failure,
    record_success,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
IP = '192.0.2.10'


def at(minutes=0, seconds=0):
    return T0 + timedelta(minutes=minutes, seconds=seconds)


@pytest.fixture
def failures():
    return OOBTree()


def test_policy_numbers():
    assert (ACCOUNT_LIMIT, ADDRESS_LIMIT) == (5, 20)
    assert WINDOW == LOCKOUT == timedelta(minutes=15)


def test_lockout_after_exactly_five_failures(failures):
    for i in range(4):
        assert check(failures, 'rita', IP, at(seconds=i)) is None
        assert record_failure(failures, 'rita', IP, at(seconds=i)) is None
    assert check(failures, 'rita', IP, at(seconds=4)) is None
    until = record_failure(failures, 'rita', IP, at(seconds=4))
    assert until == at(seconds=4) + LOCKOUT
    assert check(failures, 'rita', IP, at(seconds=5)) == until
    # Another account from the same address is not locked by rita's count.
    assert check(failures, 'jens', IP, at(seconds=5)) is None


def test_lock_holds_for_fifteen_minutes_then_lifts(failures):
    for i in range(5):
        record_failure(failures, 'rita', IP, at(seconds=i))
    until = at(seconds=4) + LOCKOUT
    assert check(failures, 'rita', IP, until - timedelta(seconds=1)) == until
    assert check(failures, 'rita', IP, until) is None
    # After the lock a new count starts: one failure does not lock again.
    assert record_failure(failures, 'rita', IP, until) is None
    assert check(failures, 'rita', IP, until + timedelta(seconds=1)) is None
    for i in range(1, 4):
        assert record_failure(failures, 'rita', IP, until + timedelta(seconds=i)) is None
    assert record_failure(failures, 'rita', IP, until + timedelta(seconds=4)) is not None


def test_failures_while_locked_do_not_extend_the_lock(failures):
    for i in range(5):
        record_failure(failures, 'rita', IP, at(seconds=i))
    until = check(failures, 'rita', IP, at(minutes=1))
    for m in range(2, 14):
        assert record_failure(failures, 'rita', IP, at(minutes=m)) == until
    assert check(failures, 'rita', IP, until) is None


def test_failures_outside_the_window_do_not_count(failures):
    # Four failures, then a long pause: the old ones expire.
    for i in range(4):
        record_failure(failures, 'rita', IP, at(minutes=i))
    assert record_failure(failures, 'rita', IP, at(minutes=16)) is None
    assert check(failures, 'rita', IP, at(minutes=16)) is None
    # Sliding window: at minute 16 the failures at minutes 0 and 1 have
    # left the window, those at minutes 2 and 3 still count (2, 3, 16 = 3).
    assert record_failure(failures, 'rita', IP, at(minutes=16, seconds=30)) is None  # 4
    assert (
        record_failure(failures, 'rita', IP, at(minutes=16, seconds=45))
        == at(minutes=16, seconds=45) + LOCKOUT
    )  # 5


def test_five_failures_spread_over_more_than_the_window_do_not_lock(failures):
    for i in range(10):
        assert record_failure(failures, 'rita', None, at(minutes=4 * i)) is None
    assert check(failures, 'rita', None, at(minutes=40)) is None


def test_address_lockout_across_many_accounts(failures):
    # 20 failures from one address, each against a different login, none
    # reaching the account limit.
    for i in range(ADDRESS_LIMIT - 1):
        assert record_failure(failures, f'user{i}', IP, at(seconds=i)) is None
    until = record_failure(failures, 'user19', IP, at(seconds=19))
    assert until == at(seconds=19) + LOCKOUT
    # Any account, even one never tried, is refused from that address...
    assert check(failures, 'rita', IP, at(seconds=30)) == until
    # ...but not from another address.
    assert check(failures, 'rita', '198.51.100.7', at(seconds=30)) is None
    assert check(failures, 'user3', '198.51.100.7', at(seconds=30)) is None
    assert check(failures, 'rita', IP, until) is None


def test_success_resets_only_the_account(failures):
    for i in range(4):
        record_failure(failures, 'rita', IP, at(seconds=i))
    for i in range(15):
        record_failure(failures, f'other{i}', IP, at(seconds=10 + i))
    # rita: 4 failures; the address: 19.
    record_success(failures, 'rita', at(seconds=30))
    assert throttle.account_key('rita') not in failures
    assert failures[throttle.address_key(IP)][1]  # the address count stays
    # rita may fail four more times without being locked by her account...
    for i in range(4):
        assert record_failure(failures, 'rita', '198.51.100.7', at(seconds=40 + i)) is None
    # ...but the address's 20th failure locks the address.
    assert record_failure(failures, 'rita', IP, at(seconds=50)) is not None
    assert check(failures, 'rita', '198.51.100.7', at(seconds=51)) is not None  # rita: 5th
    assert check(failures, 'jens', IP, at(seconds=51)) is not None


def test_success_without_failures_writes_nothing(failures):
    record_success(failures, 'rita', T0)
    assert len(failures) == 0


def test_keys_hold_no_password_and_values_are_tuples(failures):
    record_failure(failures, 'rita', IP, T0)
    assert sorted(failures.keys()) == ['account:rita', 'address:' + IP]
    for value in failures.values():
        assert isinstance(value, tuple) and isinstance(value[1], tuple)
    long_login = 'x' * 5000
    record_failure(failures, long_login, None, T0)
    assert max(len(k) for k in failures.keys()) < 300


def test_odd_input_is_counted_not_crashed(failures):
    record_failure(failures, None, '', T0)
    record_failure(failures, ['rita'], 42, T0)
    assert dict(failures) == {'account:': (None, (T0, T0))}


def test_prune_removes_only_what_no_longer_matters(failures):
    for i in range(5):
        record_failure(failures, 'locked', None, at(seconds=i))  # locked till ~15:04
    record_failure(failures, 'old', None, at(minutes=0))  # expires at 15:00
    record_failure(failures, 'recent', None, at(minutes=10))  # expires at 25:00
    assert prune(failures, at(minutes=5)) == 0
    assert prune(failures, at(minutes=15, seconds=1)) == 1  # 'old'
    assert sorted(failures.keys()) == ['account:locked', 'account:recent']
    assert prune(failures, at(minutes=15, seconds=4)) == 1  # the lock ended
    assert check(failures, 'locked', None, at(minutes=16)) is None
    assert prune(failures, at(minutes=25)) == 1
    assert len(failures) == 0


def test_state_survives_commit_and_is_seen_by_another_connection():
    """Stored in the database, the counts hold across processes."""
    db = DB(MappingStorage())
    try:
        tm1 = transaction.TransactionManager()
        conn1 = db.open(transaction_manager=tm1)
        with tm1:
            conn1.root()['failures'] = OOBTree()
        for i in range(5):
            with tm1:
                record_failure(conn1.root()['failures'], 'rita', IP, at(seconds=i))
        tm2 = transaction.TransactionManager()
        conn2 = db.open(transaction_manager=tm2)
        with tm2:
            assert (
                check(conn2.root()['failures'], 'rita', IP, at(minutes=1))
                == at(seconds=4) + LOCKOUT
            )
        conn1.close()
        conn2.close()
    finally:
        db.close()
