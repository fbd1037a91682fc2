#!/usr/bin/env python3
"""dbbackup benchmark: this tool against the bare dump tools, measured in the same run, reported as ratios.

Started by scripts/bench (which installs what is missing and builds the jar). Standard library only.
See docs/performance.md for what each row means.
"""
import argparse
import csv
import datetime
import glob
import json
import os
import platform
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# ---------------------------------------------------------------------------------------------------------------
# sizes: PostgreSQL pgbench scale + rows of text; MariaDB and Redis get datasets of the same two kinds (very
# compressible fixed-width rows and random-looking text). Approximate dump sizes are in docs/performance.md.
SIZES = {
    "small": dict(pg_scale=3, pg_notes=120_000, my_accounts=300_000, my_notes=120_000,
                  rd_fixed=300_000, rd_notes=120_000),
    "default": dict(pg_scale=50, pg_notes=2_000_000, my_accounts=1_000_000, my_notes=250_000,
                    rd_fixed=2_000_000, rd_notes=1_000_000),
    "large": dict(pg_scale=250, pg_notes=10_000_000, my_accounts=5_000_000, my_notes=1_250_000,
                  rd_fixed=10_000_000, rd_notes=5_000_000),
}
ENGINES = ("postgresql", "mariadb", "redis")
HEX_FROM = "0123456789abcdef"
HEX_TO = "etaoin shrdlu cm"   # md5 hex digits -> letters and spaces: words of ~7 letters, ~4 bits per character
JOBS = max(1, min(os.cpu_count() or 1, 4))
CLK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
# process-tree accounting

def children_of(pid):
    kids = []
    for f in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            with open(f) as fh:
                kids.extend(int(x) for x in fh.read().split())
        except OSError:
            pass
    return kids


def tree(pid):
    seen, stack = [], [pid]
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.append(p)
        stack.extend(children_of(p))
    return seen


