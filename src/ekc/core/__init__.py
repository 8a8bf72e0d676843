"""The shared core every study uses: reading and validating exports, pseudonyms, statistics
and the results contract, report rendering and numbers, disclosure control, the fidelity
table, provenance and scheduled runs. Nothing here names a study."""
