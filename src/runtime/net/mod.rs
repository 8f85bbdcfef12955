//! The network edge of the receiver: the HTTP clients' name resolver (RFC 6761 names answered
//! without asking the network), their redirect rule, and failures described by their real cause.

pub mod cause;
pub mod open_files;
pub mod redirect;
pub mod resolver;

use std::sync::Arc;

/// A client builder with the receiver's resolver (`.invalid` names fail at once, `localhost`
/// names are this machine, other names go to the system resolver) and redirect rule (followed
/// only within the same origin: see [`redirect`]).
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(resolver::Resolver))
        .redirect(redirect::policy())
}
