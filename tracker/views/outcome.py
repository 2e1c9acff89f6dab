"""How an HTML form post reports a service's refusal: one place for the
try/except every POST-and-redirect view needs."""

from pyramid.httpexceptions import HTTPForbidden

from ..services import NotAllowed, ServiceError
from .layout import flash


def carried_out(request, action, *args, **kwargs) -> bool:
    """Call `action`; False after a refusal. Not being allowed is 403; any other
    refusal undoes the transaction and is flashed for the page the view redirects to."""
    try:
        action(*args, **kwargs)
    except NotAllowed:
        raise HTTPForbidden() from None
    except ServiceError as e:
        request.tm.doom()
        flash(request, e.message, 'error')
        return False
    return True
