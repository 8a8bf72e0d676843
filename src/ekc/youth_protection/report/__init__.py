"""The youth-protection study's report: its context, figures and templates' data."""
