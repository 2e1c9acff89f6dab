"""Protected field values are stored sealed (AES-256-GCM, see
tracker.crypto) with the object's uid and the field name as associated
data, so a value moved to another object or field does not open."""

from ..crypto import KeyRingError, Sealed
from ..crypto.aad import comment_aad, field_aad


class Sealer:
    def __init__(self, ring):
        self.ring = ring

    def require_ring(self):
        if self.ring is None:
            raise KeyRingError(
                'Ingen nøglefil er indlæst: beskyttede felter kan ikke gemmes eller læses.'
            )
        return self.ring

    def seal(self, obj, info, values):
        """values (clear) -> values as stored."""
        out = dict(values)
        for f in info.fields:
            value = out.get(f.name)
            if f.protected and isinstance(value, str) and value:
                out[f.name] = self.require_ring().seal(value, field_aad(obj.uid, f.name))
        return out

    def open(self, obj, info):
        """Stored values -> clear values."""
        out = dict(obj.fields)
        for name, value in out.items():
            if isinstance(value, Sealed):
                out[name] = self.require_ring().open(value, field_aad(obj.uid, name))
        return out

    def open_field(self, obj, name):
        value = obj.fields.get(name)
        return (
            self.require_ring().open(value, field_aad(obj.uid, name))
            if isinstance(value, Sealed)
            else value
        )

    def reseal(self, obj):
        """Re-encrypt values sealed under an older key; True if any were."""
        ring = self.require_ring()
        stored, changed = dict(obj.fields), False
        for name, value in stored.items():
            if isinstance(value, Sealed) and ring.needs_reseal(value):
                aad = field_aad(obj.uid, name)
                stored[name] = ring.seal(ring.open(value, aad), aad)
                changed = True
        if changed:
            obj.fields = stored
        for position, entry in enumerate(obj.review_history):
            comment = entry.get('comment')
            if isinstance(comment, Sealed) and ring.needs_reseal(comment):
                aad = comment_aad(obj.uid, position)
                obj.review_history[position] = dict(
                    entry, comment=ring.seal(ring.open(comment, aad), aad)
                )
                changed = True
        return changed
