"""Snakemake adapter: validate a batch of raw exports (logic in ekc.core.validation)."""

import importlib
import json
from pathlib import Path

from ekc.core import joblog
from ekc.core.ids import IdRule
from ekc.core.pseudonym import job_key
from ekc.core.readers import ExportReadError, read_export
from ekc.core.stats.records import write_table
from ekc.core.validation import (
    Identifiers,
    ValidationFailed,
    failure_frame_for_read_error,
    validate_export,
)
from ekc.engine.schema import export_schema

settings = snakemake.params.pseudonymisation
key = job_key(settings)
strict = snakemake.params.mode == "strict"
id_rule = IdRule.from_config(snakemake.config.get("id_normalisation"))
READ_OPTIONS = ("sheet", "delimiter", "encoding", "max_megabytes")


def model_of(source: str, options: dict) -> tuple[object, dict, Identifiers]:
    """The export's schema, codebook and identifying columns: its layout in the config when
    the study writes one there (case keys: the columns marked `pseudonymise`), otherwise the
    pandera model of that name in the study's `models` module."""
    if "columns" in options:
        case_keys = frozenset(
            column for column, spec in options["columns"].items() if spec.get("pseudonymise")
        )
        identifiers = Identifiers(case_keys=case_keys)
        return export_schema(source, options), {}, identifiers.with_id_rule(id_rule)
    models = importlib.import_module(snakemake.config["models"])
    model = models.MODELS[source]
    return model, models.value_labels(model), models.IDENTIFIERS.with_id_rule(id_rule)


def validate(source: str) -> str | None:
    """Validate one export and write its outputs; the error message if it stops the run."""
    log = Path(snakemake.log[source])
    joblog.start(log, f"validate ({source})")
    # A failure list of an earlier run must not outlive the export it described.
    failed_list = Path(snakemake.params.failed_lists[source])
    failed_list.unlink(missing_ok=True)
    failed_list.parent.mkdir(parents=True, exist_ok=True)
    options = dict(snakemake.params.options[source])
    path = snakemake.input[source]
    try:
        export = read_export(path, **{k: options[k] for k in READ_OPTIONS if k in options})
    except ExportReadError as err:
        joblog.LOG.error(str(err))
        write_table(failure_frame_for_read_error(path, err), failed_list)
        return f"{source}: {err}\nFailure list: {failed_list}"
    joblog.LOG.info("read %s: %d rows", path, len(export.frame))

    model, codebook, identifiers = model_of(source, options)
    result = validate_export(
        export,
        model,
        source=source,
        decimal_comma=options.get("decimal_comma", False),
        date_order=options.get("date_order", "dmy"),
        codebook=codebook,
        identifiers=identifiers,
    )
    # What is written from here keeps only the layout's columns: allow-listed values as they
    # are, case numbers pseudonymised, the rest removed. The summary (log, error message,
    # QC summary) quotes no identifying value; the data manager finds each row by its number.
    result = result.for_private_area(key, identifiers)
    summary = result.summary()
    joblog.LOG.info(summary)

    if result.fatal or (not result.ok and strict):
        write_table(result.failures, failed_list)
        stops = "in both validation modes" if result.fatal else "in strict mode"
        return (
            f"{result.file} breaks {len(result.failures)} validation rule(s) in "
            f"{len(result.quarantined)} row(s); nothing downstream was built ({stops}).\n"
            f"Full list (private area): {failed_list}\n{summary}"
        )
    result.valid.to_parquet(snakemake.output[f"{source}_valid"], index=False)
    write_table(result.failures, snakemake.output[f"{source}_failures"])
    write_table(result.quarantined, snakemake.output[f"{source}_quarantine"])
    Path(snakemake.output[f"{source}_summary"]).write_text(summary, encoding="utf-8")
    Path(snakemake.output[f"{source}_counts"]).write_text(
        json.dumps(result.counts(), indent=1) + "\n", encoding="utf-8"
    )
    lineage = getattr(snakemake.output, f"{source}_rows", None)  # a study with its own models
    if lineage:
        models = importlib.import_module(snakemake.config["models"])
        rows = models.export_lineage(source, result.valid, key)
        rows.to_parquet(lineage, index=False)
        joblog.wrote(lineage, rows)
    return None


# Every export of the batch is checked, so one run reports all the failing exports.
errors = [error for source in snakemake.params.sources if (error := validate(source))]
if errors:
    raise ValidationFailed("\n\n".join(errors))