def tree_rss_bytes(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def tree_cpu_seconds(pid):
    """CPU of a long-running server: its own and its live descendants' time, plus what reaped children used."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])   # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK


class Runner:
    """Runs one shell command, measuring wall time, CPU (rusage of the whole reaped tree), peak RSS of the tree."""

    def __init__(self, work):
        self.work = work
        self.current = None

    def run(self, cmd, env=None, server_pid=None, stdout_path=None, timeout=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
        err_path = os.path.join(self.work, "last-stderr.txt")
        err = open(err_path, "wb")
        srv0 = tree_cpu_seconds(server_pid) if server_pid else 0.0
        t0 = time.perf_counter()
        proc = subprocess.Popen(["bash", "-c", "set -o pipefail; " + cmd], stdout=out, stderr=err, env=full_env,
                                start_new_session=True)
        self.current = proc.pid
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss_bytes(proc.pid))
                done.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            done.set()
        self.current = None
        wall = time.perf_counter() - t0
        th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        srv = tree_cpu_seconds(server_pid) - srv0 if server_pid else None
        if stdout_path:
            out.close()
        err.close()
        with open(err_path, "rb") as fh:
            stderr = fh.read().decode("utf-8", "replace")
        return dict(rc=proc.returncode, wall=wall, user=ru.ru_utime, sys=ru.ru_stime, rss=peak[0],
                    srv_cpu=srv, stderr=stderr)

    def kill_current(self):
        if self.current:
            try:
                os.killpg(self.current, signal.SIGKILL)
                os.waitpid(self.current, 0)
            except OSError:
                pass
            self.current = None


def last_line(text):
    """The line of a tool's stderr that says what went wrong (not a usage hint such as "Try '... --help'")."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("Try '")]
    for ln in lines:
        if re.search(r"error|unknown option|not supported|invalid|denied|refused", ln, re.I):
            return ln
    return lines[-1] if lines else "(no message)"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sh(cmd, env=None, check=True, input=None, user=None, capture=True):
    """Runs an untimed helper command (a list), raising BenchError with its stderr on failure."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    if user and os.getuid() == 0:
        cmd = ["runuser", "-u", user, "--"] + cmd
    r = subprocess.run(cmd, env=full_env, input=input, stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        raise BenchError(f"{' '.join(cmd[:3])}... failed ({r.returncode}): {last_line(r.stderr)}")
    return r


def write_secret(path, text, owner=None):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    if owner and os.getuid() == 0:
        pw = pwd.getpwnam(owner)
        os.chown(path, pw.pw_uid, pw.pw_gid)
    return path


def wait_until(pred, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.2)
    raise BenchError(f"timed out waiting for {what}")


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def version_of(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
        return r.stdout.strip().splitlines()[0] if r.stdout.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "not found"


# ---------------------------------------------------------------------------------------------------------------
# throwaway servers

class Servers:
    def __init__(self, work):
        self.work = work
        self.stops = []     # LIFO cleanup actions
        self.pw = {}

    def cleanup(self):
        while self.stops:
            name, fn = self.stops.pop()
            try:
                fn()
            except Exception as e:  # keep going: everything must be stopped
                log(f"warning: stopping {name}: {e}")

    # -- PostgreSQL ----------------------------------------------------------------------------------------------
    def start_postgresql(self):
        pgbin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
        if not pgbin:
            raise BenchError("PostgreSQL binaries not found under /usr/lib/postgresql")
        self.pgbin = pgbin[-1]
        d = os.path.join(self.work, "pg")
        os.makedirs(d)
        user = "postgres" if os.getuid() == 0 else None
        if user:
            pw = pwd.getpwnam(user)
            os.chown(d, pw.pw_uid, pw.pw_gid)
        self.pw["pg"] = secret = os.urandom(18).hex()
        pwfile = write_secret(os.path.join(self.work, "pg.password"), secret + "\n", owner=user)
        self.pg_port = port = free_port()
        log(f"== starting PostgreSQL on 127.0.0.1:{port}")
        sh([f"{self.pgbin}/initdb", "-D", f"{d}/data", "-U", "postgres", "-A", "scram-sha-256",
            f"--pwfile={pwfile}", "--no-sync"], user=user)
        self.stops.append(("PostgreSQL", lambda: sh([f"{self.pgbin}/pg_ctl", "-D", f"{d}/data", "-m", "immediate",
                                                       "stop"], user=user, check=False)))
        opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={d} -c max_wal_size=4GB "
                f"-c checkpoint_timeout=30min -c shared_buffers=256MB -c maintenance_work_mem=256MB")
        sh([f"{self.pgbin}/pg_ctl", "-D", f"{d}/data", "-l", f"{d}/server.log", "-w", "-o", opts, "start"],
           user=user)
        with open(f"{d}/data/postmaster.pid") as fh:
            self.pg_pid = int(fh.readline())
        self.pg_pwfile = pwfile
        self.pg_env = dict(PGHOST="127.0.0.1", PGPORT=str(port), PGUSER="postgres",
                           PGPASSFILE=write_secret(os.path.join(self.work, "pgpass"),
                                                   f"127.0.0.1:{port}:*:postgres:{secret}\n"))
        os.environ["PATH"] = self.pgbin + ":" + os.environ["PATH"]

    def psql(self, sql, db="postgres"):
        return sh(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", db], env=self.pg_env, input=sql).stdout

    # -- MariaDB -------------------------------------------------------------------------------------------------
    def start_mariadb(self):
        d = os.path.join(self.work, "mariadb")
        os.makedirs(f"{d}/data")
        user = "mysql" if os.getuid() == 0 else None
        if user:
            pw = pwd.getpwnam(user)
            for p in (d, f"{d}/data"):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        self.my_port = port = free_port()
        log(f"== starting MariaDB on 127.0.0.1:{port}")
        sh(["mariadb-install-db", f"--datadir={d}/data", "--auth-root-authentication-method=normal",
            "--skip-test-db"] + ([f"--user={user}"] if user else []))
        mariadbd = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        sock = f"{d}/sock"
        log_f = open(f"{d}/server.log", "wb")
        proc = subprocess.Popen([mariadbd, "--no-defaults", f"--datadir={d}/data", f"--port={port}",
                                 "--bind-address=127.0.0.1", f"--socket={sock}", f"--pid-file={d}/pid",
                                 "--skip-log-bin", "--innodb-buffer-pool-size=512M", "--innodb-log-file-size=512M",
                                 "--innodb-flush-log-at-trx-commit=2", "--max-allowed-packet=256M"]
                                + ([f"--user={user}"] if user else []),
                                stdout=log_f, stderr=log_f, start_new_session=True)
        self.my_pid = proc.pid

        def stop():
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.stops.append(("MariaDB", stop))
        wait_until(lambda: os.path.exists(sock) or proc.poll() is not None, "MariaDB to start")
        if proc.poll() is not None:
            raise BenchError(f"MariaDB did not start; see {d}/server.log")
        self.pw["my"] = secret = os.urandom(18).hex()
        root_cnf = write_secret(f"{d}/root.cnf", f"[client]\nuser=root\nsocket={sock}\n")
        sh(["mariadb", f"--defaults-extra-file={root_cnf}"], input=(
            f"CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY '{secret}';"
            "GRANT ALL ON *.* TO 'bench'@'127.0.0.1' WITH GRANT OPTION;"))
        self.my_cnf = write_secret(os.path.join(self.work, "mariadb.cnf"),
                                   f"[client]\nuser=bench\npassword={secret}\nhost=127.0.0.1\nport={port}\n"
                                   "protocol=TCP\n")
        self.my_pwfile = write_secret(os.path.join(self.work, "mariadb.password"), secret + "\n")

    def mariadb(self, sql, db=None):
        return sh(["mariadb", f"--defaults-extra-file={self.my_cnf}", "-N", "-B"] + ([db] if db else []),
                  input=sql).stdout

    # -- Redis ---------------------------------------------------------------------------------------------------
    def start_redis(self, name):
        d = os.path.join(self.work, name)
        os.makedirs(d)
        port = free_port()
        secret = self.pw.setdefault("redis", os.urandom(18).hex())
        conf = write_secret(f"{d}/redis.conf", "\n".join([
            f"port {port}", "bind 127.0.0.1", f"requirepass {secret}", f"dir {d}", "save \"\"",
            "appendonly no", "repl-diskless-sync-delay 0", "enable-debug-command local",
            "protected-mode yes", f"logfile {d}/server.log", "daemonize no", ""]))
        log(f"== starting Redis ({name}) on 127.0.0.1:{port}")
        proc = subprocess.Popen(["redis-server", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

        def stop():
            proc.terminate()   # with save "" nothing is written
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.stops.append((f"Redis {name}", stop))
        self.redis_pwfile = write_secret(os.path.join(self.work, "redis.password"), secret + "\n")
        self.redis_env = dict(REDISCLI_AUTH=secret)
        wait_until(lambda: sh(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "PING"], env=self.redis_env,
                              check=False).stdout.strip() == "PONG" or proc.poll() is not None, f"Redis {name}")
        if proc.poll() is not None:
            raise BenchError(f"Redis did not start; see {d}/server.log")
        return port, proc.pid

    def redis_cli(self, port, *args, input=None):
        return sh(["redis-cli", "-h", "127.0.0.1", "-p", str(port)] + list(args), env=self.redis_env,
                  input=input).stdout

    # -- S3 protocol server (s3proxy from Maven Central) ---------------------------------------------------------
    def start_s3(self, here):
        """Returns None on success, else the reason it is not available."""
        d = os.path.join(self.work, "s3")
        os.makedirs(f"{d}/store/bench")
        cp_file = f"{d}/classpath"
        r = sh(["mvn", "-B", "-q", "-ntp", "-f", os.path.join(here, "s3proxy-pom.xml"),
                "dependency:build-classpath", f"-Dmdep.outputFile={cp_file}"], check=False)
        if r.returncode != 0 or not os.path.exists(cp_file):
            return "could not resolve s3proxy from Maven: " + last_line(r.stderr + r.stdout)
        port = free_port()
        self.s3_key, self.s3_secret = "bench", os.urandom(18).hex()
        props = write_secret(f"{d}/s3proxy.properties", "\n".join([
            f"s3proxy.endpoint=http://127.0.0.1:{port}", "s3proxy.authorization=aws-v2-or-v4",
            f"s3proxy.identity={self.s3_key}", f"s3proxy.credential={self.s3_secret}",
            "jclouds.provider=filesystem", f"jclouds.filesystem.basedir={d}/store", ""]))
        with open(cp_file) as fh:
            cp = fh.read().strip()
        log_f = open(f"{d}/server.log", "wb")
        logback = os.path.join(here, "s3proxy-logback.xml")  # logback's default, DEBUG, is a GB of logs per run
        proc = subprocess.Popen(["java", "-Xmx256m", f"-Dlogback.configurationFile={logback}", "-cp", cp,
                                 "org.gaul.s3proxy.Main", "--properties", props],
                                stdout=log_f, stderr=log_f, start_new_session=True)

        def stop():
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.stops.append(("s3proxy", stop))

        def up():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                return proc.poll() is not None
        try:
            wait_until(up, "s3proxy", timeout=90)
        except BenchError as e:
            return str(e)
        if proc.poll() is not None:
            return f"s3proxy exited at start (see its log)"
        self.s3_endpoint, self.s3_pid, self.s3_store = f"http://127.0.0.1:{port}", proc.pid, f"{d}/store"
        return None


# ---------------------------------------------------------------------------------------------------------------
# datasets

def dataset_size(size, data):
    """The size's row counts for --data: both kinds (mixed), or one kind at twice its count (about the same bytes)."""
    s = dict(SIZES[size])
    fixed, text = ("pg_scale", "my_accounts", "rd_fixed"), ("pg_notes", "my_notes", "rd_notes")
    for k in fixed:
        s[k] = 0 if data == "text" else s[k] * (2 if data == "compressible" else 1)
    for k in text:
        s[k] = 0 if data == "compressible" else s[k] * (2 if data == "text" else 1)
    return s


def pg_dataset(srv, s):
    log(f"== PostgreSQL dataset: pgbench -i -s {s['pg_scale']} and {s['pg_notes']} rows of text")
    srv.psql("CREATE DATABASE bench")
    if s["pg_scale"]:
        sh(["pgbench", "-i", "-q", "-s", str(s["pg_scale"]), "bench"], env=srv.pg_env)
    body = " || ".join(f"md5((g * 6 + {i})::text)" for i in range(6))
    srv.psql(f"""
        CREATE TABLE notes (id bigint PRIMARY KEY, ref text NOT NULL, body text NOT NULL);
        INSERT INTO notes SELECT g, md5(g::text), translate({body}, '{HEX_FROM}', '{HEX_TO}')
          FROM generate_series(1, {s['pg_notes']}) g;
        VACUUM ANALYZE;""", db="bench")
    srv.psql("CREATE DATABASE probe; ")
    srv.psql("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) "
             "FROM generate_series(1, 1000) g;", db="probe")


def my_dataset(srv, s):
    log(f"== MariaDB dataset: {s['my_accounts']} fixed-width rows (pgbench-like) and {s['my_notes']} rows of text")
    hexmap = "body"
    # map each hex digit to an upper-case letter or space first (no later REPLACE can touch it), then lower-case
    for a, b in zip(HEX_FROM, HEX_TO.upper()):
        hexmap = f"REPLACE({hexmap}, '{a}', '{b}')"
    body = "CONCAT(" + ", ".join(f"md5(seq * 6 + {i})" for i in range(6)) + ")"
    srv.mariadb(f"""
        CREATE DATABASE bench; USE bench;
        CREATE TABLE accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance int NOT NULL, filler char(84))
          ENGINE=InnoDB;
        {f"INSERT INTO accounts SELECT seq, 1 + (seq - 1) DIV 100000, 0, '' FROM seq_1_to_{s['my_accounts']};"
         if s['my_accounts'] else ""}
        CREATE TABLE notes (id bigint PRIMARY KEY, ref char(32) NOT NULL, body text NOT NULL) ENGINE=InnoDB;
        {f"INSERT INTO notes SELECT seq, md5(seq), LOWER({hexmap.replace('body', body, 1)}) "
         f"FROM seq_1_to_{s['my_notes']};" if s['my_notes'] else ""}
        CREATE DATABASE probe; USE probe;
        CREATE TABLE t (id int PRIMARY KEY, v text) ENGINE=InnoDB;
        INSERT INTO t SELECT seq, md5(seq) FROM seq_1_to_1000;""")


def redis_dataset(srv, port, s):
    log(f"== Redis dataset: {s['rd_fixed']} keys of 100 bytes (DEBUG POPULATE) and {s['rd_notes']} keys of text")
    if s["rd_fixed"]:
        srv.redis_cli(port, "DEBUG", "POPULATE", str(s["rd_fixed"]), "acct", "100")
    tr = ", ".join(f"['{a}']='{b}'" for a, b in zip(HEX_FROM, HEX_TO))
    lua = (f"local m = {{{tr}}} "
           "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do "
           "local h = '' for k = 0, 3 do h = h .. redis.sha1hex(tostring(i * 4 + k)) end "
           "redis.call('SET', 'note:' .. i, (string.gsub(h, '.', m))) end return 1")
    batch, lines = 20_000, []
    for start in range(1, s["rd_notes"] + 1, batch):
        end = min(start + batch - 1, s["rd_notes"])
        lines.append(f"EVAL \"{lua}\" 0 {start} {end}")
    srv.redis_cli(port, input="\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------------------------
# cases

class Case:
    def __init__(self, engine, group, name, cmd, floor=None, shell=None, server=None, before=None, after=None,
                 out=None, bytes_in=None, json_out=False, needs=None, env=None, max_runs=None):
        self.engine, self.group, self.name, self.cmd = engine, group, name, cmd
        self.floor, self.shell = floor, shell
        self.server, self.before, self.after = server, before, after
        self.out, self.bytes_in, self.json_out = out, bytes_in, json_out
        self.needs = needs          # feature key that must have passed its probe
        self.env = env or {}
        self.max_runs = max_runs    # a cap below --repeat, for the slow reference and the -Xmx128m check
        self.skip = None
        self.error = None
        self.runs = []


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


class Bench:
    def __init__(self, args):
        self.args = args
        self.here = os.path.dirname(os.path.abspath(__file__))
        self.work = tempfile.mkdtemp(prefix="dbbackup-bench.")
        os.chmod(self.work, 0o755)
        self.srv = Servers(self.work)
        self.runner = Runner(self.work)
        self.features = {}   # feature -> None (available) or reason
        self.cases = []
        self.jar = args.jar
        self.java = ["java", "-jar", self.jar]

    # -- helpers ------------------------------------------------------------------------------------------------
    def dbb(self, *args, xmx=None, jar=None):
        if self.args.launcher != "none":
            # as the docs tell users to run it: the launcher script, with its class-data cache in the work directory
            env = [f"DBBACKUP_JAR={quote(jar or self.jar)}", f"XDG_CACHE_HOME={quote(self.p('cds-cache'))}"]
            if xmx:
                env.append(f"DBBACKUP_JAVA_OPTS=-Xmx{xmx}")
            return " ".join(env + [quote(a) for a in [self.args.launcher] + list(args)])
        java = ["java"] + ([f"-Xmx{xmx}"] if xmx else []) + ["-jar", jar or self.jar]
        return " ".join(quote(a) for a in java + list(args))

    def p(self, *parts):
        return os.path.join(self.work, *parts)

    def probe(self, feature, cmd, env=None):
        r = self.runner.run(cmd, env=env)
        if r["rc"] == 0:
            self.features[feature] = None
            log(f"   {feature}: available")
        else:
            msg = last_line(r["stderr"])
            self.features[feature] = f"not available in this build: {msg}" if r["rc"] == 2 or "not supported" in msg \
                or "Unknown option" in msg else f"failed when tried: {msg}"
            log(f"   {feature}: {self.features[feature]}")

    def prune_set(self, repo_dir, set_name):
        """Untimed: keep only the newest backup of a set, so repeated runs do not fill the disk."""
        d = os.path.join(repo_dir, set_name)
        if not os.path.isdir(d):
            return
        ids = sorted(x for x in os.listdir(d) if os.path.isdir(os.path.join(d, x)))
        for x in ids[:-1]:
            shutil.rmtree(os.path.join(d, x), ignore_errors=True)

    def stored_object(self, repo_dir, set_name):
        d = os.path.join(repo_dir, set_name)
        ids = sorted(x for x in os.listdir(d) if os.path.isdir(os.path.join(d, x)))
        for f in sorted(os.listdir(os.path.join(d, ids[-1]))):
            if f.startswith("data."):
                return os.path.join(d, ids[-1], f)
        raise BenchError(f"no data object in {d}/{ids[-1]}")

    # -- OpenPGP key -------------------------------------------------------------------------------------------
    def make_keys(self):
        gh = self.p("gnupg")
        os.makedirs(gh, mode=0o700)
        self.gpg_env = dict(GNUPGHOME=gh)
        self.passphrase_file = write_secret(self.p("gpg.passphrase"), os.urandom(18).hex() + "\n")
        sh(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
            "bench@example.invalid", "rsa3072", "encrypt,sign", "never"], env=self.gpg_env)
        self.pubkey = self.p("KEY.asc")
        with open(self.pubkey, "w") as fh:
            fh.write(sh(["gpg", "--batch", "--armor", "--export", "bench@example.invalid"], env=self.gpg_env).stdout)
        self.seckey = self.p("SECRET.asc")
        write_secret(self.seckey, sh(["gpg", "--batch", "--armor", "--pinentry-mode", "loopback", "--passphrase", "",
                                      "--export-secret-keys", "bench@example.invalid"], env=self.gpg_env).stdout)

    def gpg_sym(self):
        return (f"gpg --batch --yes --quiet --pinentry-mode loopback --symmetric --passphrase-file "
                f"{quote(self.passphrase_file)}")

    # -- PostgreSQL cases -----------------------------------------------------------------------------------------
    def setup_postgresql(self):
        srv = self.srv
        srv.start_postgresql()
        pg = srv.pg_env
        conn = ["--type", "postgresql", "--host", "127.0.0.1", "--port", str(srv.pg_port), "--user", "postgres",
                "--password-file", srv.pg_pwfile]
        repo = self.p("repo-pg")
        log("== probing what this build of dbbackup can do (PostgreSQL)")
        self.probe("postgresql", self.dbb("backup", *conn, "--database", "postgres", "--repo", "file://" + repo,
                                          "--set", "probe", "--json", "-q"))
        if self.features["postgresql"]:
            raise BenchError("dbbackup cannot back up PostgreSQL: " + self.features["postgresql"])
        self.probe("openpgp", self.dbb("backup", *conn, "--database", "postgres", "--repo", "file://" + repo,
                                       "--set", "probe", "--encrypt-to", self.pubkey, "--json", "-q"))
        if self.args.s3:
            reason = srv.start_s3(self.here)
            if reason:
                self.features["s3"] = "S3 server not available: " + reason
            else:
                self.s3_env = dict(AWS_ACCESS_KEY_ID=srv.s3_key, AWS_SECRET_ACCESS_KEY=srv.s3_secret,
                                   AWS_REGION="us-east-1")
                self.s3_args = ["--repo", "s3://bench/repo", "--s3-endpoint", srv.s3_endpoint, "--s3-path-style",
                                "--s3-region", "us-east-1"]
                self.probe("s3", self.dbb("backup", *conn, "--database", "postgres", *self.s3_args, "--set",
                                          "probe", "--json", "-q"), env=self.s3_env)
        else:
            self.features["s3"] = "skipped (--no-s3)"
        if self.features["s3"] and not self.features["s3"].startswith(("not available", "failed")):
            log(f"   s3: {self.features['s3']}")
        pg_dataset(srv, dataset_size(self.args.size, self.args.data))
        raw = self.p("pg-raw.dump")
        log("== PostgreSQL: uncompressed custom-format dump for the restore floor and the byte counts")
        sh(["pg_dump", "-Fc", "-Z0", "-f", raw, "bench"], env=pg)
        self.pg_raw = os.path.getsize(raw)
        on_disk = int(srv.psql("SELECT pg_database_size('bench')"))
        log(f"   {self.pg_raw / 1e6:.0f} MB (pg_dump -Fc -Z0); database {on_disk / 1e6:.0f} MB on disk")
        enc = bool(self.features["openpgp"] is None)
        out = self.p("out")
        os.makedirs(out, exist_ok=True)
        E, S = "postgresql", srv.pg_pid

        def rm(*paths):
            return lambda: [os.remove(x) for x in paths if os.path.exists(x)]

        def add(group, name, cmd, **kw):
            kw.setdefault("server", S)
            kw.setdefault("env", pg)
            c = Case(E, group, name, cmd, **kw)
            self.cases.append(c)
            return c

        gsym = self.gpg_sym()
        start = "dbbackup --version  [JVM start, launcher]" if self.args.launcher != "none" \
            else "java -jar dbbackup.jar --version  [JVM start]"
        add("backup", start, self.dbb("--version"))
        # backup: floor, the seeds' way, hand-tuned shell pipelines, this tool
        add("backup", "pg_dump -Fc -Z0 > /dev/null  [floor]", "pg_dump -Fc -Z0 bench > /dev/null",
            bytes_in=self.pg_raw)
        f = f"{out}/seed.dump"
        add("backup", "seeds: pg_dump -Fc -f; gpg --symmetric", f"pg_dump -Fc -f {f} bench && {gsym} -o {f}.gpg {f}",
            floor="pg_dump -Fc -Z0 > /dev/null  [floor]", bytes_in=self.pg_raw, out=lambda f=f: file_size(f + ".gpg"),
            after=rm(f, f + ".gpg"), env={**pg, **self.gpg_env}, max_runs=1)
        for lvl in (1, 3):
            f = f"{out}/shell{lvl}.dump.zst.gpg"
            add("backup", f"shell: pg_dump -Z0 | zstd -{lvl} -T2 | gpg",
                f"pg_dump -Fc -Z0 bench | zstd -q -{lvl} -T2 | {gsym} --compress-algo none > {f}",
                floor="pg_dump -Fc -Z0 > /dev/null  [floor]", bytes_in=self.pg_raw, out=lambda f=f: file_size(f),
                after=rm(f), env={**pg, **self.gpg_env})
            if enc and lvl == 1:
                continue   # only the unencrypted dbbackup zstd-3 row needs a pipeline without gpg
            f = f"{out}/shell{lvl}.dump.zst"
            add("backup", f"shell: pg_dump -Z0 | zstd -{lvl} -T2", f"pg_dump -Fc -Z0 bench | zstd -q -{lvl} -T2 > {f}",
                floor="pg_dump -Fc -Z0 > /dev/null  [floor]", bytes_in=self.pg_raw, out=lambda f=f: file_size(f),
                after=rm(f))

        def dbb_backup(name, set_name, extra, shell, needs=None, xmx=None, env=None, repo_args=None, max_runs=None,
                       jar=None):
            repo_args = repo_args or ["--repo", "file://" + repo]
            add("backup", name, self.dbb("backup", *conn, "--database", "bench", *repo_args, "--set", set_name,
                                         *extra, "--json", "-q", xmx=xmx, jar=jar),
                floor="pg_dump -Fc -Z0 > /dev/null  [floor]", shell=shell, json_out=True, needs=needs, max_runs=max_runs,
                after=(lambda: self.prune_set(repo, set_name)) if not env else None, env={**pg, **(env or {})})

        pgp = ["--encrypt-to", self.pubkey] if enc else []
        tag = " +pgp" if enc else ""
        for lvl in (1, 3):
            dbb_backup(f"dbbackup zstd-{lvl}{tag}", f"z{lvl}", ["--compression-level", str(lvl)] + pgp,
                       f"shell: pg_dump -Z0 | zstd -{lvl} -T2" + (" | gpg" if enc else ""))
        if enc:
            dbb_backup("dbbackup zstd-3", "z3plain", ["--compression-level", "3"], "shell: pg_dump -Z0 | zstd -3 -T2")
        if self.args.baseline_jar:
            # the same backups with another build (e.g. the previous commit), alternating with the rows above
            for lvl in (1, 3):
                dbb_backup(f"baseline: dbbackup zstd-{lvl}{tag}", f"b{lvl}", ["--compression-level", str(lvl)] + pgp,
                           f"shell: pg_dump -Z0 | zstd -{lvl} -T2" + (" | gpg" if enc else ""),
                           jar=self.args.baseline_jar)
        dbb_backup(f"dbbackup zstd-3{tag} -Xmx128m", "z3xmx", ["--compression-level", "3"] + pgp,
                   f"shell: pg_dump -Z0 | zstd -3 -T2" + (" | gpg" if enc else ""), xmx="128m", max_runs=1)
        if self.features.get("s3") is None:
            dbb_backup(f"dbbackup zstd-3{tag} to S3 (loopback)", "z3", ["--compression-level", "3"] + pgp,
                       f"dbbackup zstd-3{tag}", needs="s3", env=self.s3_env, repo_args=self.s3_args)
        else:
            c = add("backup", f"dbbackup zstd-3{tag} to S3 (loopback)", "true")
            c.skip = self.features["s3"]
        # verify the zstd-3 (+pgp) set at each level; floors are the same work done by the bare tools
        keys = ["--key-file", self.seckey] if enc else []
        floor_r = f"createdb; pg_restore -j{JOBS} [floor]"
        obj = lambda: self.stored_object(repo, "z3")
        add("verify", "sha256sum stored object  [floor]", lambda: f"sha256sum {quote(obj())} > /dev/null",
            out=None)
        decode = (lambda: f"gpg --batch --quiet -d {quote(obj())} | zstd -dcq") if enc \
            else (lambda: f"zstd -dcq {quote(obj())}")
        add("verify", "decode | pg_restore -l  [floor]",
            lambda: f"{decode()} | tee -p >(pg_restore -l > /dev/null) > /dev/null",
            env={**pg, **self.gpg_env})
        for lvl, fl in (("checksum", "sha256sum stored object  [floor]"),
                        ("structure", "decode | pg_restore -l  [floor]"), ("restore", floor_r)):
            extra = conn if lvl == "restore" else []
            add("verify", f"dbbackup verify --level {lvl}",
                self.dbb("verify", "--repo", "file://" + repo, "--set", "z3", "--level", lvl, *extra,
                         *(keys if lvl != "checksum" else []), "--no-record", "--json", "-q"),
                floor=fl, json_out=True, max_runs=1 if lvl == "restore" else None)
        # restore: bare pg_restore from a local uncompressed file vs dbbackup restore --create, at the same
        # parallelism: one job (dbbackup streams the decoded dump into pg_restore) and JOBS jobs (pg_restore -j needs
        # a seekable file, so dbbackup decodes into a temporary file first)
        drop = lambda: srv.psql("DROP DATABASE IF EXISTS bench_restored WITH (FORCE)")
        for jobs in sorted({1, JOBS}):
            floor_j = f"createdb; pg_restore -j{jobs} [floor]"
            add("restore", floor_j, f"createdb bench_restored && pg_restore -j{jobs} -d bench_restored {raw}",
                before=drop, bytes_in=self.pg_raw)
            add("restore", f"dbbackup restore --create -j{jobs}",
                self.dbb("restore", "--repo", "file://" + repo, "--set", "z3", "--id", "latest", *conn, *keys,
                         "--target-database", "bench_restored", "--create", "--jobs", str(jobs), "--json", "-q"),
                floor=floor_j, before=drop, json_out=True, bytes_in=self.pg_raw)

    # -- MariaDB cases ------------------------------------------------------------------------------------------
    def setup_mariadb(self):
        srv = self.srv
        srv.start_mariadb()
        conn = ["--type", "mariadb", "--host", "127.0.0.1", "--port", str(srv.my_port), "--user", "bench",
                "--password-file", srv.my_pwfile]
        repo = self.p("repo-my")
        my_dataset(srv, dataset_size(self.args.size, self.args.data))
        log("== probing (MariaDB)")
        self.probe("mariadb", self.dbb("backup", *conn, "--database", "probe", "--repo", "file://" + repo, "--set",
                                       "probe", "--json", "-q"))
        if "openpgp" not in self.features and self.features["mariadb"] is None:
            self.probe("openpgp", self.dbb("backup", *conn, "--database", "probe", "--repo", "file://" + repo,
                                           "--set", "probe", "--encrypt-to", self.pubkey, "--json", "-q"))
        enc = self.features.get("openpgp", "not probed") is None
        raw = self.p("my-raw.sql")
        dumpc = f"mariadb-dump --defaults-extra-file={quote(srv.my_cnf)} --single-transaction"
        sh(["bash", "-c", f"{dumpc} bench > {raw}"])
        raw_size = os.path.getsize(raw)
        log(f"   {raw_size / 1e6:.0f} MB of SQL (mariadb-dump)")
        out = self.p("out")
        os.makedirs(out, exist_ok=True)
        E, S = "mariadb", srv.my_pid
        FLOOR = "mariadb-dump > /dev/null  [floor]"

        def rm(*paths):
            return lambda: [os.remove(x) for x in paths if os.path.exists(x)]

        def add(group, name, cmd, **kw):
            kw.setdefault("server", S)
            c = Case(E, group, name, cmd, **kw)
            self.cases.append(c)
            return c
        add("backup", FLOOR, f"{dumpc} bench > /dev/null", bytes_in=raw_size)
        f = f"{out}/seed.sql.gz"
        add("backup", "seeds: mysqldump | gzip", f"mysqldump --defaults-extra-file={quote(srv.my_cnf)} "
            f"--single-transaction bench | gzip > {f}", floor=FLOOR, bytes_in=raw_size, out=lambda f=f: file_size(f),
            after=rm(f), max_runs=1)
        for lvl in (3,):
            f = f"{out}/shell{lvl}.sql.zst"
            add("backup", f"shell: mariadb-dump | zstd -{lvl} -T2", f"{dumpc} bench | zstd -q -{lvl} -T2 > {f}",
                floor=FLOOR, bytes_in=raw_size, out=lambda f=f: file_size(f), after=rm(f))
        pgp = ["--encrypt-to", self.pubkey] if enc else []
        tag = " +pgp" if enc else ""
        sets = []
        for lvl, pg_ in ((3, pgp),) + (((3, []),) if enc else ()):
            s = f"z{lvl}{'pgp' if pg_ else ''}"
            sets.append(s)
            add("backup", f"dbbackup zstd-{lvl}{tag if pg_ else ''}",
                self.dbb("backup", *conn, "--database", "bench", "--repo", "file://" + repo, "--set", s,
                         "--compression-level", str(lvl), *pg_, "--json", "-q"),
                floor=FLOOR, shell=f"shell: mariadb-dump | zstd -{lvl} -T2", json_out=True, needs="mariadb",
                after=lambda s=s: self.prune_set(repo, s))
        vset = "z3pgp" if enc else "z3"
        keys = ["--key-file", self.seckey] if enc else []
        floor_r = "CREATE DATABASE; mariadb < file  [floor]"
        obj = lambda: self.stored_object(repo, vset)
        add("verify", "sha256sum stored object  [floor]", lambda: f"sha256sum {quote(obj())} > /dev/null",
            needs="mariadb")
        decode = (lambda: f"gpg --batch --quiet -d {quote(obj())} | zstd -dcq") if enc \
            else (lambda: f"zstd -dcq {quote(obj())}")
        add("verify", "decode | tail | grep 'Dump completed'  [floor]",
            lambda: f"{decode()} | tail -c 200 | grep -q 'Dump completed'", needs="mariadb", env=self.gpg_env)
        vfloors = {"checksum": "sha256sum stored object  [floor]",
                   "structure": "decode | tail | grep 'Dump completed'  [floor]", "restore": floor_r}
        for lvl in ("checksum", "structure", "restore"):
            add("verify", f"dbbackup verify --level {lvl}",
                self.dbb("verify", "--repo", "file://" + repo, "--set", vset, "--level", lvl,
                         *(conn if lvl == "restore" else []), *(keys if lvl != "checksum" else []), "--no-record",
                         "--json", "-q"),
                floor=vfloors[lvl], json_out=True, needs="mariadb", max_runs=1 if lvl == "restore" else None)
        mcl = f"mariadb --defaults-extra-file={quote(srv.my_cnf)}"
        drop = lambda: srv.mariadb("DROP DATABASE IF EXISTS bench_restored")
        add("restore", floor_r, f"{mcl} -e 'CREATE DATABASE bench_restored' && {mcl} bench_restored < {raw}",
            before=drop, bytes_in=raw_size)
        add("restore", "dbbackup restore --create",
            self.dbb("restore", "--repo", "file://" + repo, "--set", vset, "--id", "latest", *conn, *keys,
                     "--target-database", "bench_restored", "--create", "--json", "-q"),
            floor=floor_r, before=drop, json_out=True, needs="mariadb", bytes_in=raw_size)

    # -- Redis cases -------------------------------------------------------------------------------------------
    def setup_redis(self):
        srv = self.srv
        port, pid = srv.start_redis("redis")
        tport, tpid = srv.start_redis("redis-target")
        conn = ["--type", "redis", "--host", "127.0.0.1", "--port", str(port), "--password-file", srv.redis_pwfile]
        tconn = ["--type", "redis", "--host", "127.0.0.1", "--port", str(tport), "--password-file",
                 srv.redis_pwfile]
        repo = self.p("repo-redis")
        log("== probing (Redis)")
        self.probe("redis", self.dbb("backup", *conn, "--repo", "file://" + repo, "--set", "probe", "--json", "-q"))
        redis_dataset(srv, port, dataset_size(self.args.size, self.args.data))
        out = self.p("out")
        os.makedirs(out, exist_ok=True)
        rdb = self.p("redis-raw.rdb")
        sh(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "--rdb", rdb], env=srv.redis_env)
        raw_size = os.path.getsize(rdb)
        log(f"   RDB {raw_size / 1e6:.0f} MB")
        if "openpgp" not in self.features and self.features["redis"] is None:
            self.probe("openpgp", self.dbb("backup", *conn, "--repo", "file://" + repo, "--set", "probe",
                                           "--encrypt-to", self.pubkey, "--json", "-q"))
        enc = self.features.get("openpgp", "not probed") is None
        E = "redis"
        FLOOR = "redis-cli --rdb FILE  [floor]"
        cli = f"redis-cli -h 127.0.0.1 -p {port}"

        def rm(*paths):
            return lambda: [os.remove(x) for x in paths if os.path.exists(x)]

        def add(group, name, cmd, **kw):
            kw.setdefault("server", pid)
            kw.setdefault("env", srv.redis_env)
            c = Case(E, group, name, cmd, **kw)
            self.cases.append(c)
            return c
        f = f"{out}/floor.rdb"
        add("backup", FLOOR, f"{cli} --rdb {f} > /dev/null", bytes_in=raw_size, out=lambda f=f: file_size(f),
            after=rm(f))
        for lvl in (3,):
            f = f"{out}/shell{lvl}.rdb.zst"
            add("backup", f"shell: redis-cli --rdb - | zstd -{lvl} -T2",
                f"{cli} --rdb - 2> /dev/null | zstd -q -{lvl} -T2 > {f}", floor=FLOOR, bytes_in=raw_size,
                out=lambda f=f: file_size(f), after=rm(f))
        pgp = ["--encrypt-to", self.pubkey] if enc else []
        tag = " +pgp" if enc else ""
        for lvl, pg_ in ((3, pgp),) + (((3, []),) if enc else ()):
            s = f"z{lvl}{'pgp' if pg_ else ''}"
            add("backup", f"dbbackup zstd-{lvl}{tag if pg_ else ''}",
                self.dbb("backup", *conn, "--repo", "file://" + repo, "--set", s, "--compression-level", str(lvl),
                         *pg_, "--json", "-q"),
                floor=FLOOR, shell=f"shell: redis-cli --rdb - | zstd -{lvl} -T2", json_out=True, needs="redis",
                after=lambda s=s: self.prune_set(repo, s))
        vset = "z3pgp" if enc else "z3"
        keys = ["--key-file", self.seckey] if enc else []
        floor_r = "redis-server loads the RDB  [floor]"
        obj = lambda: self.stored_object(repo, vset)
        add("verify", "sha256sum stored object  [floor]", lambda: f"sha256sum {quote(obj())} > /dev/null",
            needs="redis", server=None)
        vfloors = {"checksum": "sha256sum stored object  [floor]", "structure": None, "restore": floor_r}
        for lvl in ("checksum", "structure", "restore"):
            add("verify", f"dbbackup verify --level {lvl}",
                self.dbb("verify", "--repo", "file://" + repo, "--set", vset, "--level", lvl,
                         *(tconn if lvl == "restore" else []), *(keys if lvl != "checksum" else []), "--no-record",
                         "--json", "-q"),
                floor=vfloors[lvl], json_out=True, needs="redis", max_runs=1 if lvl == "restore" else None,
                before=lambda: srv.redis_cli(tport, "FLUSHALL"))
        # bare restore floor: a fresh redis-server started on the RDB file, timed until it has loaded the data
        ld = self.p("redis-load")
        os.makedirs(ld, exist_ok=True)
        shutil.copy(rdb, f"{ld}/dump.rdb")
        lport = free_port()
        write_secret(f"{ld}/redis.conf", f"port {lport}\nbind 127.0.0.1\nrequirepass {srv.pw['redis']}\ndir {ld}\n"
                     "dbfilename dump.rdb\nsave \"\"\nappendonly no\n")
        load_cmd = (f"redis-server {ld}/redis.conf > /dev/null & P=$!; "
                    f"until [ \"$(redis-cli -h 127.0.0.1 -p {lport} PING 2>/dev/null)\" = PONG ]; do sleep 0.02; "
                    f"kill -0 $P || exit 1; [ $SECONDS -lt 1800 ] || {{ kill $P; exit 1; }}; done; redis-cli -h 127.0.0.1 -p {lport} SHUTDOWN NOSAVE > /dev/null; "
                    f"wait $P")
        add("restore", floor_r, load_cmd, server=None, bytes_in=raw_size)
        add("restore", "dbbackup restore (into a running server)",
            self.dbb("restore", "--repo", "file://" + repo, "--set", vset, "--id", "latest", *tconn, *keys,
                     "--json", "-q"),
            floor=floor_r, server=tpid, json_out=True, needs="redis", bytes_in=raw_size,
            before=lambda: srv.redis_cli(tport, "FLUSHALL"))
        # the same tool as the floor: dbbackup writes the RDB file into a stopped server's data directory, then that
        # server starts and loads it (the floor's file is in place before its clock starts; this row's is not)
        fd = self.p("redis-file")
        os.makedirs(fd, exist_ok=True)
        fport = free_port()
        write_secret(f"{fd}/redis.conf", f"port {fport}\nbind 127.0.0.1\nrequirepass {srv.pw['redis']}\ndir {fd}\n"
                     "dbfilename dump.rdb\nsave \"\"\nappendonly no\n")
        fconn = ["--type", "redis", "--host", "127.0.0.1", "--port", str(fport), "--password-file", srv.redis_pwfile]
        file_restore = self.dbb("restore", "--repo", "file://" + repo, "--set", vset, "--id", "latest", *fconn, *keys,
                                "--redis-restore", "file", "--redis-data-dir", fd, "--json", "-q")
        add("restore", "dbbackup restore --redis-restore file; redis-server loads it",
            f"{file_restore} && " + load_cmd.replace(ld, fd).replace(str(lport), str(fport)),
            floor=floor_r, server=None, json_out=True, needs="redis", bytes_in=raw_size,
            before=lambda: [os.remove(os.path.join(fd, n)) for n in os.listdir(fd) if n.startswith("dump.rdb")])

    # -- measuring ------------------------------------------------------------------------------------------------
    def measure(self):
        for c in self.cases:
            if c.needs and self.features.get(c.needs) is not None and not c.skip:
                c.skip = self.features[c.needs]
        order = [(e, g) for e in ENGINES for g in ("backup", "verify", "restore")]
        for e, g in order:
            group = [c for c in self.cases if c.engine == e and c.group == g]
            if not group:
                continue
            log(f"== {e} {g}: {len([c for c in group if not c.skip])} commands x {self.args.repeat}, alternating")
            t = time.time()
            for r in range(self.args.repeat):
                for c in group:
                    if c.skip or c.error or (c.max_runs and r >= c.max_runs):
                        continue
                    self.run_case(c, r)
            log(f"   ({e} {g}: {time.time() - t:.0f} s)")

    def run_case(self, c, r):
        if c.before:
            c.before()
        os.sync()
        cmd = c.cmd() if callable(c.cmd) else c.cmd
        jpath = self.p("last-stdout.json") if c.json_out else None
        res = self.runner.run(cmd, env=c.env, server_pid=c.server, stdout_path=jpath)
        res.update(run=r + 1, bytes_in=c.bytes_in, bytes_out=None)
        if res["rc"] != 0:
            c.error = f"exit {res['rc']}: {last_line(res['stderr'])}"
            log(f"   {c.name}: FAILED {c.error}")
        else:
            if c.json_out:
                try:
                    with open(jpath) as fh:
                        j = json.load(fh)
                    res["bytes_in"] = j.get("originalBytes", res["bytes_in"])
                    res["bytes_out"] = j.get("storedBytes")
                except (OSError, ValueError):
                    pass
            if c.out:
                res["bytes_out"] = c.out()
            log(f"   [{r + 1}] {c.name}: {res['wall']:.2f} s wall, {res['user'] + res['sys']:.2f} s CPU, "
                f"{res['rss'] / 2**20:.0f} MB peak RSS")
        c.runs.append(res)
        if c.after:
            c.after()

    # -- report ---------------------------------------------------------------------------------------------------
    def stats(self, c):
        ok = [x for x in c.runs if x["rc"] == 0]
        if not ok:
            return None
        w = [x["wall"] for x in ok]
        return dict(wall=median(w), wmin=min(w), wmax=max(w), cpu=median([x["user"] + x["sys"] for x in ok]),
                    srv=median([x["srv_cpu"] for x in ok]), rss=max(x["rss"] for x in ok),
                    bin=median([x["bytes_in"] for x in ok]), bout=median([x["bytes_out"] for x in ok]), n=len(ok))

    def targets(self):
        """The targets of docs/performance.md checked against this run's medians: (target, measured, verdict)."""
        by_name = {(c.engine, c.name): c for c in self.cases}
        enc = " +pgp" if self.features.get("openpgp", "not probed") is None else ""

        def get(engine, name):
            c = by_name.get((engine, name))
            if c is None:
                return None, "not in this run"
            st = self.stats(c)
            if st is None:
                return None, c.skip or c.error or "no successful run"
            return st, None

        out = []

        def ratio(target, limit, num, den, at_least=False):
            a, why_a = get(*num)
            b, why_b = get(*den)
            if a is None or b is None:
                out.append((target, "-", "not measured: " + (why_a or why_b)))
                return
            x = a["wall"] / b["wall"]
            ok = x >= limit if at_least else x <= limit
            out.append((target, f"{x:.2f}", "PASS" if ok else "FAIL"))

        pg_floor = ("postgresql", "pg_dump -Fc -Z0 > /dev/null  [floor]")
        for lvl in (1, 3):
            ratio(f"PostgreSQL dbbackup zstd-{lvl}{enc} <= shell pipeline zstd-{lvl} (x1.00)", 1.00,
                  ("postgresql", f"dbbackup zstd-{lvl}{enc}"),
                  ("postgresql", f"shell: pg_dump -Z0 | zstd -{lvl} -T2" + (" | gpg" if enc else "")))
            ratio(f"PostgreSQL dbbackup zstd-{lvl}{enc} <= 1.10 x pg_dump -Fc -Z0 > /dev/null ({self.args.data} dataset)", 1.10,
                  ("postgresql", f"dbbackup zstd-{lvl}{enc}"), pg_floor)
        ratio(f"PostgreSQL seeds' way / dbbackup zstd-3{enc} >= 7 ({self.args.data} dataset)", 7.0,
              ("postgresql", "seeds: pg_dump -Fc -f; gpg --symmetric"), ("postgresql", f"dbbackup zstd-3{enc}"),
              at_least=True)
        ratio(f"PostgreSQL dbbackup zstd-3{enc} to S3 <= 1.15 x local", 1.15,
              ("postgresql", f"dbbackup zstd-3{enc} to S3 (loopback)"), ("postgresql", f"dbbackup zstd-3{enc}"))
        ratio("MariaDB dbbackup zstd-3 <= 1.10 x mariadb-dump | zstd -3 -T2 > file", 1.10,
              ("mariadb", "dbbackup zstd-3"), ("mariadb", "shell: mariadb-dump | zstd -3 -T2"))
        ratio("Redis dbbackup zstd-3 <= 1.1 x redis-cli --rdb FILE", 1.10,
              ("redis", "dbbackup zstd-3"), ("redis", "redis-cli --rdb FILE  [floor]"))
        for engine, name, floor in (
                *(("postgresql", f"dbbackup restore --create -j{j}", f"createdb; pg_restore -j{j} [floor]")
                  for j in sorted({1, JOBS})),
                ("mariadb", "dbbackup restore --create", "CREATE DATABASE; mariadb < file  [floor]"),
                ("redis", "dbbackup restore (into a running server)", "redis-server loads the RDB  [floor]"),
                ("redis", "dbbackup restore --redis-restore file; redis-server loads it",
                 "redis-server loads the RDB  [floor]")):
            ratio(f"{engine} restore <= 1.10 x bare restore ({name})", 1.10, (engine, name), (engine, floor))
        # memory: the tree's peak minus the dump tool's own peak (the floor row) approximates the JVM's
        for engine, floor in (("postgresql", pg_floor[1]), ("mariadb", "mariadb-dump > /dev/null  [floor]"),
                              ("redis", "redis-cli --rdb FILE  [floor]")):
            fl, _ = get(engine, floor)
            # the target is the JVM doing a backup; verify and restore rows can include a scratch server's memory
            peaks = [(c.name, self.stats(c)) for c in self.cases if c.engine == engine and c.group == "backup" and
                     c.name.startswith("dbbackup") and not c.skip and not c.error and self.stats(c)]
            if not peaks or fl is None:
                continue
            name, st = max(peaks, key=lambda x: x[1]["rss"])
            jvm = (st["rss"] - fl["rss"]) / 2**20
            size = f"{(st['bin'] or 0) / 1e9:.1f} GB dump"
            out.append((f"{engine}: dbbackup backup peak RSS <= 300 MB ({size}; worst row: {name}, less the dump tool's)",
                        f"{jvm:.0f} MB", "PASS" if jvm <= 300 else "FAIL"))
        xmx = by_name.get(("postgresql", f"dbbackup zstd-3{enc} -Xmx128m"))
        if xmx:
            out.append(("works with -Xmx128m", "-",
                        "PASS" if self.stats(xmx) else "not measured: " + (xmx.skip or xmx.error or "?")))
        return out

    def report(self, started, machine):
        by_name = {(c.engine, c.name): c for c in self.cases}
        rows = []
        for c in self.cases:
            st = self.stats(c)
            if c.skip or c.error or not st:
                rows.append((c, None, None, None))
                continue
            ratios = []
            for ref in (c.floor, c.shell):
                rc = by_name.get((c.engine, ref)) if ref else None
                rs = self.stats(rc) if rc else None
                ratios.append(st["wall"] / rs["wall"] if rs and rs["wall"] else None)
            rows.append((c, st, ratios[0], ratios[1]))

        def mb(x):
            return "" if x is None else f"{x / 1e6:.0f}" if x >= 10e6 else f"{x / 1e6:.1f}"

        def rt(x):
            return "" if x is None else f"{x:.2f}"

        hdr = ["engine", "step", "command", "wall s (median)", "min-max", "CPU s", "server CPU s", "peak RSS MB",
               "in MB", "out MB", "x floor", "x shell"]
        table = []
        for c, st, rf, rsh in rows:
            if st is None:
                why = c.skip or c.error or "no successful run"
                table.append([c.engine, c.group, c.name, "skipped" if c.skip else "FAILED", why, "", "", "", "", "",
                              "", ""])
                continue
            table.append([c.engine, c.group, c.name, f"{st['wall']:.2f}", f"{st['wmin']:.2f}-{st['wmax']:.2f}",
                          f"{st['cpu']:.2f}", "" if st["srv"] is None else f"{st['srv']:.2f}",
                          f"{st['rss'] / 2**20:.0f}", mb(st["bin"]), mb(st["bout"]), rt(rf), rt(rsh)])
        # console
        print()
        print(machine)
        measured = [r for r in table if r[3] not in ("skipped", "FAILED")]
        widths = [max(len(str(r[i])) for r in [hdr] + measured + [x[:3] for x in table] if i < len(r))
                  for i in range(len(hdr))]
        for r in [hdr] + table:
            if r[3] in ("skipped", "FAILED"):
                print("  ".join(str(v).ljust(widths[i]) for i, v in enumerate(r[:3])) + f"  {r[3]}: {r[4]}")
            else:
                print("  ".join(str(v).ljust(widths[i]) for i, v in enumerate(r)).rstrip())
        checks = self.targets()
        print()
        tw = max(len(t) for t, _, _ in checks)
        print("targets (see docs/performance.md):")
        for t, v, verdict in checks:
            print(f"  {t.ljust(tw)}  {v.rjust(7)}  {verdict}")
        # files
        os.makedirs(self.args.out, exist_ok=True)
        with open(os.path.join(self.args.out, "runs.csv"), "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["engine", "step", "command", "run", "exit", "wall_s", "user_s", "sys_s", "cpu_s",
                        "server_cpu_s", "peak_rss_bytes", "bytes_in", "bytes_out", "error"])
            for c in self.cases:
                for x in c.runs:
                    w.writerow([c.engine, c.group, c.name, x["run"], x["rc"], f"{x['wall']:.4f}", f"{x['user']:.3f}",
                                f"{x['sys']:.3f}", f"{x['user'] + x['sys']:.3f}",
                                "" if x["srv_cpu"] is None else f"{x['srv_cpu']:.3f}", x["rss"],
                                x["bytes_in"] or "", x["bytes_out"] or "",
                                "" if x["rc"] == 0 else last_line(x["stderr"])])
                if c.skip:
                    w.writerow([c.engine, c.group, c.name, "", "", "", "", "", "", "", "", "", "", "skipped: " + c.skip])
        with open(os.path.join(self.args.out, "summary.md"), "w") as fh:
            fh.write(f"# dbbackup benchmark ({self.args.size}, {self.args.data} data, {self.args.repeat} runs per "
                     "command)\n\n")
            fh.write("```\n" + machine + "\n```\n\n")
            fh.write("| " + " | ".join(hdr) + " |\n|" + "---|" * len(hdr) + "\n")
            for r in table:
                fh.write("| " + " | ".join(str(v).replace("|", "\\|") for v in r) + " |\n")
            fh.write("\nwall: median of the runs (min-max); CPU: user+sys of the command's whole process tree; "
                     "server CPU: what the database server's processes used meanwhile; peak RSS: largest sum over "
                     "the process tree, sampled every 50 ms; x floor / x shell: median wall divided by the floor's / "
                     "the shell pipeline's median wall in the same run.\n")
            fh.write("\n## Targets\n\n| target | measured | verdict |\n|---|---|---|\n")
            for t, v, verdict in checks:
                fh.write(f"| {t.replace('|', chr(92) + '|')} | {v} | {verdict} |\n")
        log(f"== wrote {self.args.out}/runs.csv and {self.args.out}/summary.md "
            f"({time.time() - started:.0f} s in all)")

    def cleanup(self):
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # a second Ctrl-C must not cut the cleanup short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.runner.kill_current()
        self.srv.cleanup()
        if getattr(self, "gpg_env", None):
            sh(["gpgconf", "--kill", "gpg-agent"], env=self.gpg_env, check=False)
        if self.args.keep_work:
            log(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def quote(s):
    s = str(s)
    return s if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", s) else "'" + s.replace("'", "'\\''") + "'"


def machine_info(args):
    mem = subprocess.run(["free", "-g"], stdout=subprocess.PIPE, text=True).stdout.strip()
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "?")
    except OSError:
        pass
    load = open("/proc/loadavg").read().split()[:3]
    vers = [version_of(["java", "-jar", args.jar, "--version"]), version_of(["java", "-version"]),
            version_of(["pg_dump", "--version"]), version_of(["mariadb-dump", "--version"]),
            version_of(["redis-server", "--version"]), version_of(["zstd", "--version"]),
            version_of(["gpg", "--version"]), version_of(["gzip", "--version"])]
    return "\n".join([
        f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}   size: {args.size}   data: {args.data}   "
        f"repeat: {args.repeat}",
        f"machine: {platform.node()}  nproc {os.cpu_count()}  CPU {cpu}  load average at start {' '.join(load)}",
        mem, "versions: " + " | ".join(vers)])


