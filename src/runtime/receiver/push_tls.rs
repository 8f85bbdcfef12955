//! The push listener's certificate: PEM files (errors name the file, never quote the key), or
//! self-signed at start for the listen address; its SHA-256 fingerprint and public PEM.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use base64::Engine;
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, SanType};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::crypto::aws_lc_rs;
use tokio_rustls::rustls::pki_types::pem::{self, PemObject};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{Error as TlsError, InconsistentKeys, ServerConfig};

use crate::core::profile::PushTls;

/// The TLS a push listener serves with.
pub(super) struct ServedTls {
    pub acceptor: TlsAcceptor,
    /// SHA-256 of the end-entity certificate, `AB:CD:…`.
    pub fingerprint: String,
    /// The certificate chain, PEM (public part only).
    pub certificate_pem: String,
}

/// Load or generate the certificate and build the server configuration.
pub(super) fn served_tls(tls: &PushTls, ip: IpAddr) -> anyhow::Result<ServedTls> {
    let (chain, key) = match tls {
        PushTls::SelfSigned => self_signed(ip)?,
        PushTls::Files { cert, key } => (read_chain(Path::new(cert))?, read_key(Path::new(key))?),
    };
    let provider = Arc::new(aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS set-up")?
        .with_no_client_auth()
        .with_single_cert(chain.clone(), key)
        .map_err(|err| match (err, tls) {
            (
                TlsError::InconsistentKeys(InconsistentKeys::KeyMismatch),
                PushTls::Files { cert, key },
            ) => {
                anyhow!("the push key {key} is not the key of the certificate in {cert}")
            }
            (err, PushTls::Files { key, .. }) => {
                anyhow!("the push key {key} cannot be used: {err}")
            }
            (err, PushTls::SelfSigned) => {
                anyhow!("the self-signed certificate cannot be used: {err}")
            }
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let leaf = chain.first().context("the certificate chain is empty")?;
    Ok(ServedTls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        fingerprint: fingerprint(leaf),
        certificate_pem: chain.iter().map(|c| certificate_pem(c)).collect(),
    })
}

/// SHA-256 of a DER certificate, upper-case hex pairs joined by colons.
fn fingerprint(der: &[u8]) -> String {
    let digest = ::aws_lc_rs::digest::digest(&::aws_lc_rs::digest::SHA256, der);
    let pairs: Vec<String> = digest.as_ref().chunks(1).map(hex::encode_upper).collect();
    pairs.join(":")
}

fn certificate_pem(der: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// A certificate for `ip` (or the loopback addresses when it is unspecified) and `localhost`,
/// valid from an hour ago for a year.
fn self_signed(
    ip: IpAddr,
) -> anyhow::Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    let mut params =
        CertificateParams::new(vec!["localhost".to_owned()]).context("self-signed certificate")?;
    let ips = if ip.is_unspecified() {
        vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]
    } else {
        vec![ip]
    };
    params
        .subject_alt_names
        .extend(ips.into_iter().map(SanType::IpAddress));
    params
        .distinguished_name
        .push(DnType::CommonName, "ssf-inspector push endpoint");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let now = SystemTime::now();
    params.not_before = (now - Duration::from_secs(3600)).into();
    params.not_after = (now + Duration::from_secs(365 * 24 * 3600)).into();
    let key = KeyPair::generate().context("generating the self-signed certificate's key")?;
    let cert = params
        .self_signed(&key)
        .context("signing the self-signed certificate")?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((vec![cert.der().clone()], key))
}

/// What is wrong with a PEM file, without quoting it (a key file's lines are secret).
fn pem_problem(err: &pem::Error) -> String {
    match err {
        pem::Error::MissingSectionEnd { .. } => "a PEM block has no END line".to_owned(),
        pem::Error::IllegalSectionStart { .. } => "a PEM BEGIN line is malformed".to_owned(),
        pem::Error::Base64Decode(_) => "a PEM block is not valid base64".to_owned(),
        pem::Error::NoItemsFound => "no PEM block of that kind".to_owned(),
        pem::Error::SectionTooLarge => "a PEM block is too large".to_owned(),
        _ => "not readable PEM".to_owned(),
    }
}

fn read_file(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|err| anyhow!("cannot read the push {what} {}: {err}", path.display()))
}

fn read_chain(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let bytes = read_file(path, "certificate")?;
    let chain = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| {
            anyhow!(
                "the push certificate {}: {}",
                path.display(),
                pem_problem(&err)
            )
        })?;
    if chain.is_empty() {
        anyhow::bail!(
            "the push certificate {} holds no PEM CERTIFICATE block",
            path.display()
        );
    }
    Ok(chain)
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let bytes = read_file(path, "key")?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|err| {
        let problem = match err {
            pem::Error::NoItemsFound if bytes.windows(9).any(|w| w == b"ENCRYPTED") => {
                "the key is encrypted; give it unencrypted (PKCS#8, PKCS#1 or SEC1 PEM)".to_owned()
            }
            pem::Error::NoItemsFound => {
                "no private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY PEM block)"
                    .to_owned()
            }
            err => pem_problem(&err),
        };
        anyhow!("the push key {}: {problem}", path.display())
    })
}
