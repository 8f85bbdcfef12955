//! The inspector's headless guard against a hand-written Go receiver, on this machine, in one
//! run: `cargo bench --bench race_go` (`-- --seconds N` per load run, 10 by default under
//! `cargo bench`; `--go-src DIR` for the Go receiver's sources, default
//! `/work/shared/bench/baseline_go`, built here with `GOPROXY=off go build`).
//!
//! The built-in transmitter runs in this process as the issuer (discovery and JWKS); distinct
//! ES256 SETs are pre-signed with its active key. Each receiver is a child process listening on
//! 127.0.0.1: `ssf-inspector watch --profile race --record FILE --json` (a listen-only push
//! profile, stdout to /dev/null) and `baseline_go` (its raw tokens appended to a file). Each is
//! loaded the same way, from this process, over 48 keep-alive connections with the same tokens,
//! interleaved: inspector, Go, inspector, Go. The receiver's CPU is read from
//! `/proc/<pid>/stat` (utime + stime) just before and just after the load. The bare `inspect`
//! cost (one thread, no HTTP, no store) is printed beside it. Asserts nothing: a benchmark.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use ssf_inspector::core::ingest::Expectations;
use ssf_inspector::core::profile::{
    DeliveryMode, ManagementAuth, Profile, SecretRef, SetupOptions, StreamSetup,
};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::KeySet;
use ssf_inspector::runtime::profiles::ProfileFiles;
use ssf_inspector::runtime::transmitter::keys::SigningKey;
use ssf_inspector::runtime::transmitter::{Transmitter, TransmitterOptions};
use tokio_util::sync::CancellationToken;

mod common;

use common::measure::arg;
use common::{AUTH, CONNECTIONS};

/// The audience both receivers expect.
const AUD: &str = "urn:example:ssf-load:receiver";
/// Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`, 100 on Linux).
const TICKS: f64 = 100.0;

fn seconds() -> f64 {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--seconds") {
        return arg("--seconds", 10.0);
    }
    if args.iter().any(|a| a == "--bench") {
        10.0
    } else {
        1.0
    }
}

fn text_arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|at| args.get(at + 1))
        .cloned()
        .unwrap_or_else(|| default.to_owned())
}

fn claims(issuer: &str, run: &str, n: usize) -> serde_json::Value {
    json!({
        "iss": issuer, "aud": AUD, "jti": format!("{run}{n:030x}"),
        "iat": UnixMillis::now().as_secs(), "txn": format!("t{n}"),
        "sub_id": {"format": "email", "email": format!("user{}@example.com", n % 1000)},
        "events": {"https://schemas.openid.net/secevent/caep/event-type/session-revoked": {
            "initiating_entity": "policy", "reason_admin": {"en": "Landspeed policy violation"},
            "event_timestamp": UnixMillis::now().as_secs()}}
    })
}

