"""roc-validator (`rocrate-validator`'s command line) with each SPARQL query parsed once.

pyshacl hands rdflib the text of a SPARQL-based constraint for every focus node, and rdflib
parses it each time: 20 of the 26 s of the RO-Crate 1.3 check. The parsed query is the one
rdflib's `prepareQuery` would give, made to be run again with other bindings; the report is
the same (compared on the build's crate, timestamps aside).
"""

from __future__ import annotations

import sys

from rdflib.plugins.sparql import processor

_parsed: dict = {}
_query = processor.SPARQLProcessor.query


def _query_parsed_once(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
    if isinstance(strOrQuery, str):
        key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
        if key not in _parsed:
            _parsed[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
        strOrQuery = _parsed[key]
    return _query(self, strOrQuery, initBindings, initNs, base, DEBUG)


processor.SPARQLProcessor.query = _query_parsed_once

if __name__ == "__main__":
    from rocrate_validator.cli import cli

    sys.exit(cli())
