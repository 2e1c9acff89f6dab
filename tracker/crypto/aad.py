"""Associated data for AES-GCM sealing, one function per kind: sealing and
opening both call these, so a value only opens where it was sealed (the
object, field, history entry or user it belongs to)."""


def field_aad(uid: str, field_name: str) -> bytes:
    """A protected field value, or a stored file's name, data and text."""
    return f'{uid}/{field_name}'.encode('ascii')


def comment_aad(uid: str, position: int) -> bytes:
    """The comment of review history entry number `position`."""
    return f'{uid}/history/{position}'.encode('ascii')


def totp_aad(login: str) -> bytes:
    """A user's TOTP secret."""
    return f'user:{login}/totp'.encode()


KEY_CHECK_AAD = b'tracker/key-check'


def key_check_aad() -> bytes:
    """The value that proves a key file belongs to the database."""
    return KEY_CHECK_AAD
