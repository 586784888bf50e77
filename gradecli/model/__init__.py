"""The evidence file format as pydantic models (evidence.py), its vocabularies and cross-checks."""