def main():
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=SIZES, default="default",
                    help="dataset size: small (tens of MB, a smoke run), default (~1 GB PostgreSQL dump), "
                         "large (~5 GB)")
    ap.add_argument("--data", choices=("mixed", "compressible", "text"), default="mixed",
                    help="dataset kind: both (default), only the very compressible fixed-width rows, or only the "
                         "random-looking text; a single kind gets twice its rows, so the size stays about the same")
    ap.add_argument("--repeat", type=int, default=3, help="runs per command, alternating (default 3)")
    ap.add_argument("--only", default=",".join(ENGINES), help="comma-separated: postgresql,mariadb,redis")
    ap.add_argument("--out", default="target/bench", help="directory for runs.csv and summary.md")
    ap.add_argument("--jar", default="cli/target/dbbackup.jar", help="the dbbackup jar to measure "
                    "(scripts/bench builds and passes cli/target/dbbackup.jar)")
    ap.add_argument("--launcher", default="cli/dbbackup",
                    help="how to start dbbackup: the launcher script (default cli/dbbackup, as docs/cli.md recommends)"
                         " or 'none' for plain 'java -jar'")
    ap.add_argument("--baseline-jar", help="also measure the PostgreSQL backup rows with this dbbackup jar (for "
                    "example a build of the previous commit), in the same run, as rows named 'baseline: ...'")
    ap.add_argument("--no-s3", dest="s3", action="store_false", help="do not start an S3 protocol server")
    ap.add_argument("--keep-work", action="store_true", help="keep the temporary directory (debugging)")
    args = ap.parse_args()
    only = [x.strip() for x in args.only.split(",") if x.strip()]
    bad = [x for x in only if x not in ENGINES]
    if bad or not only:
        ap.error(f"--only takes {','.join(ENGINES)}; got {args.only}")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if not os.path.isfile(args.jar):
        ap.error(f"{args.jar} not found: build it with mvn -B -DskipTests -pl cli -am package")
    args.jar = os.path.abspath(args.jar)
    if args.launcher != "none":
        if not os.access(args.launcher, os.X_OK):
            ap.error(f"--launcher {args.launcher} is not an executable script (or say --launcher none)")
        args.launcher = os.path.abspath(args.launcher)
    if args.baseline_jar:
        if not os.path.isfile(args.baseline_jar):
            ap.error(f"--baseline-jar {args.baseline_jar} not found")
        args.baseline_jar = os.path.abspath(args.baseline_jar)
    args.out = os.path.abspath(args.out)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGINT, on_signal)    # also when started in the background, where SIGINT is ignored
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    started = time.time()
    machine = machine_info(args)
    log(machine)
    b = Bench(args)
    try:
        b.make_keys()
        for e in ENGINES:
            if e in only:
                t = time.time()
                getattr(b, f"setup_{e}")()
                log(f"   ({e}: server, probes and dataset ready in {time.time() - t:.0f} s)")
        b.measure()
        b.report(started, machine)
    except KeyboardInterrupt:
        log("interrupted: stopping the servers and removing the temporary directory")
        return 130
    except BenchError as e:
        log(f"error: {e}")
        return 1
    finally:
        b.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
