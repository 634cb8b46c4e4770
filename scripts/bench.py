#!/usr/bin/env python3
"""Measure WabaRouter's bulk throughput against the Infobip simulator, all on loopback.

scripts/bench.sh starts a throwaway PostgreSQL cluster and runs this driver with
DATABASE_URL, PSQL (path of psql), POSTMASTER_PID_FILE and BENCH_STATE_DIR set. The driver
starts the simulator and the WabaRouter instances itself, once per scenario, and writes the
id of every child process to BENCH_STATE_DIR/pids, so that bench.sh can stop what is left
when this driver dies without cleaning up.

Each scenario gets a fresh simulator, fresh instances (so that VmHWM is the peak of that
scenario alone) and a WABA of its own, with its own senders, template and recipients. Only
the Python 3 standard library is used. docs/benchmarks.md explains each printed number.
"""

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ROOT = Path(__file__).resolve().parent.parent
WABAROUTER = ROOT / ".build" / "release" / "wabarouter"
SIMULATOR = ROOT / ".build" / "release" / "infobip-sim"
TEMPLATE_TEXT = "Hello {{1}}, your order {{2}} is ready."
# Recipients and senders are Brazilian mobile numbers, +55 11 9 and eight digits, which pass
# WabaRouter's number validation. Each scenario takes its own block of the eight digits.
NUMBER_PREFIX = "+55119"
SENDER_BLOCK_START = 99_000_000
# Server settings that the bench passes through from its own environment when they are set.
PASSED_SETTINGS = ("DISPATCH_WORKERS", "DISPATCH_BATCH_SIZE", "DATABASE_POOL_SIZE")
# Seconds between polls of the simulator's counters, and of the database for reports.
SENT_POLL_SECONDS = 0.2
REPORT_POLL_SECONDS = 1.0


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


def parse_arguments():
    parser = argparse.ArgumentParser(
        prog="scripts/bench.sh",
        description="Benchmark a WabaRouter bulk send against the Infobip simulator on "
        "loopback. Run it through scripts/bench.sh, which provides the database."
    )
    parser.add_argument("--messages", type=int, default=100_000,
                        help="messages in the main bulk (default 100000, the API's maximum)")
    parser.add_argument("--small-messages", type=int, default=10_000,
                        help="messages in the bulk run first for the memory comparison "
                        "(default 10000; 0 skips it)")
    parser.add_argument("--naive-messages", type=int, default=2_000,
                        help="messages in the sequential POST /messages/send sample "
                        "(default 2000; 0 skips it)")
    parser.add_argument("--instances", type=int, default=1,
                        help="WabaRouter instances sharing the database (default 1)")
    parser.add_argument("--senders", type=int, default=10,
                        help="senders of the WABA (default 10)")
    parser.add_argument("--sender-rate", type=int, default=10_000,
                        help="messagesPerSecond of each sender (default 10000, the API's "
                        "maximum)")
    parser.add_argument("--report-delay-ms", type=int, default=200,
                        help="simulator delay before each delivery and seen report, in "
                        "milliseconds (default 200)")
    parser.add_argument("--reports", choices=("both", "on", "off"), default="both",
                        help="run the main bulk with the simulator's reports on, off or both "
                        "(default both)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="bulks of --messages sent one after another through one instance, "
                        "with reports off, to see whether memory grows with the messages sent "
                        "(default 3; 0 skips it)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds one scenario may take before the bench fails "
                        "(default 900)")
    arguments = parser.parse_args()

    if not 1 <= arguments.messages <= 100_000:
        parser.error("--messages must be from 1 to 100000, the bulk API's maximum")
    if not 0 <= arguments.small_messages <= 100_000:
        parser.error("--small-messages must be from 0 to 100000")
    if not 0 <= arguments.naive_messages <= 1_000_000:
        parser.error("--naive-messages must be from 0 to 1000000")
    if not 0 <= arguments.repeats <= 20:
        parser.error("--repeats must be from 0 to 20")
    if not 1 <= arguments.instances <= 16:
        parser.error("--instances must be from 1 to 16")
    if not 1 <= arguments.senders <= 100:
        parser.error("--senders must be from 1 to 100")
    if not 1 <= arguments.sender_rate <= 10_000:
        parser.error("--sender-rate must be from 1 to 10000, the API's range")
    return arguments


