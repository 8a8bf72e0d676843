"""Studies defined in the configuration alone: export layouts, preparation, analyses, report.

The youth-protection study has analysis modules of its own (`ekc.analysis`); a study whose
definition lives entirely in its config file runs through these modules, which know no
study by name.
"""
