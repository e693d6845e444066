"""Private servers and processes for fault tests: a Redis and a Postgres cluster of the test's
own (on free ports, in temporary directories) that a test may stop and start without touching
the shared ones, and the platform's own processes (gunicorn, a Celery worker) pointed at them.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float = 30, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class PrivateRedis:
    """A throwaway redis-server: no persistence, so a restart comes back empty, as after a
    crash of a Redis without disk."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: port_open(self.port), timeout=10, what="redis to listen")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        wait_for(lambda: not port_open(self.port), timeout=10, what="redis to stop")


class PrivatePostgres:
    """A throwaway PostgreSQL 15 cluster owned by the postgres user (initdb refuses root)."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="shegong-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run(
            PG_BIN / "initdb", "-D", self.data, "--auth=trust", "--username=postgres",
            "--no-sync", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def _run(self, *command) -> None:
        subprocess.run([*self.as_postgres, *map(str, command)], check=True, capture_output=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", options,
            "-l", self.directory / "postgres.log", "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def copy_database(self, source_url: str, name: str) -> str:
        """A copy of ``source_url`` (schema, Django's migration history and data) as ``name``
        in this cluster; returns its URL."""
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True, capture_output=True,
        )  # fmt: skip
        dump = subprocess.Popen(
            ["pg_dump", "--no-owner", "--no-privileges", "--dbname", source_url],
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", self.url(name)],
            stdin=dump.stdout, check=True, capture_output=True,
        )  # fmt: skip
        assert dump.wait() == 0
        return self.url(name)

    def destroy(self) -> None:
        if self.running():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class Process:
    """A platform process (gunicorn, a Celery worker) with its output in a log file."""

    def __init__(self, command: list[str], *, env: dict, log: Path):
        self.log = log
        with log.open("w") as out:
            self.popen = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, pattern: str, *, timeout: float = 60) -> None:
        def seen():
            if self.popen.poll() is not None:
                raise AssertionError(f"exited with {self.popen.returncode}:\n{self.output()}")
            return re.search(pattern, self.output())

        wait_for(seen, timeout=timeout, interval=0.2, what=f"{pattern!r} in {self.log}")

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=30)

    def stop(self, grace: float = 5) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.kill()


def platform_env(**values) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update({key: str(value) for key, value in values.items()})
    return env


class Web(Process):
    """gunicorn serving the platform (one worker process, a few threads). ``ready()`` waits
    until it listens; start other processes in between, to start them side by side."""

    def __init__(self, *, env: dict, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "4", "--timeout", "60",
             "--no-control-socket"],
            env=env, log=log,
        )  # fmt: skip

    def ready(self) -> "Web":
        self.wait_for_output(r"Booting worker", timeout=90)
        wait_for(lambda: port_open(self.port), timeout=30, what="gunicorn to listen")
        return self


class Worker(Process):
    """A Celery worker (solo pool), with beat embedded when ``beat`` names a schedule file."""

    def __init__(self, *, env: dict, log: Path, queues: str = "celery", beat: Path | None = None):
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
            f"--queues={queues}", "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ]  # fmt: skip
        if beat is not None:
            command += ["--beat", f"--schedule={beat}"]
        super().__init__(command, env=env, log=log)

    def ready(self) -> "Worker":
        self.wait_for_output(r"ready\.", timeout=120)
        return self


class Browser:
    """A tiny HTTP client with cookies that does not follow redirects, timing each request."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )
        self.timings: list[tuple[str, float]] = []

    def request(self, path: str, data: dict | None = None, *, timeout: float = 30):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http://)
        if data is not None:
            request.add_header("Referer", self.base + path)
        started = time.monotonic()
        try:
            response = self.opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            text = response.read().decode("utf-8", errors="replace")
            result = Response(response.status, dict(response.headers), text)
        self.timings.append((path, time.monotonic() - started))
        return result

    def csrf_token(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")


class Response:
    def __init__(self, status: int, headers: dict, text: str):
        self.status, self.headers, self.text = status, headers, text

    def hidden(self, name: str) -> str:
        match = re.search(rf'name="{name}" value="([^"]*)"', self.text) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', self.text
        )
        assert match, f"no {name} in the page"
        return match.group(1)
