"""Snakemake adapter: validate one raw export (logic in ekc.validation)."""

import logging
from pathlib import Path

from ekc.io.readers import ExportReadError, read_export
from ekc.pseudonym import load_key
from ekc.schemas import schema_for
from ekc.stats.records import write_table
from ekc.validation import (
    ValidationFailed,
    failure_frame_for_read_error,
    mask_identifiers,
    validate_export,
)

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")
# A failure list of an earlier run must not outlive the export it described.
Path(snakemake.log[0]).with_suffix(".failures.csv").unlink(missing_ok=True)
source = snakemake.wildcards.source
options = dict(snakemake.params.options)
read_options = {k: options[k] for k in ("sheet", "delimiter", "encoding") if k in options}

try:
    export = read_export(snakemake.input.export, **read_options)
except ExportReadError as err:
    logging.error(str(err))
    failures = failure_frame_for_read_error(snakemake.input.export, err)
    Path(snakemake.log[0]).with_suffix(".failures.csv").write_text(failures.to_csv(index=False))
    raise ValidationFailed(f"{source}: {err}") from None

result = validate_export(
    export,
    schema_for(source, options),
    source=source,
    decimal_comma=options.get("decimal_comma", False),
)
# Everything that leaves this job (log, error message, reports) has identifiers masked and
# case numbers pseudonymised; the data manager finds each row by its row number.
settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
valid = result.valid
case_keys = frozenset(
    column for column, spec in options.get("columns", {}).items() if spec.get("pseudonymise")
)
result.failures = mask_identifiers(result.failures, key, "value", "column", case_keys)
result.quarantined = mask_identifiers(result.quarantined, key, case_keys=case_keys)
summary = result.summary()
logging.info(summary)

if not result.ok and snakemake.params.mode == "strict":
    kept = Path(snakemake.log[0]).with_suffix(".failures.csv")
    write_table(result.failures, kept)
    raise ValidationFailed(
        f"{result.file} breaks {len(result.failures)} validation rule(s) in "
        f"{len(result.quarantined)} row(s); nothing downstream was built.\n"
        f"Full list: {kept}\n{summary}"
    )

valid.to_parquet(snakemake.output.valid, index=False)
write_table(result.failures, snakemake.output.failures)
write_table(result.quarantined, snakemake.output.quarantine)
Path(snakemake.output.summary).write_text(summary, encoding="utf-8")
