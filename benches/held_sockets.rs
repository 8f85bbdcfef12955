//! Valid pushes while sockets are held against the push listener, on 127.0.0.1:
//! `cargo bench --bench held_sockets` (add `-- --seconds 20 --sockets 2000,6000` to change the run).
//!
//! For each of plain HTTP and TLS, and each kind of held socket (idle: connects and says
//! nothing; slow headers: half a request line and a header byte a second; slow body: headers and
//! a body byte a second), an attacker in this process keeps `--sockets` connections open
//! (reconnecting each one the listener closes) while a transmitter pushes a valid SET every
//! 100 ms on a new connection. Printed per run: pushes answered 202 and within 1 s, latency
//! percentiles, why the others failed, the listener's connections at most (and how many it closed
//! to make room), the process's file descriptors (the attacker's included) and resident memory.
//! The default limits are used (4,096 connections): 2,000 held sockets fit, 6,000 do not.
//! Asserts nothing: a benchmark, not a test.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use ssf_inspector::core::profile::PushTls;
use ssf_inspector::runtime::record::RecordStore;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

mod common;

use common::{AUTH, bench_stream, listen, tokens};

/// `name`'s value, else `bench` under `cargo bench`, else `smoke` (a short run).
fn arg<'a>(args: &'a [String], name: &str, bench: &'a str, smoke: &'a str) -> &'a str {
    if let Some(at) = args.iter().position(|a| a == name) {
        return args.get(at + 1).map_or(bench, String::as_str);
    }
    if args.iter().any(|a| a == "--bench") {
        bench
    } else {
        smoke
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Idle,
    SlowHeaders,
    SlowBody,
}

impl Kind {
    fn start(self) -> &'static [u8] {
        match self {
            Self::Idle => b"",
            Self::SlowHeaders => b"POST /push/bench HTTP/1.1\r\nHost: x\r\n",
            Self::SlowBody => {
                b"POST /push/bench HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nab"
            }
        }
    }

    fn trickle(self) -> Option<&'static [u8]> {
        match self {
            Self::Idle => None,
            Self::SlowHeaders => Some(b"X"),
            Self::SlowBody => Some(b"c"),
        }
    }
}

/// A TLS client trusting the listener's certificate, for slow requests inside TLS.
fn tls_connector(pem: &str) -> TlsConnector {
    use tokio_rustls::rustls::pki_types::CertificateDer;
    use tokio_rustls::rustls::pki_types::pem::PemObject as _;
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = tokio_rustls::rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

/// Either side of a held socket.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// One held socket, reconnected whenever the listener closes it, until `until`. Against TLS,
/// an idle socket says nothing (no handshake); slow ones complete the handshake first and then
/// trickle their request inside it.
async fn hold(addr: SocketAddr, kind: Kind, until: Instant, tls: Option<TlsConnector>) -> usize {
    let mut reconnects = 0;
    while Instant::now() < until {
        let Ok(tcp) = TcpStream::connect(addr).await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let mut conn: Box<dyn Io> = match (&tls, kind) {
            (Some(connector), Kind::SlowHeaders | Kind::SlowBody) => {
                let name = ServerName::from(addr.ip());
                match connector.connect(name, tcp).await {
                    Ok(conn) => Box::new(conn),
                    Err(_) => {
                        reconnects += 1;
                        continue;
                    }
                }
            }
            _ => Box::new(tcp),
        };
        if conn.write_all(kind.start()).await.is_ok() && conn.flush().await.is_ok() {
            let mut buf = [0_u8; 256];
            loop {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                let wait = left.min(Duration::from_secs(1));
                match tokio::time::timeout(wait, conn.read(&mut buf)).await {
                    Ok(_) => break, // closed (or answered): reconnect
                    Err(_) => match kind.trickle() {
                        Some(byte)
                            if conn.write_all(byte).await.is_err()
                                || conn.flush().await.is_err() =>
                        {
                            break;
                        }
                        _ => {}
                    },
                }
            }
        }
        drop(conn);
        reconnects += 1;
    }
    reconnects
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count)
}

fn resident_mb() -> f64 {
    common::measure::rss_bytes() as f64 / 1e6
}

