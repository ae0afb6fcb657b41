"""Run the Flower app for real with the Deployment Engine: a SuperLink, one SuperNode per
partner, ``flwr run``, and every process stopped afterwards.

    with Federation(settings) as federation:       # processes up, partners connected
        outcome = federation.run(config)           # one run; more may follow
        outcomes = federation.run_side_by_side([config, other])  # runs at once
    run_federation(settings, config)               # the same, for one run

Each process gets its own ``FLWR_HOME`` and its own process group, so stopping a SuperNode also
stops the ``flwr-clientapp`` processes it started (a killed SuperNode would otherwise leave them
behind). Locally everything is insecure on the loopback; with ``settings.federated.insecure``
off the SuperLink serves TLS and admits only SuperNodes whose public key was registered
through its Control API (``flwr supernode register``, done here before the SuperNodes start;
flwr 1.32 no longer reads a list of keys: ``--auth-list-public-keys`` makes it exit).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from federated.layout import flwr_home, runs_dir
from federated.outcome import OUTCOME_FILE, RunOutcome, read_outcome
from federated.partition_files import PartitionManifest
from federated.run_config import RunConfig
from profilehub.settings import REPO_ROOT, Settings

# The connection name in the flwr CLI's config.toml.
CONNECTION = "profilehub"
# Time the SuperLink's Control API gets to come up for the partners' key registration.
REGISTER_SECONDS = 30.0
# Time the partners' SuperNodes get to register before a run starts (they retry until then).
CONNECT_SECONDS = 5.0
STOP_SECONDS = 10.0

Progress = Callable[[str], None]


class FederationError(RuntimeError):
    """A run that did not finish, with the tail of its log."""


def superlink_command(settings: Settings) -> list[str]:
    fed = settings.federated
    command = ["flower-superlink",
               "--serverappio-api-address", fed.serverappio_address,
               "--fleet-api-address", fed.fleet_address,
               "--control-api-address", fed.control_address,
               # The venv already holds the app's dependencies: no per-run `uv sync`.
               "--disable-runtime-dependency-installation"]
    if fed.insecure:
        return [*command, "--insecure"]
    ca_cert, server_cert, server_key = fed.require_tls()
    command += ["--ssl-ca-certfile", str(ca_cert), "--ssl-certfile", str(server_cert),
                "--ssl-keyfile", str(server_key)]
    if fed.node_auth_keys:
        command += ["--enable-supernode-auth"]
    return command


def supernode_command(settings: Settings, partition: int, num_partitions: int) -> list[str]:
    fed = settings.federated
    command = ["flower-supernode", "--superlink", fed.fleet_address,
               "--clientappio-api-address", fed.clientappio_address(partition),
               "--node-config", f"partition-id={partition} num-partitions={num_partitions}"]
    if fed.insecure:
        return [*command, "--insecure"]
    ca_cert, _, _ = fed.require_tls()
    command += ["--root-certificates", str(ca_cert)]
    if fed.node_auth_keys:
        command += ["--auth-supernode-private-key", str(supernode_key(settings, partition))]
    return command


def supernode_key(settings: Settings, partition: int) -> Path:
    """A partner's SuperNode private key; its public key is next to it, ``.pub`` appended."""
    return settings.federated.node_auth_keys / f"partner-{partition}"


def cli_config_toml(settings: Settings) -> str:
    """The flwr CLI's connection to the SuperLink's Control API (``$FLWR_HOME/config.toml``)."""
    fed = settings.federated
    security = ("insecure = true" if fed.insecure
                else f'root-certificates = "{fed.require_tls()[0]}"')
    return (f'[superlink]\ndefault = "{CONNECTION}"\n\n'
            f'[superlink.{CONNECTION}]\naddress = "{fed.control_address}"\n{security}\n')


