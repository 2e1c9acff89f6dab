"""The workflow as a reader sees it."""


def history(request, context):
    """The review history as this reader may see it (comments are sealed)."""
    return request.services.content.read_history(
        context, bool(request.has_permission('view_protected', context))
    )
