"""Personal data in answers: people's names (found by a named-entity model, with rules as a
fallback) and identifiers (emails, phone and NHS numbers, postcodes), for masking before analysis
and redaction before publication."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "names": ("mask_names", "contains_name", "corpus_names", "person_spans", "model_available"),
    "redact": ("redact", "Redacted", "RedactionSettings", "Kind"),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
