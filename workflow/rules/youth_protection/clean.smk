rule clean_registration:
    input:
        register=f"{OUT}/validated/register.parquet",
        families=f"{OUT}/validated/frek_families.parquet",
        children=f"{OUT}/validated/frek_children.parquet",
        fufrek=f"{OUT}/validated/fufrek.parquet",
        code=script_code("clean_registration.py"),
    output:
        families=f"{OUT}/clean/families.parquet",
        children=f"{OUT}/clean/children.parquet",
        fufrek=f"{OUT}/clean/fufrek.parquet",
        info=f"{OUT}/clean/dataset_info.json",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        f"{LOGS}/clean/registration.log",
    conda:
        "../../envs/ekc.yaml"
    script:
        "../../scripts/clean_registration.py"


rule clean_case_files:
    input:
        start=f"{OUT}/validated/zap_kort_aanvang.parquet",
        three_months=f"{OUT}/validated/zap_kort_3mnd.parquet",
        nine_months=f"{OUT}/validated/zap_kort_9mnd.parquet",
        code=script_code("clean_case_files.py"),
    output:
        care_concerns=f"{OUT}/clean/care_concerns.parquet",
        resources=f"{OUT}/clean/case_file_resources.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        f"{LOGS}/clean/case_files.log",
    conda:
        "../../envs/ekc.yaml"
    script:
        "../../scripts/clean_case_files.py"


rule clean_questionnaires:
    input:
        cvc=f"{OUT}/validated/cvc.parquet",
        nosik=f"{OUT}/validated/nosik_aanvang.parquet",
        veo=f"{OUT}/validated/veo.parquet",
        pul=f"{OUT}/validated/pul.parquet",
        norms=sorted(glob.glob(f"{config['norms']}/*.csv")),
        code=script_code("clean_questionnaires.py"),
    output:
        scores=f"{OUT}/clean/questionnaires.parquet",
        life_events=f"{OUT}/clean/life_events.parquet",
        cvc=f"{OUT}/clean/cvc.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        f"{LOGS}/clean/questionnaires.log",
    conda:
        "../../envs/ekc.yaml"
    script:
        "../../scripts/clean_questionnaires.py"


rule clean_succint:
    input:
        referrers=f"{OUT}/validated/succint_aanmelder.parquet",
        informants=f"{OUT}/validated/succint_gezinsinformant.parquet",
        code=script_code("clean_succint.py"),
    output:
        scores=f"{OUT}/clean/succint.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        f"{LOGS}/clean/succint.log",
    conda:
        "../../envs/ekc.yaml"
    script:
        "../../scripts/clean_succint.py"


rule clean_interviews:
    input:
        cases=f"{OUT}/validated/interview_cases.parquet",
        children=f"{OUT}/validated/interview_children.parquet",
        interviews=f"{OUT}/validated/interviews.parquet",
        statements=f"{OUT}/validated/interview_statements.parquet",
        code=script_code("clean_interviews.py"),
    output:
        scores=f"{OUT}/clean/interview_scores.parquet",
        cases=f"{OUT}/clean/interview_cases.parquet",
        children=f"{OUT}/clean/interview_children.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        f"{LOGS}/clean/interviews.log",
    conda:
        "../../envs/ekc.yaml"
    script:
        "../../scripts/clean_interviews.py"