# ----------------------------------------------------------------------------------------------
# Child processes


class Children:
    """The processes this driver started, mirrored to a pid file for bench.sh's cleanup."""

    def __init__(self, pid_file):
        self.pid_file = pid_file
        self.running = {}

    def start(self, name, argv, env, log_path):
        with open(log_path, "ab") as log_file:
            process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                       stdout=log_file, stderr=log_file)
        self.running[process.pid] = (name, process, log_path)
        self._write()
        return process

    def stop(self, process, timeout=20):
        """Send SIGTERM, wait up to `timeout` seconds, then send SIGKILL."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                name = self.running.get(process.pid, ("process",))[0]
                log(f"{name} (pid {process.pid}) ignored SIGTERM for {timeout} s; killing it")
                process.kill()
                process.wait()
        self.running.pop(process.pid, None)
        self._write()

    def stop_all(self):
        for _, process, _ in list(self.running.values()):
            self.stop(process)

    def print_log_tails(self, lines=15):
        for name, _, log_path in self.running.values():
            try:
                tail = Path(log_path).read_text(errors="replace").splitlines()[-lines:]
            except OSError:
                continue
            log(f"last lines of {name}'s log ({log_path}):")
            for line in tail:
                print("    " + line, file=sys.stderr)

    def _write(self):
        temporary = self.pid_file.with_suffix(".tmp")
        temporary.write_text("".join(f"{pid}\n" for pid in self.running))
        temporary.replace(self.pid_file)


def free_port():
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ----------------------------------------------------------------------------------------------
# HTTP


class Client:
    """A keep-alive JSON client for one port of 127.0.0.1."""

    def __init__(self, port, token=None, timeout=60):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.connection = None

    def request(self, method, path, body=None, expect=(200, 201, 202)):
        payload = None
        headers = {}
        if body is not None:
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection, so reconnect once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        if response.status not in expect:
            raise BenchError(f"{method} {path} on port {self.port} returned {response.status}: "
                             f"{data[:500].decode(errors='replace')}")
        return json.loads(data) if data else None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def wait_until_ready(port, path, process, name, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} exited with status {process.returncode} during start")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(f"{name} did not return 200 for GET {path} on port {port} within "
                     f"{timeout} s")


# ----------------------------------------------------------------------------------------------
# /proc and psql


def stat_fields(pid):
    """Return the fields of /proc/PID/stat after the command name, from field 3 (state) on."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def cpu_seconds(pid, include_children=False):
    """Return utime + stime of `pid` in seconds, plus those of its reaped children if asked."""
    fields = stat_fields(pid)
    # proc(5) fields 14 to 17: utime, stime, cutime, cstime.
    ticks = int(fields[11]) + int(fields[12])
    if include_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def postgres_cpu_seconds(postmaster_pid):
    """Return the CPU seconds of the postmaster, its live children and its reaped children."""
    total = cpu_seconds(postmaster_pid, include_children=True)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = stat_fields(entry.name)
        except OSError:
            continue
        if int(fields[1]) == postmaster_pid:
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def status_mib(pid, name):
    """Return the field `name` of /proc/PID/status, given there in kB, in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(f"{name}:"):
                return int(line.split()[1]) / 1024
    raise BenchError(f"/proc/{pid}/status has no {name} line")


def peak_memory_mib(pid):
    """Return VmHWM, the peak resident set size, in MiB."""
    return status_mib(pid, "VmHWM")


def psql(sql):
    """Run `sql` and return its rows as lists of text fields."""
    result = subprocess.run(
        [os.environ["PSQL"], os.environ["DATABASE_URL"], "--no-psqlrc", "-At", "-F", "\t",
         "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"psql failed: {result.stderr.strip()}")
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def count_messages(bulk_id, statuses):
    """Count the bulk's messages in `statuses`, which the messages_bulk_status index serves."""
    listed = ", ".join(f"'{status}'" for status in statuses)
    rows = psql(f"SELECT count(*) FROM messages WHERE bulk_id = '{bulk_id}' "
                f"AND status IN ({listed})")
    return int(rows[0][0])


