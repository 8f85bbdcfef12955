//! The push listener over TLS, on 127.0.0.1 only: a self-signed certificate that a client trusts
//! by its PEM, a client that does not trust it (and the listener living on), certificate and key
//! files, errors that name the file without quoting the key, and a session's notice of the
//! fingerprint.

use crate::fixtures;
use crate::receiving;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use fixtures::{TestKey, expectations, session_revoked};
use parking_lot::RwLock;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::profile::PushTls;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::verify::AlgorithmPolicy;
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::push::{PushFault, PushListener, PushStream};
use ssf_inspector::runtime::record::RecordStore;
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;

async fn bind(tls: &PushTls) -> anyhow::Result<(PushListener, RecordStore, CancellationToken)> {
    let (updates, mut rx) = update_channel(no_wake());
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let store = RecordStore::in_memory().await.expect("an in-memory record");
    let cancel = CancellationToken::new();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let listener =
        PushListener::bind(addr, Some(tls), store.clone(), updates, cancel.clone()).await?;
    Ok((listener, store, cancel))
}

fn stream(key: &TestKey) -> Arc<PushStream> {
    Arc::new(PushStream {
        key: StreamKey("tls".to_owned()),
        authorization: "Bearer t".to_owned(),
        keys: Arc::new(KeyCache::fixed(key.jwks())),
        expect: RwLock::new(expectations()),
        policy: AlgorithmPolicy::default(),
        fault: RwLock::new(PushFault::None),
        health: Default::default(),
        own: None,
    })
}

fn trusting(pem: &str) -> reqwest::Client {
    let cert = reqwest::Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate");
    reqwest::Client::builder()
        .tls_certs_only([cert])
        .build()
        .expect("a client")
}

async fn push(client: &reqwest::Client, url: &str, token: &str) -> reqwest::Result<u16> {
    let response = client
        .post(url)
        .header("content-type", "application/secevent+jwt")
        .header("authorization", "Bearer t")
        .body(token.to_owned())
        .send()
        .await?;
    Ok(response.status().as_u16())
}

fn pem(label: &str, der: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|l| std::str::from_utf8(l).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// A certificate for 127.0.0.1 and its key, written as PEM files under `name`.
fn write_files(name: &str) -> (PathBuf, PathBuf, Vec<u8>) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("a test folder");
    let key = rcgen::KeyPair::generate().expect("a key");
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("params");
    let cert = params.self_signed(&key).expect("a certificate");
    let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_path, pem("CERTIFICATE", cert.der())).expect("write the certificate");
    std::fs::write(&key_path, pem("PRIVATE KEY", &key.serialize_der())).expect("write the key");
    (cert_path, key_path, cert.der().to_vec())
}

fn sha256_colons(der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    hex.join(":")
}