async fn run(tls: bool, kind: Kind, sockets: usize, seconds: f64) {
    let (tokens, keys, _) = tokens(Algorithm::ES256, 4096);
    let store = RecordStore::in_memory().await.unwrap();
    let push_tls = PushTls::SelfSigned;
    let (listener, cancel, mut rx) = listen(store.clone(), tls.then_some(&push_tls)).await;
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let url = listener.add_stream("/push/bench", bench_stream(keys));
    let client_for = |pem: Option<&str>| {
        let builder = reqwest::Client::builder().pool_max_idle_per_host(0);
        match pem {
            Some(pem) => builder
                .tls_certs_only([reqwest::Certificate::from_pem(pem.as_bytes()).unwrap()])
                .build()
                .unwrap(),
            None => builder.build().unwrap(),
        }
    };
    let client = client_for(listener.certificate_pem());
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let connector = listener.certificate_pem().map(tls_connector);
    let attackers: Vec<_> = (0..sockets)
        .map(|_| tokio::spawn(hold(listener.addr, kind, until, connector.clone())))
        .collect();
    // Let the attacker fill the listener first.
    tokio::time::sleep(Duration::from_secs_f64((seconds / 5.0).min(2.0))).await;
    let (mut sent, mut ok, mut in_time, mut latencies) = (0, 0, 0, Vec::new());
    let (mut peak_fds, mut peak_open, mut peak_rss) = (0, 0, 0.0_f64);
    let mut failed = std::collections::BTreeMap::<String, usize>::new();
    while Instant::now() + Duration::from_millis(1200) < until {
        let token = tokens[sent % tokens.len()].clone();
        let began = Instant::now();
        let answer = tokio::time::timeout(
            Duration::from_secs(5),
            client
                .post(&url)
                .header("content-type", "application/secevent+jwt")
                .header("authorization", AUTH)
                .body(token)
                .send(),
        )
        .await;
        let took = began.elapsed();
        sent += 1;
        match answer {
            Ok(Ok(answer)) if answer.status() == 202 => {
                ok += 1;
                if took < Duration::from_secs(1) {
                    in_time += 1;
                }
            }
            Ok(Ok(answer)) => *failed.entry(answer.status().to_string()).or_insert(0) += 1,
            Ok(Err(err)) if err.is_connect() => *failed.entry("connect".into()).or_insert(0) += 1,
            Ok(Err(_)) => *failed.entry("reset".into()).or_insert(0) += 1,
            Err(_) => *failed.entry("timeout".into()).or_insert(0) += 1,
        }
        latencies.push(took.as_secs_f64() * 1000.0);
        peak_open = peak_open.max(listener.connections().open);
        peak_fds = peak_fds.max(open_fds());
        peak_rss = peak_rss.max(resident_mb());
        tokio::time::sleep(Duration::from_millis(100).saturating_sub(took)).await;
    }
    let mut reconnects = 0;
    for attacker in attackers {
        reconnects += attacker.await.unwrap();
    }
    latencies.sort_by(f64::total_cmp);
    let at = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "{:<5} {:<12} {sockets:>5} held: {ok:>3}/{sent:<3} pushes 202, {in_time:>3} within 1 s; \
         p50 {:>6.1} ms, p99 {:>7.1} ms, max {:>7.1} ms; listener connections peak {peak_open} \
         (closed to make room {}), process fds peak {peak_fds}, RSS peak {peak_rss:.0} MB; \
         held sockets closed by the listener {reconnects}; failed pushes {failed:?}",
        if tls { "TLS" } else { "plain" },
        format!("{kind:?}"),
        at(0.5),
        at(0.99),
        latencies.last().copied().unwrap_or(0.0),
        listener.connections().evicted,
    );
    cancel.cancel();
    store.close().await.ok();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: f64 = arg(&args, "--seconds", "10", "3").parse().unwrap();
    let counts: Vec<usize> = arg(&args, "--sockets", "2000,6000", "200")
        .split(',')
        .map(|n| n.trim().parse().unwrap())
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!(
        "held sockets against the push listener: {counts:?} per run, {seconds:.0} s each, a valid push every 100 ms"
    );
    for sockets in counts {
        for tls in [false, true] {
            for kind in [Kind::Idle, Kind::SlowHeaders, Kind::SlowBody] {
                rt.block_on(run(tls, kind, sockets, seconds));
            }
        }
    }
}
