"""GRADE: rule sets, one module per domain, and the engine that derives the certainty."""