# ----------------------------------------------------------------------------------------------
# Deployment of one scenario


@dataclass
class Instance:
    port: int
    process: subprocess.Popen


class Deployment:
    """The simulator and the WabaRouter instances of one scenario."""

    def __init__(self, context, name, instance_count=None):
        self.context = context
        self.name = name
        self.instance_count = instance_count or context.arguments.instances
        self.simulator_port = 0
        self.simulator = None
        self.instances = []

    def start(self):
        arguments = self.context.arguments
        children = self.context.children
        self.simulator_port = free_port()
        self.simulator = children.start(
            "infobip-sim",
            [str(SIMULATOR), "--port", str(self.simulator_port), "--log-bodies", "off",
             "--log-level", "warning", "--report-delay-ms", str(arguments.report_delay_ms)],
            os.environ.copy(),
            self.context.state_dir / f"{self.name}-simulator.log")
        wait_until_ready(self.simulator_port, "/simulator/stats", self.simulator,
                             "infobip-sim")
        for index in range(self.instance_count):
            port = free_port()
            env = dict(self.context.server_env, PORT=str(port), HOST="127.0.0.1",
                       PUBLIC_URL=f"http://127.0.0.1:{port}")
            process = children.start(
                f"wabarouter {index}", [str(WABAROUTER), "serve"], env,
                self.context.state_dir / f"{self.name}-wabarouter-{index}.log")
            self.instances.append(Instance(port, process))
        for index, instance in enumerate(self.instances):
            wait_until_ready(instance.port, "/readyz", instance.process,
                                 f"wabarouter {index}")

    def check_running(self):
        for index, instance in enumerate(self.instances):
            if instance.process.poll() is not None:
                raise BenchError(f"wabarouter {index} exited with status "
                                 f"{instance.process.returncode}")
        if self.simulator.poll() is not None:
            raise BenchError(f"infobip-sim exited with status {self.simulator.returncode}")

    def cpu(self):
        return {
            "wabarouter": sum(cpu_seconds(i.process.pid) for i in self.instances),
            "postgres": postgres_cpu_seconds(self.context.postmaster_pid),
            "simulator": cpu_seconds(self.simulator.pid),
        }

    def peak_memory(self):
        return [peak_memory_mib(i.process.pid) for i in self.instances]

    def stop(self):
        for instance in self.instances:
            self.context.children.stop(instance.process)
        if self.simulator is not None:
            self.context.children.stop(self.simulator)


def sender_numbers(scenario_index, count):
    start = SENDER_BLOCK_START + scenario_index * 100
    return [f"{NUMBER_PREFIX}{start + i:08d}" for i in range(count)]


def recipient(scenario_index, index):
    return f"{NUMBER_PREFIX}{scenario_index * 1_000_000 + index:08d}"


def create_waba(api, simulator, scenario_index, arguments, reports):
    """Register a WABA with an UNLIMITED portfolio, its senders and an approved template."""
    waba = api.request("POST", "/wabas", {
        "name": f"bench {scenario_index}",
        "apiKey": "bench-api-key-0001",
        "baseUrl": f"http://127.0.0.1:{simulator.port}",
        "wabaId": str(900_000_000_000 + scenario_index),
    })
    api.request("PATCH", f"/portfolios/{waba['portfolioId']}", {"messagingLimit": "UNLIMITED"})
    for number in sender_numbers(scenario_index, arguments.senders):
        api.request("POST", f"/wabas/{waba['id']}/senders",
                    {"number": number, "messagesPerSecond": arguments.sender_rate})
        if not reports:
            simulator.request("PUT", f"/simulator/senders/{number.lstrip('+')}",
                              {"reports": []})
    api.request("POST", f"/wabas/{waba['id']}/templates", {
        "name": "order_update", "language": "en", "category": "UTILITY",
        "components": {"body": {"text": TEMPLATE_TEXT}},
    })
    return waba["id"]


# ----------------------------------------------------------------------------------------------
# Bulk scenario


