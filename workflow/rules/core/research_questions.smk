# One rule per research question of any study (config: research_questions), named rq_<name>.
# An entry lists engine `analyses:` or names a hand-written `module:` with its `inputs:`;
# both write {OUT}/stats/<name>.json and {OUT}/tables/<name>/<table>.csv through one adapter
# (ekc.core.research_question).


for name, entry in RESEARCH_QUESTIONS.items():

    rule:
        name:
            f"rq_{name}"
        input:
            **rq.input_paths(entry, config, PRIVATE, SOURCES),
            code=script_code("research_question.py", rq.module_file(entry, PACKAGE.parent)),
        output:
            **{
                f"table_{table}": report(
                    f"{OUT}/tables/{name}/{table}.csv",
                    caption=f"../../report/{entry.get('caption', 'study_tables.rst')}",
                    category=entry.get("category", "Research questions"),
                    labels={"research question": name, "table": table},
                )
                for table in rq.table_names(entry)
            },
            stats=f"{OUT}/stats/{name}.json",
        log:
            f"{LOGS}/rq_{name}.log",
        group:
            "analysis"
        conda:
            "../../envs/ekc.yaml"
        threads: 1
        resources:
            mem_mb=memory_for("analysis"),
            runtime=RUNTIME_MIN,
        params:
            name=name,
            # an answer block is read by the answers rule, not the analysis: no rerun for it
            entry={key: value for key, value in entry.items() if key != "answer"},
            study=config["study"],
            alpha=ALPHA,
            # what the module is called with (layouts, declared tests): a change reruns it
            options=rq.options(entry, config),
        script:
            "../../scripts/research_question.py"
