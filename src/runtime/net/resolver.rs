//! A DNS resolver for the receiver's HTTP clients that never asks the network about a name
//! whose answer is fixed (RFC 6761): names under `.invalid` do not resolve (§6.4), `localhost`
//! and `*.localhost` are this machine (§6.3). Every other name goes to the system resolver.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::core::host::{is_invalid_name, is_localhost_name};

/// A name under `.invalid`: it cannot exist, so it was not looked up.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the host {name} does not resolve: names under .invalid cannot exist (RFC 6761 §6.4), so it was not looked up"
)]
pub struct InvalidHost {
    /// The name asked for.
    pub name: String,
}

/// The system resolver could not resolve a name.
#[derive(Debug, thiserror::Error)]
#[error("the host {name} does not resolve: {source}")]
pub struct Unresolved {
    /// The name asked for.
    pub name: String,
    /// What the system resolver said.
    pub source: std::io::Error,
}

/// The receiver's resolver (see the module documentation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Resolver;

/// The addresses of `localhost`: IPv4 first (servers here listen on 127.0.0.1), then IPv6.
const LOCALHOST: [SocketAddr; 2] = [
    SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
    SocketAddr::new(std::net::IpAddr::V6(Ipv6Addr::LOCALHOST), 0),
];

/// Resolve `name` (port 0: the client puts the URL's port in).
pub async fn resolve(
    name: &str,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    if is_invalid_name(name) {
        return Err(Box::new(InvalidHost {
            name: name.to_owned(),
        }));
    }
    if is_localhost_name(name) {
        return Ok(LOCALHOST.to_vec());
    }
    match tokio::net::lookup_host((name, 0)).await {
        Ok(addrs) => Ok(addrs.collect()),
        Err(source) => Err(Box::new(Unresolved {
            name: name.to_owned(),
            source,
        })),
    }
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let name = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = resolve(&name).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn invalid_names_fail_without_a_lookup() {
        let err = resolve("ssf-transmitter.invalid").await.unwrap_err();
        let invalid = err.downcast_ref::<InvalidHost>().expect("an InvalidHost");
        assert_eq!(invalid.name, "ssf-transmitter.invalid");
        assert!(resolve("X.INVALID.").await.is_err());
    }

    #[tokio::test]
    async fn localhost_names_are_this_machine() {
        for name in ["localhost", "LOCALHOST", "receiver.localhost", "localhost."] {
            assert_eq!(resolve(name).await.unwrap(), LOCALHOST.to_vec(), "{name}");
        }
    }

    #[tokio::test]
    async fn other_names_go_to_the_system_resolver() {
        // An address literal is answered by the system resolver without a lookup.
        let addrs = resolve("127.0.0.1").await.unwrap();
        assert_eq!(addrs, vec![SocketAddr::from(([127, 0, 0, 1], 0))]);
    }

    #[tokio::test]
    async fn a_client_fails_on_an_invalid_host_with_a_dns_error() {
        let client = crate::runtime::net::client_builder().build().unwrap();
        let err = client
            .get("http://ssf-transmitter.invalid:9/poll")
            .send()
            .await
            .unwrap_err();
        assert!(err.is_dns(), "{err:?}");
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
        let mut found = false;
        while let Some(e) = source {
            found |= e.downcast_ref::<InvalidHost>().is_some();
            source = e.source();
        }
        assert!(found, "{err:?}");
    }

    #[tokio::test]
    async fn a_client_reaches_localhost_on_127_0_0_1() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = axum::Router::new().route("/", axum::routing::get(|| async { "here" }));
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let client = crate::runtime::net::client_builder().build().unwrap();
        let body = client
            .get(format!("http://localhost:{port}/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(body, "here");
        server.abort();
    }
}