class Federation:
    """A SuperLink and one SuperNode per partner, up for the lifetime of the ``with`` block."""

    def __init__(self, settings: Settings, num_partitions: int | None = None,
                 progress: Progress = print) -> None:
        self.settings = settings
        self.num_partitions = num_partitions or settings.federated.num_partitions
        self.progress = progress
        self.processes: dict[str, subprocess.Popen] = {}
        # SuperLink node id of each registered SuperNode public key (secure deployments).
        self.node_ids: dict[str, int] = {}

    def __enter__(self) -> Federation:
        try:
            self._start("superlink", superlink_command(self.settings))
            cli_home = flwr_home(self.settings, "cli")
            cli_home.mkdir(parents=True, exist_ok=True)
            (cli_home / "config.toml").write_text(cli_config_toml(self.settings))
            if self.settings.federated.node_auth_keys:
                for partition in range(self.num_partitions):
                    self.register_key(Path(f"{supernode_key(self.settings, partition)}.pub"))
            for partition in range(self.num_partitions):
                self._start(f"supernode-{partition}",
                            supernode_command(self.settings, partition, self.num_partitions))
            time.sleep(CONNECT_SECONDS)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _start(self, name: str, command: list[str]) -> None:
        home = flwr_home(self.settings, name)
        home.mkdir(parents=True, exist_ok=True)
        log = open(home / "process.log", "ab")  # noqa: SIM115 (lives as long as the process)
        self.processes[name] = subprocess.Popen(
            command, env=self.settings.flower_environ(home), cwd=home, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.progress(f"started {name} (pid {self.processes[name].pid})")

    def register_key(self, public_key: Path) -> int:
        """Admit the SuperNode holding ``public_key`` (``flwr supernode register``), retrying
        while the SuperLink's Control API comes up."""
        command = ["flwr", "supernode", "register", str(public_key), CONNECTION,
                   "--format", "json"]
        environ = self.settings.flower_environ(flwr_home(self.settings, "cli"))
        deadline = time.monotonic() + REGISTER_SECONDS
        while True:
            done = subprocess.run(command, env=environ, cwd=REPO_ROOT, capture_output=True,
                                  text=True, timeout=REGISTER_SECONDS)
            if done.returncode == 0:
                reply = json.loads(done.stdout[done.stdout.index("{"):])
                self.node_ids[public_key.name] = reply["node-id"]
                self.progress(f"registered {public_key.name} as node {reply['node-id']}")
                return reply["node-id"]
            if time.monotonic() > deadline:
                raise FederationError(f"could not register {public_key}:\n"
                                      f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
            time.sleep(1.0)

    def kill_partner(self, partition: int) -> None:
        """Kill a partner's SuperNode and its ClientApps without warning (a crash)."""
        self._signal_group(f"supernode-{partition}", signal.SIGKILL)
        self.progress(f"killed supernode-{partition}")

    def _signal_group(self, name: str, signum: int) -> None:
        process = self.processes.get(name)
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    def stop(self) -> None:
        """Stop every process started here, the ClientApps they started included."""
        for name in reversed(list(self.processes)):
            self._signal_group(name, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for name, process in self.processes.items():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            # Orphaned ClientApps stay in the group after their SuperNode exits.
            self._signal_group(name, signal.SIGKILL)
            process.wait()
        self.processes.clear()

    def run(self, config: RunConfig, *, name: str | None = None,
            on_line: Progress | None = None, timeout: float = 1800.0) -> RunOutcome:
        """``flwr run`` of the app with ``config``; waits for the ServerApp's outcome."""
        name = name or f"run-{time.strftime('%Y%m%dT%H%M%S')}-{config.model}-{config.strategy}"
        output = runs_dir(self.settings) / name
        output.mkdir(parents=True, exist_ok=True)
        config = config.replace(output_dir=str(output))
        run_config = output / "run_config.toml"
        run_config.write_text(config.to_toml())
        command = ["flwr", "run", str(REPO_ROOT), CONNECTION, "--run-config", str(run_config),
                   "--stream"]
        started = time.monotonic()
        log = self._follow(command, output / "server.log", on_line, timeout)
        if not (output / OUTCOME_FILE).exists():
            raise FederationError(f"run {name} left no outcome; log tail:\n{log[-3000:]}")
        outcome = read_outcome(output).with_wall_seconds(time.monotonic() - started)
        self.progress(f"{name}: final holdout AUC {outcome.final_auc:.4f} after "
                      f"{len(outcome.rounds) - 1} rounds in {outcome.wall_seconds:.0f} s")
        return outcome

    def run_side_by_side(self, configs: list[RunConfig]) -> list[RunOutcome]:
        """Every config as a run of its own, all at once; outcomes in ``configs`` order.

        A SuperLink hosts many runs and each SuperNode serves their messages in turn. A SecAgg+
        round is mostly waiting (SuperNodes and the ServerApp poll every 3 s, and every message
        starts a fresh ClientApp process), so runs side by side take little longer than one.
        """
        stamp = time.strftime("%Y%m%dT%H%M%S")
        names = [f"run-{stamp}-{index}-{config.model}-{config.strategy}"
                 for index, config in enumerate(configs)]
        with ThreadPoolExecutor(max(1, len(configs)), thread_name_prefix="flwr-run") as pool:
            return list(pool.map(lambda config, name: self.run(config, name=name),
                                 configs, names))

    def _follow(self, command: list[str], log_path: Path, on_line: Progress | None,
                timeout: float) -> str:
        """Run ``flwr run --stream``, passing round lines on; the whole log as text."""
        environ = self.settings.flower_environ(flwr_home(self.settings, "cli"))
        lines: list[str] = []
        with subprocess.Popen(command, env=environ, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              start_new_session=True) as flwr:
            timer = threading.Timer(timeout, lambda: os.killpg(flwr.pid, signal.SIGKILL))
            timer.start()
            try:
                for line in flwr.stdout:
                    lines.append(line)
                    if "holdout AUC" in line or "[ROUND" in line:
                        self.progress(line.strip())
                    if on_line:
                        on_line(line)
            finally:
                timer.cancel()
        log_path.write_text("".join(lines))
        return "".join(lines)


def run_federation(settings: Settings, config: RunConfig, *, num_partitions: int | None = None,
                   progress: Progress = print, on_line: Progress | None = None) -> RunOutcome:
    """One federated run on a fresh deployment: processes started, run, processes stopped."""
    if not config.partitions_dir:
        raise ValueError("the run config names no partitions-dir: prepare partitions first")
    manifest = PartitionManifest.read(config.partitions_dir)
    with Federation(settings, num_partitions or manifest.num_partitions, progress) as federation:
        return federation.run(config, on_line=on_line)