@dataclass
class BulkResult:
    label: str
    messages: int
    reports: bool
    load_before: float = 0
    load_after: float = 0
    accept_seconds: float = 0
    sent: int = 0
    failed: int = 0
    send_seconds: float = 0
    dispatch_seconds: float = 0
    p50: float = 0
    p99: float = 0
    settle_seconds: float = 0
    cpu_during_accept: dict = field(default_factory=dict)
    cpu_to_sent: dict = field(default_factory=dict)
    cpu_to_settled: dict = field(default_factory=dict)
    peak_memory: list = field(default_factory=list)
    simulator_peak_memory: float = 0
    infobip_requests: int = 0
    simulator_accepted: int = 0
    duplicates: int = 0

    @property
    def rate(self):
        return self.sent / self.send_seconds if self.send_seconds > 0 else 0


def build_bulk_body(waba_id, scenario_index, count):
    items = ",".join(
        '{"to":"%s","params":{"body":["Ana","A-%06d"]}}' % (recipient(scenario_index, i), i)
        for i in range(count))
    return ('{"wabaId":"%s","templateName":"order_update","language":"en","messages":[%s]}'
            % (waba_id, items)).encode()


def wait_until_sent(deployment, simulator, bulk_id, count, timeout):
    """Wait until no message of the bulk is QUEUED or SENDING.

    Polling GET /bulks/:id every 0.2 s ran several scans of the bulk's rows and slowed the
    run it measured, so this polls the simulator's in-memory counter instead. The database is
    queried once the simulator has accepted every message, and every 5 s in case some fail.
    """
    deadline = time.monotonic() + timeout
    polls = 0
    while True:
        deployment.check_running()
        accepted = simulator.request("GET", "/simulator/stats")["messagesAccepted"]
        if accepted >= count or polls % 25 == 24:
            if count_messages(bulk_id, ("QUEUED", "SENDING")) == 0:
                return
        if time.monotonic() > deadline:
            raise BenchError(f"bulk {bulk_id} still has unsent messages after {timeout:.0f} s; "
                             f"the simulator accepted {accepted} of {count}")
        polls += 1
        time.sleep(SENT_POLL_SECONDS)


def wait_until_settled(deployment, bulk_id, timeout):
    """Wait until every message of the bulk is SEEN or FAILED."""
    deadline = time.monotonic() + timeout
    while True:
        deployment.check_running()
        pending = count_messages(bulk_id, ("QUEUED", "SENDING", "SENT", "DELIVERED"))
        if pending == 0:
            return
        if time.monotonic() > deadline:
            raise BenchError(f"bulk {bulk_id} has {pending} messages without a seen report "
                             f"after {timeout:.0f} s")
        time.sleep(REPORT_POLL_SECONDS)


def cpu_delta(after, before):
    return {name: after[name] - before[name] for name in after}


def read_timings(result, bulk_id, started, accepted_at):
    """Read the send instants of the bulk's messages, and their last update, from the database."""
    rows = psql(f"""
        SELECT count(sent_at),
               extract(epoch FROM max(sent_at)),
               percentile_cont(0.5) WITHIN GROUP
                   (ORDER BY extract(epoch FROM sent_at - created_at)),
               percentile_cont(0.99) WITHIN GROUP
                   (ORDER BY extract(epoch FROM sent_at - created_at)),
               extract(epoch FROM max(updated_at))
        FROM messages WHERE bulk_id = '{bulk_id}'
    """)
    sent, last_sent, p50, p99, last_update = rows[0]
    result.sent = int(sent)
    if result.sent == 0:
        raise BenchError(f"bulk {bulk_id} has no message with sent_at")
    result.send_seconds = float(last_sent) - started
    result.dispatch_seconds = float(last_sent) - accepted_at
    result.p50 = float(p50)
    result.p99 = float(p99)
    # With reports on, a message's last update is its last report.
    result.settle_seconds = float(last_update) - started


