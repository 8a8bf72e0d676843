"""Deterministic generator of the embedded, reconstructed study data (`resources/raw/`)."""
