"""Cleaning and scoring: from validated exports to analysis tables."""