def run_bulk(context, scenario_index, count, reports):
    arguments = context.arguments
    label = f"bulk of {count:,}"
    result = BulkResult(label, count, reports, load_before=os.getloadavg()[0])
    deployment = Deployment(context, f"scenario{scenario_index}")
    log(f"{label}: starting infobip-sim and {arguments.instances} WabaRouter instance(s)")
    deployment.start()
    try:
        api = Client(deployment.instances[0].port, context.token, timeout=arguments.timeout)
        simulator = Client(deployment.simulator_port)
        waba_id = create_waba(api, simulator, scenario_index, arguments, reports)
        body = build_bulk_body(waba_id, scenario_index, count)
        log(f"{label}: posting the bulk ({len(body) / 1e6:.1f} MB)")

        cpu_before = deployment.cpu()
        started = time.time()
        bulk_response = api.request("POST", "/messages/bulk", body)
        accepted_at = time.time()
        result.cpu_during_accept = cpu_delta(deployment.cpu(), cpu_before)
        result.accept_seconds = accepted_at - started
        if bulk_response["accepted"] != count:
            raise BenchError(f"{label}: the bulk accepted {bulk_response['accepted']} of {count} "
                             f"messages: {json.dumps(bulk_response)[:500]}")
        bulk_id = bulk_response["bulkId"]

        wait_until_sent(deployment, simulator, bulk_id, count, arguments.timeout)
        result.cpu_to_sent = cpu_delta(deployment.cpu(), cpu_before)
        if reports:
            log(f"{label}: all sent; waiting for the delivery and seen reports")
            wait_until_settled(deployment, bulk_id, arguments.timeout)
            result.cpu_to_settled = cpu_delta(deployment.cpu(), cpu_before)
        result.failed = api.request("GET", f"/bulks/{bulk_id}")["counts"]["FAILED"]

        stats = simulator.request("GET", "/simulator/stats")
        result.infobip_requests = stats["templateRequests"]
        result.simulator_accepted = stats["messagesAccepted"]
        result.duplicates = stats["duplicates"]
        result.peak_memory = deployment.peak_memory()
        result.simulator_peak_memory = peak_memory_mib(deployment.simulator.pid)
        read_timings(result, bulk_id, started, accepted_at)
        result.load_after = os.getloadavg()[0]
        api.close()
        simulator.close()
    finally:
        deployment.stop()
    log(f"{label}: {result.sent} sent at {result.rate:.0f} messages/s")
    return result


# ----------------------------------------------------------------------------------------------
# Memory over repeated bulks


# The largest ratio of the peak memory at the main bulk to the peak at the small one that still
# counts as flat.
FLAT_MEMORY_RATIO = 1.25

# Each repeated bulk takes its recipients from its own block, after those of the scenarios, so
# that no (sender, recipient) pair waits for Meta's pair spacing.
REPEAT_RECIPIENT_BLOCK = 50


@dataclass
class RepeatResult:
    messages: int
    idle_rss: float = 0
    # (VmRSS, VmHWM) in MiB after each bulk was sent.
    after_each: list = field(default_factory=list)


def run_repeated(context, scenario_index, count, repeats):
    """Send `repeats` bulks of `count` through one instance and read its memory after each."""
    label = f"{repeats} bulks of {count:,}"
    result = RepeatResult(count)
    deployment = Deployment(context, f"scenario{scenario_index}", instance_count=1)
    log(f"{label}: starting infobip-sim and 1 WabaRouter instance(s)")
    deployment.start()
    try:
        instance = deployment.instances[0]
        api = Client(instance.port, context.token, timeout=context.arguments.timeout)
        simulator = Client(deployment.simulator_port)
        waba_id = create_waba(api, simulator, scenario_index, context.arguments, reports=False)
        result.idle_rss = status_mib(instance.process.pid, "VmRSS")
        for repeat in range(repeats):
            body = build_bulk_body(waba_id, REPEAT_RECIPIENT_BLOCK + repeat, count)
            log(f"{label}: posting bulk {repeat + 1}")
            bulk_id = api.request("POST", "/messages/bulk", body)["bulkId"]
            wait_until_sent(deployment, simulator, bulk_id, count * (repeat + 1),
                            context.arguments.timeout)
            result.after_each.append((status_mib(instance.process.pid, "VmRSS"),
                                      peak_memory_mib(instance.process.pid)))
        api.close()
        simulator.close()
    finally:
        deployment.stop()
    return result


