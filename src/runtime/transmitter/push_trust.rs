//! Which TLS certificates the push client trusts: the system's roots, plus a given PEM CA or
//! certificate (a receiver with a private CA), or any certificate at all (a self-signed receiver
//! in a test). Needed with the `push-https-only` quirk.

use std::time::Duration;

/// How the push client checks a receiver's https certificate.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PushTrust {
    /// PEM certificates (one or more) trusted beside the system roots.
    pub ca_pem: Option<Vec<u8>>,
    /// Accept any certificate, even invalid or for another name (tests only).
    pub accept_invalid_certs: bool,
}

impl std::fmt::Debug for PushTrust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushTrust")
            .field("ca_pem_bytes", &self.ca_pem.as_ref().map(Vec::len))
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .finish()
    }
}

/// The HTTP client that pushes SETs.
pub(super) fn push_client(trust: &PushTrust) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder().timeout(Duration::from_secs(10));
    if let Some(pem) = &trust.ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|err| anyhow::anyhow!("the push CA certificate is unusable: {err}"))?;
        if certs.is_empty() {
            anyhow::bail!("the push CA certificate file holds no PEM certificate");
        }
        builder = builder.tls_certs_merge(certs);
    }
    if trust.accept_invalid_certs {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    builder
        .build()
        .map_err(|err| anyhow::anyhow!("cannot build the push client: {err}"))
}