/// `count` distinct tokens signed on both cores with the transmitter's key.
fn sign(key: &SigningKey, issuer: &str, run: &str, count: usize) -> Vec<String> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|half| {
                scope.spawn(move || {
                    (half..count)
                        .step_by(2)
                        .map(|n| key.sign_set(&claims(issuer, run, n)).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// utime + stime of a process, seconds.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name may hold spaces: the fields counted from after its ')'.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat(5); the first after ')' is field 3.
    let utime: f64 = fields[11].parse().unwrap();
    let stime: f64 = fields[12].parse().unwrap();
    (utime + stime) / TICKS
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn free_port() -> u16 {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What one load run saw.
struct Run {
    sent: usize,
    not_202: usize,
    example: Option<String>,
    elapsed: Duration,
}

/// Push the tokens (each once at most, in order) over [`CONNECTIONS`] keep-alive connections
/// for `seconds`.
async fn load(url: &str, tokens: Arc<Vec<String>>, seconds: f64) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, url, tokens, next) = (
            client.clone(),
            url.to_owned(),
            Arc::clone(&tokens),
            Arc::clone(&next),
        );
        workers.push(tokio::spawn(async move {
            let (mut sent, mut refused, mut example) = (0_usize, 0_usize, None);
            while Instant::now() < deadline {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let token = tokens[n % tokens.len()].clone();
                sent += 1;
                if let Err((status, body)) = common::push(&client, &url, token).await {
                    refused += 1;
                    example.get_or_insert(format!("{status}: {body}"));
                }
            }
            (sent, refused, example)
        }));
    }
    let mut run = Run {
        sent: 0,
        not_202: 0,
        example: None,
        elapsed: Duration::ZERO,
    };
    for worker in workers {
        let (sent, refused, example) = worker.await.unwrap();
        run.sent += sent;
        run.not_202 += refused;
        if run.example.is_none() {
            run.example = example;
        }
    }
    run.elapsed = started.elapsed();
    run
}

/// Push `token` until it is answered 202 (the receiver is up), at most 60 s.
async fn ready(url: &str, token: &str, child: &mut Child) {
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if common::push(&client, url, token.to_owned()).await.is_ok() {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the receiver ended before it was ready: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the receiver at {url} never answered 202"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn stop(child: &mut Child) {
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().ok();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait().ok();
}

/// A receiver under test: how to start it and how many SETs it stored.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Receiver {
    Inspector,
    Go,
}

struct Race {
    rt: tokio::runtime::Runtime,
    issuer: String,
    base: PathBuf,
    go: PathBuf,
    tokens: Arc<Vec<String>>,
    warmup: Vec<String>,
    seconds: f64,
}

/// One receiver's run: rate, CPU per SET, answers other than 202, SETs stored.
struct Outcome {
    rate: f64,
    cpu_us: f64,
    not_202: usize,
    stored: usize,
    generator_us: f64,
}

impl Race {
    fn run(&self, receiver: Receiver, round: usize) -> Outcome {
        let port = free_port();
        let (mut child, url, store) = match receiver {
            Receiver::Inspector => {
                let (config, data) = (self.base.join("config"), self.base.join("data"));
                let files = ProfileFiles::new(config.clone());
                files.store_secret("push", AUTH).unwrap();
                files
                    .store_secret("mgmt", "unused-management-token")
                    .unwrap();
                let profile = Profile {
                    name: "race".to_owned(),
                    issuer: self.issuer.clone(),
                    auth: ManagementAuth::Bearer {
                        token: SecretRef::Stored("mgmt".to_owned()),
                    },
                    delivery: DeliveryMode::Push,
                    listen: Some(format!("127.0.0.1:{port}")),
                    push_authorization: Some(SecretRef::Stored("push".to_owned())),
                    audience: Some(AUD.to_owned()),
                    stream: StreamSetup::ListenOnly,
                    setup: SetupOptions {
                        push_path: Some("/events".to_owned()),
                        ..SetupOptions::default()
                    },
                    ..Profile::default()
                };
                files.save(&[profile]).unwrap();
                let record = self.base.join(format!("record-{round}.sqlite3"));
                let stderr =
                    std::fs::File::create(self.base.join(format!("watch-{round}.log"))).unwrap();
                let child = Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
                    .args(["watch", "--profile", "race", "--json", "--seconds"])
                    .arg(format!("{}", self.seconds as u64 + 120))
                    .arg("--record")
                    .arg(&record)
                    .env("SSF_INSPECTOR_CONFIG_DIR", &config)
                    .env("SSF_INSPECTOR_DATA_DIR", &data)
                    .env("RUST_LOG", "warn")
                    .stdout(Stdio::null())
                    .stderr(stderr)
                    .spawn()
                    .unwrap();
                (child, format!("http://127.0.0.1:{port}/events"), record)
            }
            Receiver::Go => {
                let store = self.base.join(format!("go-{round}.txt"));
                let stderr =
                    std::fs::File::create(self.base.join(format!("go-{round}.log"))).unwrap();
                let child = Command::new(&self.go)
                    .arg("-port")
                    .arg(port.to_string())
                    .args(["-issuer", &self.issuer, "-aud", AUD, "-auth", AUTH])
                    .arg("-store")
                    .arg(&store)
                    .arg("-lifetime")
                    .arg(format!("{}", self.seconds as u64 + 120))
                    .stdout(Stdio::null())
                    .stderr(stderr)
                    .spawn()
                    .unwrap();
                (child, format!("http://127.0.0.1:{port}/events"), store)
            }
        };
        let warmup = &self.warmup[round];
        self.rt.block_on(ready(&url, warmup, &mut child));
        let pid = child.id().to_string();
        let (before, own_before) = (cpu_seconds(&pid), cpu_seconds("self"));
        let run = self
            .rt
            .block_on(load(&url, Arc::clone(&self.tokens), self.seconds));
        let (after, own_after) = (cpu_seconds(&pid), cpu_seconds("self"));
        stop(&mut child);
        let stored = match receiver {
            Receiver::Inspector => {
                let db = rusqlite::Connection::open(&store).unwrap();
                let count: i64 = db
                    .query_row("SELECT count(*) FROM sets", [], |row| row.get(0))
                    .unwrap();
                usize::try_from(count).unwrap()
            }
            Receiver::Go => std::fs::read_to_string(&store).unwrap().lines().count(),
        };
        if let Some(example) = &run.example {
            println!("    e.g. {example}");
        }
        let sets = run.sent.max(1) as f64;
        Outcome {
            rate: run.sent as f64 / run.elapsed.as_secs_f64(),
            cpu_us: (after - before) / sets * 1e6,
            not_202: run.not_202,
            stored,
            generator_us: (own_after - own_before) / sets * 1e6,
        }
    }
}

/// The bare `inspect` of the same tokens on one thread: microseconds per SET.
fn bare_inspect_us(tokens: &[String], keys: &KeySet, issuer: &str, window: Duration) -> f64 {
    let expect = Expectations {
        issuer: Some(issuer.to_owned()),
        audience: Some(AUD.to_owned()),
        ..Expectations::default()
    };
    let (done, took) = common::bare_inspect(tokens, keys, &expect, window);
    took.as_secs_f64() / done as f64 * 1e6
}

fn build_go(src: &Path, out: &Path) -> PathBuf {
    let binary = out.join("baseline_go");
    let built = Command::new("go")
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(src)
        .env("GOPROXY", "off")
        .env("GOCACHE", out.join("go-cache"))
        .status()
        .unwrap();
    assert!(built.success(), "go build failed in {}", src.display());
    binary
}

fn main() {
    let seconds = seconds();
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("race-go");
    std::fs::remove_dir_all(&base).ok();
    std::fs::create_dir_all(&base).unwrap();
    let go = build_go(
        Path::new(&text_arg("--go-src", "/work/shared/bench/baseline_go")),
        &base,
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let cancel = CancellationToken::new();
    let options = TransmitterOptions {
        event_interval: Duration::from_secs(3600),
        ..TransmitterOptions::default()
    };
    let local = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let tx = rt
        .block_on(Transmitter::start(local, options, cancel.clone()))
        .unwrap();
    let key = tx.signing_key().unwrap();
    // Enough distinct tokens for 20,000/s over a run; the same ones for every receiver (each
    // run has a fresh record or store file).
    let count = ((seconds * 20_000.0) as usize).max(2_000);
    let signed_at = Instant::now();
    let tokens = Arc::new(sign(&key, &tx.issuer, "r", count));
    let warmup = sign(&key, &tx.issuer, "w", 4);
    println!(
        "race against the Go receiver: {seconds} s per run, {CONNECTIONS} connections, {cpus} CPUs, \
         ES256, {count} distinct SETs signed in {:.1} s",
        signed_at.elapsed().as_secs_f64()
    );
    println!("load average at start: {}", loadavg());
    let keys = KeySet::from_jwks(&json!({"keys": [key.public_jwk()]})).unwrap();
    let bare = bare_inspect_us(&tokens, &keys, &tx.issuer, Duration::from_secs(3));
    println!("bare inspect ES256, 1 thread: {bare:.1} µs per SET");
    let race = Race {
        rt,
        issuer: tx.issuer.clone(),
        base,
        go,
        tokens,
        warmup,
        seconds,
    };
    let order = [
        Receiver::Inspector,
        Receiver::Go,
        Receiver::Inspector,
        Receiver::Go,
    ];
    let mut results = Vec::new();
    for (round, receiver) in order.into_iter().enumerate() {
        let outcome = race.run(receiver, round);
        let name = match receiver {
            Receiver::Inspector => "inspector (watch --record --json)",
            Receiver::Go => "Go baseline",
        };
        println!(
            "{name:<34} {:>7.0} SET/s  receiver CPU {:>6.1} µs/SET ({:+.1} over bare inspect)  \
             not 202: {}  stored: {}  generator CPU {:.1} µs/SET  load {}",
            outcome.rate,
            outcome.cpu_us,
            outcome.cpu_us - bare,
            outcome.not_202,
            outcome.stored,
            outcome.generator_us,
            loadavg()
        );
        results.push((receiver, outcome));
    }
    let mean = |who: Receiver, of: fn(&Outcome) -> f64| {
        let picked: Vec<f64> = results
            .iter()
            .filter(|(r, _)| *r == who)
            .map(|(_, o)| of(o))
            .collect();
        picked.iter().sum::<f64>() / picked.len() as f64
    };
    let (ins_rate, go_rate) = (
        mean(Receiver::Inspector, |o| o.rate),
        mean(Receiver::Go, |o| o.rate),
    );
    let (ins_cpu, go_cpu) = (
        mean(Receiver::Inspector, |o| o.cpu_us),
        mean(Receiver::Go, |o| o.cpu_us),
    );
    println!(
        "mean: inspector {ins_rate:.0} SET/s at {ins_cpu:.1} µs CPU/SET, Go {go_rate:.0} SET/s at \
         {go_cpu:.1} µs CPU/SET: rate ratio {:.2}x, CPU ratio {:.2}x; inspector over bare inspect \
         {:+.1} µs/SET",
        ins_rate / go_rate,
        ins_cpu / go_cpu,
        ins_cpu - bare
    );
    println!("load average at end: {}", loadavg());
    cancel.cancel();
}
