rule clean_registration:
    input:
        register=f"{PRIVATE}/validated/register.parquet",
        families=f"{PRIVATE}/validated/frek_families.parquet",
        children=f"{PRIVATE}/validated/frek_children.parquet",
        fufrek=f"{PRIVATE}/validated/fufrek.parquet",
        code=script_code("clean_registration.py"),
    output:
        families=f"{PRIVATE}/clean/families.parquet",
        children=f"{PRIVATE}/clean/children.parquet",
        fufrek=f"{PRIVATE}/clean/fufrek.parquet",
        info=f"{OUT}/linkage/dataset_info.json",
    log:
        f"{LOGS}/clean/registration.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
        runtime=RUNTIME_MIN,
    params:
        pseudonymisation=PSEUDONYMISATION,
    script:
        "../../scripts/clean_registration.py"


rule clean_case_files:
    input:
        start=f"{PRIVATE}/validated/zap_kort_aanvang.parquet",
        three_months=f"{PRIVATE}/validated/zap_kort_3mnd.parquet",
        nine_months=f"{PRIVATE}/validated/zap_kort_9mnd.parquet",
        code=script_code("clean_case_files.py"),
    output:
        care_concerns=f"{PRIVATE}/clean/care_concerns.parquet",
        resources=f"{PRIVATE}/clean/case_file_resources.parquet",
    log:
        f"{LOGS}/clean/case_files.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
        runtime=RUNTIME_MIN,
    params:
        pseudonymisation=PSEUDONYMISATION,
    script:
        "../../scripts/clean_case_files.py"


rule clean_questionnaires:
    input:
        cvc=f"{PRIVATE}/validated/cvc.parquet",
        nosik=f"{PRIVATE}/validated/nosik_aanvang.parquet",
        veo=f"{PRIVATE}/validated/veo.parquet",
        pul=f"{PRIVATE}/validated/pul.parquet",
        norms=sorted(glob.glob(f"{config['norms']}/*.csv")),
        code=script_code("clean_questionnaires.py"),
    output:
        scores=f"{PRIVATE}/clean/questionnaires.parquet",
        life_events=f"{PRIVATE}/clean/life_events.parquet",
        cvc=f"{PRIVATE}/clean/cvc.parquet",
    log:
        f"{LOGS}/clean/questionnaires.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
        runtime=RUNTIME_MIN,
    params:
        pseudonymisation=PSEUDONYMISATION,
    script:
        "../../scripts/clean_questionnaires.py"


rule clean_succint:
    input:
        referrers=f"{PRIVATE}/validated/succint_aanmelder.parquet",
        informants=f"{PRIVATE}/validated/succint_gezinsinformant.parquet",
        code=script_code("clean_succint.py"),
    output:
        scores=f"{PRIVATE}/clean/succint.parquet",
    log:
        f"{LOGS}/clean/succint.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
        runtime=RUNTIME_MIN,
    params:
        pseudonymisation=PSEUDONYMISATION,
    script:
        "../../scripts/clean_succint.py"


rule clean_interviews:
    input:
        cases=f"{PRIVATE}/validated/interview_cases.parquet",
        children=f"{PRIVATE}/validated/interview_children.parquet",
        interviews=f"{PRIVATE}/validated/interviews.parquet",
        statements=f"{PRIVATE}/validated/interview_statements.parquet",
        code=script_code("clean_interviews.py"),
    output:
        scores=f"{PRIVATE}/clean/interview_scores.parquet",
        cases=f"{PRIVATE}/clean/interview_cases.parquet",
        children=f"{PRIVATE}/clean/interview_children.parquet",
    log:
        f"{LOGS}/clean/interviews.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
        runtime=RUNTIME_MIN,
    params:
        pseudonymisation=PSEUDONYMISATION,
    script:
        "../../scripts/clean_interviews.py"
