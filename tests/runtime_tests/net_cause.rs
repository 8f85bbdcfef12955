//! Failed requests name their real cause (`runtime::net::cause`), against servers on 127.0.0.1:
//! nothing listening, a listener that never answers, a host under `.invalid` (refused by the
//! resolver without a lookup), and a TLS server whose certificate is self-signed, for another
//! name, or expired.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use ssf_inspector::runtime::net::cause::{self, Cause};
use ssf_inspector::runtime::net::client_builder;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

fn client(timeout: Duration) -> reqwest::Client {
    client_builder()
        .timeout(timeout)
        .build()
        .expect("test set-up")
}

/// The cause and the whole error text of a request that must fail.
async fn failure(client: &reqwest::Client, url: &str) -> (Cause, String) {
    let err = client.get(url).send().await.expect_err("no answer");
    (
        cause::classify(&err),
        cause::unreachable(url, &err).to_string(),
    )
}

#[tokio::test]
async fn nothing_listening_is_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("test set-up");
    let addr = listener.local_addr().expect("test set-up");
    drop(listener);
    let url = format!("http://{addr}/ssf");
    let (cause, text) = failure(&client(Duration::from_secs(5)), &url).await;
    assert_eq!(cause, Cause::Refused(addr.to_string()));
    assert_eq!(
        text,
        format!(
            "could not reach {url}: nothing listens at {addr} (connection refused): check the URL, and that the transmitter runs"
        )
    );
}

#[tokio::test]
async fn a_listener_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("test set-up");
    let addr = listener.local_addr().expect("test set-up");
    // Accept and hold the connections, answering nothing.
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        for _ in 0..4 {
            if let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let url = format!("http://{addr}/");
    let (cause, text) = failure(&client(Duration::from_millis(300)), &url).await;
    assert_eq!(cause, Cause::TimedOut(addr.to_string(), false), "{text}");
    assert!(
        text.contains("did not answer in time (timed out)"),
        "{text}"
    );
    holder.abort();
}

#[tokio::test]
async fn an_invalid_host_is_not_looked_up() {
    let url = "http://ssf-transmitter.invalid:8080/poll/s1";
    let (cause, text) = failure(&client(Duration::from_secs(5)), url).await;
    assert_eq!(
        cause,
        Cause::InvalidHost("ssf-transmitter.invalid".to_owned())
    );
    assert_eq!(
        text,
        "could not reach http://ssf-transmitter.invalid:8080/poll/s1: the host ssf-transmitter.invalid does not resolve: names under .invalid cannot exist (RFC 6761 §6.4), so it was not looked up; check the URL and where it came from"
    );
    assert!(!text.contains("--poll-url"), "{text}");
    let err = client(Duration::from_secs(5))
        .get(url)
        .send()
        .await
        .unwrap_err();
    let polled = cause::at_poll_url(cause::unreachable(url, &err)).to_string();
    assert_eq!(
        polled,
        "could not reach http://ssf-transmitter.invalid:8080/poll/s1: the host ssf-transmitter.invalid does not resolve: the transmitter named a poll URL on a host that cannot exist (.invalid, RFC 6761 §6.4), so it was not looked up; give the URL to poll with `ssf-inspector profile add … --poll-url URL`"
    );
}

/// A TLS server on 127.0.0.1 presenting `chain` (answers `ok` to whoever completes a handshake).
async fn tls_server(chain: Vec<CertificateDer<'static>>, key: &KeyPair) -> SocketAddr {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("test set-up")
        .with_no_client_auth()
        .with_single_cert(
            chain,
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("test set-up");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("test set-up");
    let addr = listener.local_addr().expect("test set-up");
    tokio::spawn(async move {
        for _ in 0..8 {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
                let _ = tls.write_all(answer).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

fn ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("test set-up");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "ssf-inspector test CA");
    CertifiedIssuer::self_signed(params, KeyPair::generate().expect("test set-up"))
        .expect("test set-up")
}

/// A leaf for `names` signed by `ca`; `expired` makes it valid in 2000 only.
fn leaf(
    ca: &CertifiedIssuer<'_, KeyPair>,
    names: &[&str],
    expired: bool,
) -> (CertificateDer<'static>, KeyPair) {
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
            .expect("test set-up");
    if expired {
        params.not_before = rcgen::date_time_ymd(2000, 1, 1);
        params.not_after = rcgen::date_time_ymd(2000, 12, 31);
    }
    let key = KeyPair::generate().expect("test set-up");
    let cert = params.signed_by(&key, ca).expect("test set-up");
    (cert.der().clone(), key)
}

fn trusting(ca: &CertifiedIssuer<'_, KeyPair>) -> reqwest::Client {
    client_builder()
        .timeout(Duration::from_secs(5))
        .add_root_certificate(
            reqwest::Certificate::from_pem(ca.pem().as_bytes()).expect("test set-up"),
        )
        .build()
        .expect("test set-up")
}

#[tokio::test]
async fn a_self_signed_certificate_is_not_trusted() {
    let self_signed =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("test set-up");
    let addr = tls_server(
        vec![self_signed.cert.der().clone()],
        &self_signed.signing_key,
    )
    .await;
    let url = format!("https://{addr}/.well-known/ssf-configuration");
    let (cause, text) = failure(&client(Duration::from_secs(5)), &url).await;
    assert_eq!(cause, Cause::Untrusted("127.0.0.1".to_owned()), "{text}");
    assert_eq!(
        text,
        format!(
            "could not reach {url}: the certificate of 127.0.0.1 is not trusted (self-signed, or signed by an unknown CA): give the transmitter's CA with `--ca-cert FILE`"
        )
    );
}

#[tokio::test]
async fn a_trusted_certificate_for_the_host_is_accepted() {
    let ca = ca();
    let (cert, key) = leaf(&ca, &["127.0.0.1"], false);
    let addr = tls_server(vec![cert], &key).await;
    let answer = trusting(&ca)
        .get(format!("https://{addr}/"))
        .send()
        .await
        .expect("a TLS answer")
        .text()
        .await
        .expect("test set-up");
    assert_eq!(answer, "ok");
}

#[tokio::test]
async fn a_certificate_for_another_name_is_a_mismatch() {
    let ca = ca();
    let (cert, key) = leaf(&ca, &["transmitter.example"], false);
    let addr = tls_server(vec![cert], &key).await;
    let (cause, text) = failure(&trusting(&ca), &format!("https://{addr}/")).await;
    assert!(
        matches!(&cause, Cause::NameMismatch(host, _) if host == "127.0.0.1"),
        "{cause:?}"
    );
    assert!(
        text.contains("the certificate is not valid for the name 127.0.0.1"),
        "{text}"
    );
}

#[tokio::test]
async fn an_expired_certificate_is_named_expired() {
    let ca = ca();
    let (cert, key) = leaf(&ca, &["127.0.0.1"], true);
    let addr = tls_server(vec![cert], &key).await;
    let (cause, text) = failure(&trusting(&ca), &format!("https://{addr}/")).await;
    assert!(matches!(&cause, Cause::Expired(..)), "{cause:?}");
    assert!(
        text.contains("the certificate of 127.0.0.1 has expired"),
        "{text}"
    );
}
