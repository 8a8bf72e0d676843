"""One module per research question / chapter; each returns tables and results records."""
