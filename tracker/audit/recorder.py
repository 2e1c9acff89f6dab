"""What the services and views call to leave a trail: one `record` per
event, appended to the hash-chained log in the audit database, inside the
same transaction as the change it describes (so a change that is rolled
back leaves no entry, and an entry cannot exist without its change)."""

from typing import TYPE_CHECKING, Any

from .log import AuditEntry, get_log, utc_now

if TYPE_CHECKING:
    from ..crypto.keyring import KeyRing


class Recorder:
    def __init__(
        self,
        audit_conn: Any,
        ring: 'KeyRing | None',
        actor: str | None,
        address: str | None = None,
        *,
        mac: Any = None,
    ) -> None:
        if mac is None:
            if ring is None:
                raise ValueError('A Recorder needs the key ring (or its audit MAC).')
            mac = ring.audit_mac
        self._conn = audit_conn
        self._mac = mac
        self.actor = actor
        self.address = address

    def for_actor(self, actor: str | None) -> 'Recorder':
        """The same log and address with another actor (a login names the
        user only once the attempt succeeded)."""
        return Recorder(self._conn, None, actor, self.address, mac=self._mac)

    def record(self, action: str, target: str | None = None, **details: Any) -> AuditEntry:
        """details must never hold personal data: field *names*, states,
        logins of staff, counts — not values of protected fields."""
        if self.address:
            details.setdefault('address', self.address)
        return get_log(self._conn).append(
            self._mac,
            time=utc_now(),
            actor=self.actor,
            action=action,
            target=target,
            details=details,
        )
