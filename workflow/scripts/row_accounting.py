"""Snakemake adapter: the row accounting of every export and the QC summaries that end with
it (logic in ekc.core.accounting)."""

import json
from pathlib import Path

from ekc.core import joblog
from ekc.core.accounting import accounting_section, check_balanced, row_accounts
from ekc.core.stats.records import write_table


def read_json(path: str) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


joblog.start(snakemake.log[0], "row_accounting")
validation = [entry for path in snakemake.input.validation for entry in read_json(path)]
linkage = [entry for path in snakemake.input.linkage for entry in read_json(path)]
accounts = row_accounts(validation, linkage)
write_table(accounts, snakemake.output.table)
joblog.wrote(snakemake.output.table, accounts)
for account in accounts.to_dict("records"):
    source = account["source"]
    summary = Path(snakemake.input[f"{source}_validation"]).read_text(encoding="utf-8")
    Path(snakemake.output[f"{source}_summary"]).write_text(
        summary + accounting_section(account), encoding="utf-8"
    )
    joblog.LOG.info(
        "%s: in %d = kept %d + quarantined %d + unexpected %d + orphaned %d (unaccounted %d)",
        source,
        account["rows_in"],
        account["kept"],
        account["quarantined"],
        account["unexpected"],
        account["orphaned"],
        account["unaccounted"],
    )
check_balanced(accounts)
