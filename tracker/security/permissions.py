"""Who may do what, without the web framework, so the Pyramid security
policy, the catalog's `allowed` index and the CLI answer the same way.

- A user's global roles (schemas/roles.yaml) grant their permissions
  everywhere; roles marked `global: false` grant nothing globally.
- Local roles granted on an object (its Sharing tab) grant their
  permissions on that object and everything inside it.
- Every logged-in user may *view* navigation containers (site, folders);
  their listings show only what the user may view.
- An object in a read-only workflow state (a closed case), or inside one,
  withdraws the write permissions from everyone.
"""

EVERYONE_LOGGED_IN = 'system.Authenticated'


def lineage(context):
    obj = context
    while obj is not None:
        yield obj
        obj = getattr(obj, '__parent__', None)


def readonly_state(types, context):
    """The read-only state that governs context, or None."""
    for obj in lineage(context):
        info = types.get(getattr(obj, 'type_name', None))
        wf = info.workflow if info else None
        if wf and obj.review_state and wf.states[obj.review_state].readonly:
            return wf.states[obj.review_state]
    return None


def local_roles_of(context, login):
    roles = set()
    for obj in lineage(context):
        roles.update(getattr(obj, 'local_roles', {}).get(login, ()))
    return roles


def effective_roles(types, user, context):
    return types.global_roles(user.roles) | local_roles_of(context, user.login)


def permits(types, user, context, permission):
    if user is None or not user.active:
        return False
    if permission in types.write_permissions and readonly_state(types, context):
        return False
    if permission in types.role_permissions(effective_roles(types, user, context)):
        return True
    if permission == 'view':
        info = types.get(getattr(context, 'type_name', None))
        return bool(info and info.navigation)
    return False


def viewing_principals(types, context):
    """Who may view context, as principals for the catalog's `allowed`
    index: 'role:<r>' for global roles with view, 'user:<login>' for local
    grants with view, EVERYONE_LOGGED_IN for navigation containers."""
    info = types.get(context.type_name)
    if info is not None and info.navigation:
        return [EVERYONE_LOGGED_IN]
    principals = {f'role:{name}' for name, role in types.roles.items()
                  if role.get('global', True) and 'view' in role.get('permissions', ())}
    for obj in lineage(context):
        for login, roles in getattr(obj, 'local_roles', {}).items():
            if 'view' in types.role_permissions(roles):
                principals.add(f'user:{login}')
    return sorted(principals)


def user_principals(types, user):
    """The principals a user's search is filtered by."""
    return ([EVERYONE_LOGGED_IN, f'user:{user.login}'] +
            [f'role:{r}' for r in sorted(types.global_roles(user.roles))])