fn files(cert: &std::path::Path, key: &std::path::Path) -> PushTls {
    PushTls::Files {
        cert: cert.display().to_string(),
        key: key.display().to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_listener_takes_a_push_from_a_client_trusting_its_certificate() {
    let key = TestKey::es256("k1");
    let (listener, store, cancel) = bind(&PushTls::SelfSigned).await.expect("bind over TLS");
    let url = listener.add_stream("/push/s1", stream(&key));
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pem = listener.certificate_pem().expect("a certificate over TLS");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    assert!(!pem.contains("PRIVATE"), "only the public part");
    let fingerprint = listener
        .fingerprint
        .clone()
        .expect("a fingerprint over TLS");
    assert_eq!(fingerprint.len(), 32 * 3 - 1, "{fingerprint}");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    assert_eq!(
        fingerprint,
        sha256_colons(&der),
        "the fingerprint is of the served certificate"
    );

    let token = key.sign(&session_revoked("over-tls"));
    let status = push(&trusting(pem), &url, &token)
        .await
        .expect("a TLS push");
    assert_eq!(status, 202);
    assert_eq!(store.len(), 1);
    assert_eq!(store.snapshot()[0].jti.as_deref(), Some("over-tls"));
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_trust_the_certificate_fails_and_the_listener_lives_on() {
    let key = TestKey::es256("k1");
    let (listener, store, cancel) = bind(&PushTls::SelfSigned).await.expect("bind over TLS");
    let url = listener.add_stream("s1", stream(&key));
    let token = key.sign(&session_revoked("refused"));

    let err = push(&reqwest::Client::new(), &url, &token)
        .await
        .expect_err("an untrusted certificate fails the handshake");
    assert!(err.is_connect(), "{err:?}");
    // Plain HTTP on the TLS port, and a connection that says nothing and hangs up.
    let plain = url.replace("https://", "http://");
    assert!(push(&reqwest::Client::new(), &plain, &token).await.is_err());
    let mut silent = tokio::net::TcpStream::connect(listener.addr).await.unwrap();
    silent.write_all(b"\x16\x03\x01garbage").await.unwrap();
    drop(silent);
    assert_eq!(store.len(), 0, "nothing arrived");

    let trusted = trusting(listener.certificate_pem().unwrap());
    let status = push(&trusted, &url, &token).await.expect("still listening");
    assert_eq!(status, 202);
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_and_key_from_files_are_served() {
    let key = TestKey::es256("k1");
    let (cert_path, key_path, der) = write_files("push-tls-files");
    let (listener, store, cancel) = bind(&files(&cert_path, &key_path))
        .await
        .expect("bind with the files");
    let url = listener.add_stream("s1", stream(&key));
    assert!(url.starts_with("https://"), "{url}");
    assert_eq!(
        listener.fingerprint.as_deref(),
        Some(sha256_colons(&der).as_str())
    );
    let cert_pem = std::fs::read_to_string(&cert_path).unwrap();
    let token = key.sign(&session_revoked("from-files"));
    let status = push(&trusting(&cert_pem), &url, &token)
        .await
        .expect("a TLS push");
    assert_eq!(status, 202);
    assert_eq!(store.len(), 1);
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_give_errors_naming_the_file_and_never_the_key() {
    let (cert_path, key_path, _) = write_files("push-tls-bad");
    let dir = cert_path.parent().unwrap().to_path_buf();
    let error = |tls: PushTls| async move {
        match bind(&tls).await {
            Ok(_) => panic!("{tls:?} was accepted"),
            Err(err) => format!("{err:#}"),
        }
    };

    let bad_key = dir.join("bad-key.pem");
    std::fs::write(
        &bad_key,
        "-----BEGIN PRIVATE KEY-----\nSECRETSECRET!!!\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let text = error(files(&cert_path, &bad_key)).await;
    assert!(text.contains(&bad_key.display().to_string()), "{text}");
    assert!(!text.contains("SECRET"), "the key is not quoted: {text}");

    // A key file holding a certificate only.
    let text = error(files(&cert_path, &cert_path)).await;
    assert!(text.contains("no private key"), "{text}");
    assert!(text.contains(&cert_path.display().to_string()), "{text}");

    // A key that is not the certificate's.
    let (_, other_key, _) = write_files("push-tls-other");
    let text = error(files(&cert_path, &other_key)).await;
    assert!(text.contains("is not the key of the certificate"), "{text}");

    let missing = dir.join("missing.pem");
    let text = error(files(&missing, &key_path)).await;
    assert!(text.contains(&missing.display().to_string()), "{text}");
    assert!(text.contains("certificate"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_with_a_self_signed_push_endpoint_tells_its_fingerprint() {
    use ssf_inspector::core::profile::DeliveryMode;
    use ssf_inspector::core::update::Update;
    use ssf_inspector::runtime::Command;

    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, mut profile) =
        receiving::profile_for(&tx, "push-tls-session", "tls", DeliveryMode::Push);
    profile.setup.push_tls = Some(PushTls::SelfSigned);
    let (rt, mut rx) = receiving::runtime();
    receiving::start(&rt, &files, &profile, |_| {}).await;
    let (mut notice, mut endpoint) = (None, None);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while let Ok(Some(update)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        match update {
            Update::Notice { text, .. } if text.contains("fingerprint") => notice = Some(text),
            Update::StreamConfigured { info, .. } => endpoint = Some(info.endpoint),
            _ => {}
        }
        if notice.is_some() && endpoint.is_some() {
            break;
        }
    }
    rt.send(Command::Shutdown).await.ok();
    let notice = notice.expect("a notice with the fingerprint");
    let endpoint = endpoint.expect("the stream is configured");
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");
    assert!(
        notice.starts_with(&format!(
            "tls: push endpoint {endpoint} (self-signed certificate, SHA-256 fingerprint "
        )),
        "{notice}"
    );
    assert!(
        notice.ends_with("give the transmitter this certificate or fingerprint to trust"),
        "{notice}"
    );
    cancel.cancel();
}
