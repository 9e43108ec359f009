"""The one place that decides who may configure training and read the report (702.8)."""

from django.shortcuts import get_object_or_404

from .models import TrainingModule, require_mayors_office


def get_module(slug: str) -> TrainingModule:
    """A module any signed-in employee may read and take."""
    return get_object_or_404(TrainingModule, slug=slug)


def get_module_to_configure(request, slug: str) -> TrainingModule:
    require_mayors_office(request.user, "configure training modules")
    return get_module(slug)


def require_report_reader(request) -> None:
    require_mayors_office(request.user, "see the training report")
