"""Snakemake adapter: validate a batch of raw exports (logic in ekc.core.validation)."""

import importlib
from pathlib import Path

from ekc.core import joblog
from ekc.core.pseudonym import job_key
from ekc.core.readers import ExportReadError, read_export
from ekc.core.stats.records import write_table
from ekc.core.validation import (
    Identifiers,
    ValidationFailed,
    failure_frame_for_read_error,
    mask_identifiers,
    validate_export,
)
from ekc.engine.schema import export_schema

settings = snakemake.params.pseudonymisation
key = job_key(settings)
strict = snakemake.params.mode == "strict"


def model_of(source: str, options: dict) -> tuple[object, dict, Identifiers]:
    """The export's schema, codebook and identifying columns: its layout in the config when
    the study writes one there (case keys: the columns marked `pseudonymise`), otherwise the
    pandera model of that name in the study's `models` module."""
    if "columns" in options:
        case_keys = frozenset(
            column for column, spec in options["columns"].items() if spec.get("pseudonymise")
        )
        return export_schema(source, options), {}, Identifiers(case_keys=case_keys)
    models = importlib.import_module(snakemake.config["models"])
    model = models.MODELS[source]
    return model, models.value_labels(model), models.IDENTIFIERS


def validate(source: str) -> str | None:
    """Validate one export and write its outputs; the error message if it fails in strict mode."""
    log = Path(snakemake.log[source])
    joblog.start(log, f"validate ({source})")
    # A failure list of an earlier run must not outlive the export it described. It holds
    # row-level values, so it is kept in the private area (not beside the log).
    kept = Path(snakemake.params.failure_lists[source])
    kept.unlink(missing_ok=True)
    kept.parent.mkdir(parents=True, exist_ok=True)
    options = dict(snakemake.params.options[source])
    read_options = {k: options[k] for k in ("sheet", "delimiter", "encoding") if k in options}
    path = snakemake.input[source]
    try:
        export = read_export(path, **read_options)
    except ExportReadError as err:
        joblog.LOG.error(str(err))
        kept.write_text(failure_frame_for_read_error(path, err).to_csv(index=False))
        return f"{source}: {err}"
    joblog.LOG.info("read %s: %d rows", path, len(export.frame))

    model, codebook, identifiers = model_of(source, options)
    result = validate_export(
        export,
        model,
        source=source,
        decimal_comma=options.get("decimal_comma", False),
        codebook=codebook,
        identifiers=identifiers,
    )
    # Everything that leaves this job (log, error message, reports) has identifiers masked and
    # case numbers pseudonymised; the data manager finds each row by its row number.
    result.failures = mask_identifiers(result.failures, key, "value", "column", identifiers)
    result.quarantined = mask_identifiers(result.quarantined, key, identifiers=identifiers)
    summary = result.summary()
    joblog.LOG.info(summary)

    if not result.ok and strict:
        write_table(result.failures, kept)
        return (
            f"{result.file} breaks {len(result.failures)} validation rule(s) in "
            f"{len(result.quarantined)} row(s); nothing downstream was built.\n"
            f"Full list: {kept}\n{summary}"
        )
    result.valid.to_parquet(snakemake.output[f"{source}_valid"], index=False)
    write_table(result.failures, snakemake.output[f"{source}_failures"])
    write_table(result.quarantined, snakemake.output[f"{source}_quarantine"])
    Path(snakemake.output[f"{source}_summary"]).write_text(summary, encoding="utf-8")
    return None


# Every export of the batch is checked, so one run reports all the failing exports.
errors = [error for source in snakemake.params.sources if (error := validate(source))]
if errors:
    raise ValidationFailed("\n\n".join(errors))
