"""Who may do what, as Pyramid ACLs computed from data, so the security
policy, the catalog's `allowed` index and the CLI answer the same way.

Each object's ACL (`acl_for`), walked from the object up to the site by
Pyramid's ACLHelper, first match deciding:

- an object in a read-only workflow state (a closed case), or inside one:
  Deny everyone the write permissions;
- local roles granted on the object (its Sharing tab): Allow `user:<login>`
  those roles' permissions, here and below;
- navigation containers (site, folders): Allow every logged-in user `view`
  of the container itself, not inherited (listings show only what the user
  may view);
- the site: Allow `role:<r>` each global role's permissions
  (schemas/roles.yaml; roles marked `global: false` get no entry), then
  deny everything else.

The model knows nothing of this: ACLs are computed here, on demand.
"""

import weakref

from pyramid.authorization import (
    ALL_PERMISSIONS,
    DENY_ALL,
    ACLHelper,
    Allow,
    Authenticated,
    Deny,
    Everyone,
)

EVERYONE_LOGGED_IN = Authenticated
_helper = ACLHelper()


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


def _own_state_readonly(types, obj):
    info = types.get(getattr(obj, 'type_name', None))
    wf = info.workflow if info else None
    return bool(wf and obj.review_state and wf.states[obj.review_state].readonly)


# the type registry is immutable: its site ACL is kept beside it, not on it
_SITE_ACLS: 'weakref.WeakKeyDictionary[object, list[tuple[str, str, object]]]' = (
    weakref.WeakKeyDictionary()
)


def _site_acl(types):
    """The site's entries depend on roles.yaml only: built once per registry."""
    acl = _SITE_ACLS.get(types)
    if acl is None:
        acl = [
            (Allow, f'role:{name}', sorted(role.get('permissions', ())))
            for name, role in types.roles.items()
            if role.get('global', True)
        ]
        acl.append(DENY_ALL)
        _SITE_ACLS[types] = acl
    return acl


def acl_for(types, obj, is_context=True, readonly=None):
    """The ACL of one object (its own entries; the walk adds its parents').
    The navigation grant applies to the container itself only (`is_context`):
    a folder anyone may open must not open everything in it."""
    acl = []
    if readonly is None:
        readonly = readonly_state(types, obj) is not None
    if readonly:
        acl.extend((Deny, Everyone, permission) for permission in sorted(types.write_permissions))
    for login, roles in sorted(getattr(obj, 'local_roles', {}).items()):
        acl.append((Allow, f'user:{login}', sorted(types.role_permissions(roles))))
    info = types.get(getattr(obj, 'type_name', None))
    if is_context and info is not None and (info.navigation or info.staff_readable):
        acl.append((Allow, Authenticated, 'view'))
    if getattr(obj, '__parent__', None) is None:
        acl.extend(_site_acl(types))
    return acl


class _WithACL:
    """An object as ACLHelper sees it: its computed ACL and its parent."""

    __slots__ = ('__acl__', '__parent__')

    def __init__(self, acl, parent):
        self.__acl__ = acl
        self.__parent__ = parent


def with_acls(types, context):
    """The context and its ancestors as ACLHelper walks them, read-only
    states worked out once from the site down."""
    objects = list(lineage(context))
    node, readonly = None, False
    for depth, obj in enumerate(reversed(objects)):
        readonly = readonly or _own_state_readonly(types, obj)
        node = _WithACL(acl_for(types, obj, depth == len(objects) - 1, readonly), node)
    return node


def principals_of(user):
    return [Everyone, Authenticated, f'user:{user.login}'] + [f'role:{r}' for r in user.roles]


def permits(types, user, context, permission):
    if user is None or not user.active:
        return False
    return bool(_helper.permits(with_acls(types, context), principals_of(user), permission))


def granted(types, user, context):
    """Every permission `user` holds on `context`, decided as Pyramid's
    ACLHelper decides one (walking context to site, the first entry that
    names one of the user's principals and the permission wins), but for all
    permissions in one walk: a page asks a dozen questions about one object.
    `permits` above stays the reference; a test checks both agree."""
    if user is None or not user.active:
        return frozenset()
    principals = set(principals_of(user))
    decided = {}
    node = with_acls(types, context)
    everything = set(types.role_permissions(types.roles)) | set(types.write_permissions) | {'view'}
    while node is not None:
        for action, principal, perms in node.__acl__:
            if principal not in principals:
                continue
            names = (
                everything
                if perms is ALL_PERMISSIONS
                else ([perms] if isinstance(perms, str) else perms)
            )
            for name in names:
                decided.setdefault(name, action)
        node = node.__parent__
    return frozenset(name for name, action in decided.items() if action == Allow)


def viewing_principals(types, context):
    """Who may view context, as principals for the catalog's `allowed`
    index: 'role:<r>' for global roles with view, 'user:<login>' for local
    grants with view, EVERYONE_LOGGED_IN for navigation containers."""
    info = types.get(context.type_name)
    if info is not None and (info.navigation or info.staff_readable):
        return [EVERYONE_LOGGED_IN]
    principals = {
        f'role:{name}'
        for name, role in types.roles.items()
        if role.get('global', True) and 'view' in role.get('permissions', ())
    }
    for obj in lineage(context):
        for login, roles in getattr(obj, 'local_roles', {}).items():
            if 'view' in types.role_permissions(roles):
                principals.add(f'user:{login}')
    return sorted(principals)


def user_principals(types, user):
    """The principals a user's search is filtered by."""
    return [EVERYONE_LOGGED_IN, f'user:{user.login}'] + [
        f'role:{r}' for r in sorted(types.global_roles(user.roles))
    ]
