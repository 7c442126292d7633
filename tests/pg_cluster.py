"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests, benchmarks and CI.

initdb in a temporary folder (as the `postgres` system user when run as root: the server
refuses to run as root), a pg_hba.conf that trusts `postgres` on 127.0.0.1 and asks everyone
else for a password, pg_ctl start on a free port; stop() ends the server at once and removes
the folder.

    python -m tests.pg_cluster start FOLDER   prints the superuser URL (keeps running)
    python -m tests.pg_cluster stop FOLDER
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"
HBA = """\
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (newest Debian version first), or None."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    return None


def missing_reason() -> str | None:
    """Why no cluster can be started here (one line), or None when one can."""
    if server_binaries() is None:
        return (
            "PostgreSQL's server binaries (initdb, pg_ctl) are not installed (Debian: postgresql)"
        )
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' system user to run the server"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, user: str = SUPERUSER, password: str | None = None, db: str = "postgres") -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        stop(self.folder)

    def pause(self) -> None:
        """Stop the server as a fast shutdown does (every session ended, its work rolled
        back), keeping the cluster for resume(): the server going away mid-session."""
        _pg_ctl(self.folder, "-m", "fast", "stop")

    def resume(self) -> None:
        """Start the paused server again on the same port."""
        _pg_ctl(self.folder, "-o", _options(self.folder, self.port), "-l",
                str(self.folder / "server.log"), "-w", "start")  # fmt: skip


def _run(folder: Path, program: str, *args: str) -> None:
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError(missing_reason())
    command = _as_server_user([str(binaries / program), *args])
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines() or [f"exit {done.returncode}"]
        raise RuntimeError(f"{program} failed in {folder}: {said[-1]}")


def _pg_ctl(folder: Path, *args: str) -> None:
    _run(folder, "pg_ctl", "-D", str(folder / "data"), *args)


def _options(folder: Path, port: int) -> str:
    return f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"


def start(folder: Path | None = None) -> Cluster:
    """initdb and start a cluster in folder (a new temporary one by default)."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError(missing_reason())
    folder = Path(folder or tempfile.mkdtemp(prefix="incident-viewer-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)

    _run(folder, "initdb", "-D", str(data), "-U", SUPERUSER, "-A", "scram-sha-256",
         "--auth-local=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
    (data / "pg_hba.conf").write_text(HBA)
    port = _free_port()
    _pg_ctl(folder, "-o", _options(folder, port), "-l", str(folder / "server.log"), "-w", "start")
    (folder / "port").write_text(str(port))
    return Cluster(folder, port)


def stop(folder: Path) -> None:
    """Stop the cluster in folder at once and remove the folder."""
    binaries = server_binaries()
    data = folder / "data"
    if binaries is not None and (data / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "start":
        try:
            print(start(Path(argv[1])).url())
        except RuntimeError as error:
            print(f"pg_cluster: {error}", file=sys.stderr)
            return 1
    else:
        stop(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
