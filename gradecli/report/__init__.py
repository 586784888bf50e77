"""Renderers: thin modules over one :class:`~gradecli.grade.assessment.Assessment`. They never judge."""
