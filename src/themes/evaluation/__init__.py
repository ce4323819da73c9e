"""Measuring the pipeline against human coding: theme quality beside plain BERTopic, framework
mapping scores, and redaction recall and precision on a generated labelled set."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "theme_quality": ("evaluate_themes", "QualityReport", "quality_text"),
    "mapping_scores": ("evaluate_mapping", "MappingEvaluation", "evaluation_text"),
    "redaction": ("evaluate_redaction",),
    "reviewer_simulation": ("simulate_reviewer", "SimulatedStep"),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
