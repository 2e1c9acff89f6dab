"""Who may do what, without the web framework, so the Pyramid security
policy and the CLI answer the same way.

A user's global roles grant permissions (schemas/roles.yaml); an object in
a read-only workflow state (a closed case), or inside one, withdraws the
write permissions from everyone.
"""


def readonly_state(types, context):
    """The read-only state that governs context, or None."""
    obj = context
    while obj is not None:
        info = types.get(getattr(obj, 'type_name', None))
        wf = info.workflow if info else None
        if wf and obj.review_state and wf.states[obj.review_state].readonly:
            return wf.states[obj.review_state]
        obj = getattr(obj, '__parent__', None)
    return None


def permits(types, user, context, permission):
    if user is None or not user.active:
        return False
    if permission not in types.role_permissions(user.roles):
        return False
    if permission in types.write_permissions and readonly_state(types, context):
        return False
    return True