def print_repeated(result):
    print(f"\nmemory over {len(result.after_each)} bulks of {result.messages:,} sent one after "
          "another through one instance (simulator reports off)")
    rows = [("idle, before the first bulk", f"VmRSS {result.idle_rss:.1f} MiB")]
    for index, (rss, hwm) in enumerate(result.after_each):
        rows.append((f"after bulk {index + 1} ({result.messages * (index + 1):,} messages)",
                     f"VmRSS {rss:.1f} MiB, VmHWM {hwm:.1f} MiB"))
    print_rows(rows)


# ----------------------------------------------------------------------------------------------
# Naive baseline


@dataclass
class NaiveResult:
    messages: int
    seconds: float
    p50: float
    p99: float
    statuses: dict
    load_before: float
    load_after: float

    @property
    def rate(self):
        return self.messages / self.seconds


def percentile(sorted_values, fraction):
    """Interpolate linearly between the closest ranks, as PostgreSQL's percentile_cont does."""
    position = (len(sorted_values) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return sorted_values[lower] * (1 - weight) + sorted_values[upper] * weight


def run_naive(context, scenario_index, count):
    """Send `count` messages with one POST /messages/send each, one request at a time.

    POST /messages/send calls Infobip before it returns its response, so this is one Infobip
    request per message, one at a time. The client reuses one keep-alive connection, which only helps the
    baseline.
    """
    arguments = context.arguments
    label = f"naive {count:,}"
    load_before = os.getloadavg()[0]
    deployment = Deployment(context, f"scenario{scenario_index}")
    log(f"{label}: starting infobip-sim and {arguments.instances} WabaRouter instance(s)")
    deployment.start()
    try:
        api = Client(deployment.instances[0].port, context.token)
        simulator = Client(deployment.simulator_port)
        waba_id = create_waba(api, simulator, scenario_index, arguments, reports=True)
        latencies = []
        statuses = {}
        log(f"{label}: sending one message per request")
        started = time.monotonic()
        for index in range(count):
            before = time.monotonic()
            sent = api.request("POST", "/messages/send", {
                "wabaId": waba_id, "to": recipient(scenario_index, index),
                "templateName": "order_update", "language": "en",
                "params": {"body": ["Ana", f"A-{index:06d}"]},
            })
            latencies.append(time.monotonic() - before)
            statuses[sent["status"]] = statuses.get(sent["status"], 0) + 1
        seconds = time.monotonic() - started
        api.close()
        simulator.close()
    finally:
        deployment.stop()
    latencies.sort()
    result = NaiveResult(count, seconds, percentile(latencies, 0.5),
                         percentile(latencies, 0.99), statuses, load_before,
                         os.getloadavg()[0])
    log(f"{label}: {result.rate:.0f} messages/s")
    return result


# ----------------------------------------------------------------------------------------------
# Output


def format_cpu(cpu, messages):
    per_thousand = {name: seconds * 1000 / messages for name, seconds in cpu.items()}
    return (f"WabaRouter {per_thousand['wabarouter']:.3f}, "
            f"PostgreSQL {per_thousand['postgres']:.3f}, "
            f"simulator {per_thousand['simulator']:.3f}")


def print_rows(rows):
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def print_bulk(result):
    print(f"\n{result.label} (simulator reports {'on' if result.reports else 'off'})")
    per_request = result.simulator_accepted / max(1, result.infobip_requests)
    rows = [
        ("accept (POST /messages/bulk round trip)", f"{result.accept_seconds:.2f} s"),
        ("sent (Infobip accepted) / failed", f"{result.sent} / {result.failed}"),
        ("accept start to last SENT", f"{result.send_seconds:.2f} s"),
        ("messages/s, accept start to last SENT", f"{result.rate:.0f}"),
        ("messages/s, 202 response to last SENT",
         f"{result.sent / result.dispatch_seconds:.0f}" if result.dispatch_seconds > 0 else "-"),
        ("accept to SENT per message, p50 / p99", f"{result.p50:.2f} s / {result.p99:.2f} s"),
        ("Infobip requests, messages per request",
         f"{result.infobip_requests}, {per_request:.1f}"),
        ("messages Infobip received twice", str(result.duplicates)),
        ("CPU s while accepting (whole bulk)", format_cpu(result.cpu_during_accept, 1000)),
        ("CPU s per 1,000 messages, accept to all SENT",
         format_cpu(result.cpu_to_sent, result.messages)),
    ]
    if result.reports:
        rows.append(("accept start to last report applied", f"{result.settle_seconds:.2f} s"))
        rows.append(("CPU s per 1,000 messages, accept to last report",
                     format_cpu(result.cpu_to_settled, result.messages)))
    memory = ", ".join(f"{value:.1f}" for value in result.peak_memory)
    rows.append(("peak memory (VmHWM) per instance", f"{memory} MiB"))
    rows.append(("simulator peak memory (VmHWM)", f"{result.simulator_peak_memory:.1f} MiB"))
    rows.append(("1-minute load average, start / end",
                 f"{result.load_before:.2f} / {result.load_after:.2f}"))
    print_rows(rows)


def print_naive(result, extrapolate_to):
    print(f"\nnaive baseline: a sample of {result.messages:,} sequential POST /messages/send "
          "(simulator reports on)")
    statuses = ", ".join(f"{name} {count}" for name, count in sorted(result.statuses.items()))
    print_rows([
        ("elapsed", f"{result.seconds:.2f} s"),
        ("messages/s", f"{result.rate:.0f}"),
        (f"{extrapolate_to:,} messages at this rate (extrapolated)",
         f"{extrapolate_to / result.rate:.0f} s"),
        ("round trip per message, p50 / p99",
         f"{result.p50 * 1000:.1f} ms / {result.p99 * 1000:.1f} ms"),
        ("responses by status", statuses),
        ("1-minute load average, start / end",
         f"{result.load_before:.2f} / {result.load_after:.2f}"),
    ])


def print_targets(main, small, naive, repeated):
    """Print each target as met or missed, from the first run of the main bulk."""
    print(f"\ntargets, from the {main.label} "
          f"(simulator reports {'on' if main.reports else 'off'})")
    lines = [
        ("bulk accepted in under 3 s", main.accept_seconds < 3,
         f"{main.accept_seconds:.2f} s"),
        ("at least 5,000 messages/s, accept to Infobip-accepted", main.rate >= 5000,
         f"{main.rate:.0f} messages/s"),
    ]
    if naive is not None:
        ratio = main.rate / naive.rate
        lines.append(("at least 20x the naive baseline", ratio >= 20,
                      f"{ratio:.1f}x ({main.rate:.0f} / {naive.rate:.0f} messages/s)"))
    if small is not None:
        small_peak = max(small.peak_memory)
        large_peak = max(main.peak_memory)
        # A bulk kept in memory would grow the peak with its items, far past this ratio for ten
        # times the items.
        lines.append((
            f"memory flat in the number of messages (peak at {main.messages:,} at most "
            f"{FLAT_MEMORY_RATIO}x the peak at {small.messages:,})",
            large_peak <= small_peak * FLAT_MEMORY_RATIO,
            f"{small_peak:.1f} MiB at {small.messages:,}, {large_peak:.1f} MiB at "
            f"{main.messages:,}: {large_peak / small_peak:.2f}x"))
    if repeated is not None and len(repeated.after_each) > 1:
        first_peak = repeated.after_each[0][1]
        last_peak = repeated.after_each[-1][1]
        previous_peak = repeated.after_each[-2][1]
        total = repeated.messages * len(repeated.after_each)
        lines.append((
            "peak memory over consecutive bulks through one instance", None,
            f"{first_peak:.1f} MiB after {repeated.messages:,}, {last_peak:.1f} MiB after "
            f"{total:,}; the last bulk added {last_peak - previous_peak:.1f} MiB"))
    width = max(len(name) for name, _, _ in lines)
    for name, met, value in lines:
        if met is None:
            verdict = "-"
        elif met:
            verdict = "met"
        else:
            verdict = "MISSED"
        print(f"  {name:<{width}}  {verdict:<6}  {value}")


def command_output(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=False,
                              cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def describe_machine():
    """Return CPU model, logical CPUs, RAM, kernel and the Swift version, one per line."""
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory_kib = int(meminfo.readline().split()[1])
    swift = command_output(["swift", "--version"]).splitlines()
    return [
        f"CPU {model}, {os.cpu_count()} logical CPUs, {memory_kib / 1024 / 1024:.1f} GiB RAM",
        f"kernel {platform.release()}, {swift[0] if swift else 'swift not on PATH'}",
    ]


def describe_source():
    """Return the commit, and how many files that go into the binaries or the schema differ."""
    commit = command_output(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    changed = command_output(["git", "status", "--porcelain", "--", "Package.swift", "Sources",
                              "sql"])
    count = len(changed.splitlines())
    if count == 0:
        return f"commit {commit}"
    return f"commit {commit}, with {count} changed or new files under Sources or sql"


def print_settings(context):
    arguments = context.arguments
    settings = ", ".join(f"{name}={os.environ.get(name, 'default')}" for name in PASSED_SETTINGS)
    version = psql("SHOW server_version")[0][0]
    print("WabaRouter bulk benchmark, every process on 127.0.0.1")
    for line in describe_machine() + [describe_source()]:
        print(f"  {line}")
    print(f"  {arguments.instances} instance(s), {arguments.senders} senders at "
          f"{arguments.sender_rate} messagesPerSecond each, portfolio UNLIMITED")
    print(f"  LOG_LEVEL=warning, {settings}")
    print(f"  infobip-sim --log-bodies off --report-delay-ms {arguments.report_delay_ms}")
    print(f"  PostgreSQL {version}, from scripts/test-postgres.sh: fsync=off, "
          "synchronous_commit=off, full_page_writes=off")


# ----------------------------------------------------------------------------------------------
# Main


@dataclass
class Context:
    arguments: argparse.Namespace
    children: Children
    state_dir: Path
    server_env: dict
    token: str
    postmaster_pid: int


def prepare(arguments, children, state_dir):
    """Apply the migrations, create the bench tenant and return the run's shared context."""
    for binary in (WABAROUTER, SIMULATOR):
        if not os.access(binary, os.X_OK):
            raise BenchError(f"{binary} is missing; run `make release` first")
    server_env = dict(os.environ, SECRET_KEY=os.urandom(32).hex(), LOG_LEVEL="warning")
    for name in ("PSQL", "POSTMASTER_PID_FILE", "BENCH_STATE_DIR"):
        server_env.pop(name, None)
    subprocess.run([str(WABAROUTER), "migrate"], env=server_env, check=True,
                   stdout=subprocess.DEVNULL)
    created = subprocess.run([str(WABAROUTER), "tenant", "create", "--name", "bench"],
                             env=server_env, check=True, capture_output=True, text=True)
    token = created.stdout.strip().splitlines()[-1]
    postmaster_pid = int(Path(os.environ["POSTMASTER_PID_FILE"]).read_text().split()[0])
    return Context(arguments, children, state_dir, server_env, token, postmaster_pid)


def run(context):
    arguments = context.arguments
    print_settings(context)
    scenario = 0
    small = None
    if arguments.small_messages:
        small = run_bulk(context, scenario, arguments.small_messages,
                         reports=arguments.reports != "off")
        print_bulk(small)
        scenario += 1
    results = []
    for reports in {"both": (True, False), "on": (True,), "off": (False,)}[arguments.reports]:
        result = run_bulk(context, scenario, arguments.messages, reports)
        print_bulk(result)
        results.append(result)
        scenario += 1
    naive = None
    if arguments.naive_messages:
        naive = run_naive(context, scenario, arguments.naive_messages)
        print_naive(naive, arguments.messages)
        scenario += 1
    repeated = None
    if arguments.repeats:
        repeated = run_repeated(context, scenario, arguments.messages, arguments.repeats)
        print_repeated(repeated)
    print_targets(results[0], small, naive, repeated)


def main():
    arguments = parse_arguments()
    state_dir = Path(os.environ["BENCH_STATE_DIR"])
    children = Children(state_dir / "pids")
    try:
        run(prepare(arguments, children, state_dir))
        return 0
    except (BenchError, subprocess.CalledProcessError, OSError) as error:
        log(f"failed: {error}")
        children.print_log_tails()
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        children.stop_all()


if __name__ == "__main__":
    sys.exit(main())
