"""What of an object's values a reader may see: protected (personal) values
are decrypted only for those with `view_protected`, through the services,
which record that they were seen."""


def visible_values(request, obj):
    info = request.types[obj.type_name]
    protected = {f.name for f in info.fields if f.protected}
    stored = any(obj.fields.get(name) is not None for name in protected)
    if stored and request.has_permission('view_protected', obj):
        return request.services.read(obj)
    return {k: v for k, v in obj.fields.items() if k not in protected}
