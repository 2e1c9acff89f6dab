"""Workflows as data (`schemas/workflows/*.yaml`) with named guards."""

from .definition import State, Transition, Workflow, load_workflow  # noqa: F401
