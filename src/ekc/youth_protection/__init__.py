"""The youth-protection study (study token `yp`, Amsterdam and Overijssel 2005-2007): its
export models, cleaning and scoring, linkage, hand-written analyses and report.

Only this study's rule modules import this package; the shared core never does."""
