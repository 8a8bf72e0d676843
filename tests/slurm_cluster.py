"""A single-node SLURM cluster on localhost for the tests: munge, slurmctld and slurmd.

Every file the daemons write (keys, sockets, state, spool, logs, pid files) lives in one
temporary folder, the ports are free ones picked at start, and the clients find the cluster
through `SLURM_CONF`, so nothing outside the folder is touched and a cluster the machine may
run already is left alone. The sandbox has no cgroups: processes are tracked through /proc
(`proctrack/linuxproc`), tasks are not bound (`task/none`), and cores and memory are both
consumable (`select/cons_tres`, `CR_Core_Memory`), so a job asking for more memory than the
node has is refused at submission, as on a real cluster. Without accounting (no slurmdbd),
finished jobs are seen only through `squeue` while slurmctld keeps them (`MinJobAge`).

Inside a job, the SLURM plugin's job step removes every `SLURM_*` variable before it calls
`srun` (a real cluster's config sits in /etc/slurm), so the cluster puts an `srun` first on
PATH that names this cluster's config again; /etc/slurm stays untouched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager, suppress
from pathlib import Path

PACKAGES = ["munge", "slurmctld", "slurmd", "slurm-client"]
DAEMONS = ["munged", "slurmctld", "slurmd"]
CLIENTS = ["sbatch", "squeue", "sinfo", "scontrol", "srun", "scancel"]
# Finished jobs stay visible to squeue this long (s); the SLURM plugin's first status check
# comes 40 s after submission and later ones up to a minute apart: 3x that at least.
MIN_JOB_AGE = 300


class ClusterUnavailable(RuntimeError):
    """SLURM cannot be installed or started here: the reason is the test's skip message."""


def _missing() -> list[str]:
    return [name for name in DAEMONS + CLIENTS if shutil.which(name) is None]


