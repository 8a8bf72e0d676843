rule clean_registration:
    input:
        register="results/validated/register.parquet",
        families="results/validated/frek_families.parquet",
        children="results/validated/frek_children.parquet",
        fufrek="results/validated/fufrek.parquet",
        code=script_code("clean_registration.py"),
    output:
        families="results/clean/families.parquet",
        children="results/clean/children.parquet",
        fufrek="results/clean/fufrek.parquet",
        info="results/clean/dataset_info.json",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        "logs/clean/registration.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/clean_registration.py"


rule clean_case_files:
    input:
        start="results/validated/zap_kort_aanvang.parquet",
        three_months="results/validated/zap_kort_3mnd.parquet",
        nine_months="results/validated/zap_kort_9mnd.parquet",
        code=script_code("clean_case_files.py"),
    output:
        care_concerns="results/clean/care_concerns.parquet",
        resources="results/clean/case_file_resources.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        "logs/clean/case_files.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/clean_case_files.py"


rule clean_questionnaires:
    input:
        cvc="results/validated/cvc.parquet",
        nosik="results/validated/nosik_aanvang.parquet",
        veo="results/validated/veo.parquet",
        pul="results/validated/pul.parquet",
        norms=sorted(glob.glob(f"{config['norms']}/*.csv")),
        code=script_code("clean_questionnaires.py"),
    output:
        scores="results/clean/questionnaires.parquet",
        life_events="results/clean/life_events.parquet",
        cvc="results/clean/cvc.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        "logs/clean/questionnaires.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/clean_questionnaires.py"


rule clean_succint:
    input:
        referrers="results/validated/succint_aanmelder.parquet",
        informants="results/validated/succint_gezinsinformant.parquet",
        code=script_code("clean_succint.py"),
    output:
        scores="results/clean/succint.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        "logs/clean/succint.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/clean_succint.py"


rule clean_interviews:
    input:
        cases="results/validated/interview_cases.parquet",
        children="results/validated/interview_children.parquet",
        interviews="results/validated/interviews.parquet",
        statements="results/validated/interview_statements.parquet",
        code=script_code("clean_interviews.py"),
    output:
        scores="results/clean/interview_scores.parquet",
        cases="results/clean/interview_cases.parquet",
        children="results/clean/interview_children.parquet",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("clean"),
    log:
        "logs/clean/interviews.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/clean_interviews.py"
