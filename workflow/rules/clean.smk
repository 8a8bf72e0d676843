rule clean_registration:
    input:
        register="results/validated/register.parquet",
        families="results/validated/frek_families.parquet",
        children="results/validated/frek_children.parquet",
        fufrek="results/validated/fufrek.parquet",
        code=package_code("clean", "pseudonym.py"),
    output:
        families="results/clean/families.parquet",
        children="results/clean/children.parquet",
        fufrek="results/clean/fufrek.parquet",
        info="results/clean/dataset_info.json",
    params:
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        "logs/clean/registration.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/clean_registration.py"
