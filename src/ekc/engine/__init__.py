"""The study engine: studies defined in their configuration alone.

Export layouts become pandera schemas (`schema`), exports are recoded, dated and linked to
the study's units (`prepare`), each research question's analyses are run from the config
(`tabulate`) and the report is laid out from the config's sections (`report`). Nothing here
names a study.
"""