def install_packages(timeout: float = 600) -> None:
    """Install Debian's SLURM and munge packages when missing, if this machine lets us
    (root and apt-get); the packages' own services stay stopped (we start our own)."""
    if not _missing():
        return
    if shutil.which("apt-get") is None:
        raise ClusterUnavailable(f"SLURM is not installed ({', '.join(_missing())}) and no apt-get")
    if os.geteuid() != 0:
        raise ClusterUnavailable(f"SLURM is not installed ({', '.join(_missing())}); not root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Debian starts a package's services on install unless policy-rc.d forbids it: they would
    # run with the system's config and outlive the tests.
    policy = Path("/usr/sbin/policy-rc.d")
    own_policy = not policy.exists()
    if own_policy:
        policy.write_text(
            "#!/bin/sh\n# ekc tests: no service starts while apt installs SLURM\nexit 101\n"
        )
        policy.chmod(0o755)
    try:
        _apt_install(env, timeout)
    finally:
        if own_policy:
            policy.unlink()
    if _missing():
        raise ClusterUnavailable(f"still missing after apt-get: {', '.join(_missing())}")


def _apt_install(env: dict, timeout: float) -> None:
    steps = [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise ClusterUnavailable(f"{' '.join(step)} timed out after {timeout:.0f} s") from error
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise ClusterUnavailable(f"{' '.join(step)} failed: {' / '.join(tail)}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slurm_conf(folder: Path, host: str, cpus: int, memory_mb: int) -> str:
    ports = _free_port(), _free_port()
    return f"""\
ClusterName=ekctest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ports[0]}
SlurmdPort={ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={folder}/munge/munge.socket
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/log/slurmctld.log
SlurmdLogFile={folder}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MinJobAge={MIN_JOB_AGE}
SchedulerParameters=sched_interval=2
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb} State=UNKNOWN
PartitionName=ekc Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


class Cluster:
    """A running cluster: `env` is what a client (sbatch, Snakemake) needs to reach it."""

    def __init__(self, folder: Path, memory_mb: int, partition: str = "ekc"):
        self.folder = folder
        self.memory_mb = memory_mb
        self.partition = partition
        conf = folder / "slurm.conf"
        shim = folder / "bin"
        shim.mkdir(exist_ok=True)
        srun = shim / "srun"
        srun.write_text(f'#!/bin/sh\nSLURM_CONF="{conf}" exec {shutil.which("srun")} "$@"\n')
        srun.chmod(0o755)
        path = f"{shim}{os.pathsep}{os.environ.get('PATH', '')}"
        self.env = {**os.environ, "SLURM_CONF": str(conf), "PATH": path}
        self.processes: list[subprocess.Popen] = []

    def log_tail(self, lines: int = 15) -> str:
        parts = []
        for log in sorted((self.folder / "log").glob("*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(parts)


def _start(cluster: Cluster, command: list[str], name: str) -> None:
    log = open(cluster.folder / "log" / f"{name}.out", "w")  # noqa: SIM115 - lives with the daemon
    process = subprocess.Popen(
        command,
        env=cluster.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    cluster.processes.append(process)


def _wait_for(check, what: str, cluster: Cluster, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in cluster.processes:
            if process.poll() is not None:
                raise ClusterUnavailable(
                    f"{process.args[0]} exited ({process.returncode}) while waiting for {what}\n"
                    + cluster.log_tail()
                )
        if check():
            return
        time.sleep(0.5)
    raise ClusterUnavailable(f"timed out waiting for {what}\n" + cluster.log_tail())


def _stop(cluster: Cluster, grace: float = 15) -> None:
    """Stop every daemon started here (newest first) and every job process they left."""
    for process in reversed(cluster.processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in reversed(cluster.processes):
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            # the daemon's own session: its job steps and their children go with it
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    _kill_leftover_steps(cluster.folder)


def _kill_leftover_steps(folder: Path) -> None:
    """slurmstepd runs each job outside slurmd's process group; end any whose job is ours
    (its command line or environment names our folder)."""
    marker = str(folder).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            seen = (proc / "cmdline").read_bytes() + (proc / "environ").read_bytes()
        except OSError:
            continue
        if marker in seen:
            with suppress(ProcessLookupError):
                os.kill(int(proc.name), signal.SIGKILL)


@contextmanager
def running_cluster(folder: Path, cpus: int = 2, memory_mb: int = 6000):
    """Start munge, slurmctld and slurmd with their state in `folder`; stop them on exit,
    also when the body fails."""
    install_packages()
    host = socket.gethostname().split(".")[0]
    for sub in ["munge", "state", "spool", "log"]:
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub).chmod(0o700)
    (folder / "slurm.conf").write_text(slurm_conf(folder, host, cpus, memory_mb))
    key = folder / "munge" / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o400)
    cluster = Cluster(folder, memory_mb)
    try:
        _start(
            cluster,
            [
                "munged",
                "--foreground",
                "--force",
                f"--socket={folder}/munge/munge.socket",
                f"--key-file={key}",
                f"--pid-file={folder}/munge/munged.pid",
                f"--seed-file={folder}/munge/munged.seed",
                f"--log-file={folder}/log/munged.log",
            ],
            "munged",
        )
        _wait_for((folder / "munge" / "munge.socket").exists, "the munge socket", cluster)
        conf = str(folder / "slurm.conf")
        _start(cluster, ["slurmctld", "-D", "-f", conf], "slurmctld")
        _wait_for(lambda: _quiet(["scontrol", "ping"], cluster), "slurmctld", cluster)
        _start(cluster, ["slurmd", "-D", "-f", conf, "-N", host], "slurmd")
        _wait_for(lambda: _node_idle(cluster), "the node to be idle", cluster)
        yield cluster
    finally:
        _stop(cluster)


def _quiet(command: list[str], cluster: Cluster) -> bool:
    done = subprocess.run(command, env=cluster.env, capture_output=True, text=True, timeout=30)
    return done.returncode == 0 and "DOWN" not in done.stdout


def _node_idle(cluster: Cluster) -> bool:
    done = subprocess.run(
        ["sinfo", "--noheader", "--format=%t"],
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.returncode == 0 and done.stdout.strip() == "idle"
