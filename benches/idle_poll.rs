//! What an idle poll stream costs against a transmitter that answers every poll at once and
//! ignores acknowledgements: `cargo bench --bench idle_poll`. The transmitter runs as its own
//! process (`ssf-inspector transmitter --quirk immediate-poll --quirk ignores-ack`, on
//! 127.0.0.1), so the CPU time measured is the receiver's alone. Prints figures; asserts nothing.
//!
//! Two phases: `quiet` (no events: the stream is idle) and `steady` (an event every 500 ms,
//! redelivered because acks are ignored), 30 s each under `cargo bench`, 2 s otherwise.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef};
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::profiles::{ProfileFiles, session_for};
use ssf_inspector::runtime::{self, Command};

fn run_time() -> Duration {
    if std::env::args().any(|a| a == "--bench") {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(2)
    }
}

/// User + system CPU time of this process so far (Linux `/proc/self/stat`, in clock ticks of
/// 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn phase(scenario: &str, rate: &str) {
    let port = free_port();
    let token = "idle-poll-bench-token";
    let mut transmitter = std::process::Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
        .args(["transmitter", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--scenario", scenario, "--rate", rate, "--token", token])
        .args(["--quirk", "immediate-poll", "--quirk", "ignores-ack"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let issuer = format!("http://127.0.0.1:{port}");
    let up = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            up.elapsed() < Duration::from_secs(10),
            "the transmitter did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("idle-poll-{}", std::process::id()));
    let files = ProfileFiles::new(dir.clone());
    files.store_secret("t", token).unwrap();
    let profile = Profile {
        name: "idle".to_owned(),
        issuer,
        auth: ManagementAuth::Bearer {
            token: SecretRef::Stored("t".to_owned()),
        },
        delivery: DeliveryMode::Poll,
        ..Profile::default()
    };
    let (updates, mut rx) = update_channel(no_wake());
    let rt = runtime::spawn(&tokio::runtime::Handle::current(), updates, None);
    let (config, client) = session_for(&files, &profile, true).unwrap();
    rt.send(Command::StartSession(Box::new(config), client))
        .await
        .unwrap();
    // Let set-up finish, then measure.
    tokio::time::sleep(Duration::from_secs(1)).await;
    while rx.try_recv().is_ok() {}
    let (cpu, wall) = (cpu_time(), Instant::now());
    let (mut polls, mut sets, mut repeats) = (0_u64, 0_u64, 0_u64);
    let mut jtis = HashSet::new();
    let end = tokio::time::Instant::now() + run_time();
    while let Ok(Some(update)) = tokio::time::timeout_at(end, rx.recv()).await {
        match update {
            Update::Exchange(e) if e.url.contains("/poll") => polls += 1,
            Update::Set(record) => {
                sets += 1;
                jtis.extend(record.jti.clone());
            }
            Update::AcksIgnored { repeats: r, .. } => repeats = r,
            _ => {}
        }
    }
    let used = cpu_time() - cpu;
    let elapsed = wall.elapsed();
    println!(
        "{scenario:>6}: {:>5.2} % of a core over {:.0} s; {polls} polls ({:.2}/s); {sets} SETs stored, {} distinct jtis; {repeats} copies after ack not stored",
        100.0 * used.as_secs_f64() / elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        polls as f64 / elapsed.as_secs_f64(),
        jtis.len()
    );
    rt.send(Command::Shutdown).await.ok();
    tokio::time::sleep(Duration::from_millis(300)).await;
    transmitter.kill().ok();
    transmitter.wait().ok();
    std::fs::remove_dir_all(dir).ok();
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        phase("quiet", "0.5").await;
        phase("steady", "2").await;
    });
}
