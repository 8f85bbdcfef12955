//! Poll delivery as a `Source`: the stream's poll URL (the profile's, else the one its
//! configuration names), checked by the TLS rule before it is called, and the poller started
//! with the stream's audience.

use std::sync::Arc;

use serde_json::{Value, json};

use super::poll::Poller;
use super::session_urls;
use super::source::{BoxFuture, Reach, Setting, Source};
use crate::core::discovery::delivery_method_for;
use crate::core::ingest::Expectations;
use crate::core::record::Transport;
use crate::core::tls_rule::NoTls;

/// Poll: the URL polled and the audience expected, once the stream is known.
#[derive(Default)]
pub struct PollSource {
    endpoint: String,
    audience: Option<String>,
}

impl Source for PollSource {
    fn transport(&self) -> Transport {
        Transport::Poll
    }

    fn open<'a>(&'a mut self, at: &'a Setting<'a>) -> BoxFuture<'a, anyhow::Result<Value>> {
        let method = delivery_method_for(false, &at.metadata.delivery_methods_supported);
        Box::pin(async move { Ok(json!({"method": method})) })
    }

    fn reach<'a>(
        &'a mut self,
        at: &'a Setting<'a>,
        stream: &'a Value,
        audience: Option<&'a str>,
        no_tls: &'a mut Vec<NoTls>,
    ) -> BoxFuture<'a, anyhow::Result<Reach>> {
        Box::pin(async move {
            let endpoint = at
                .config
                .setup
                .poll_url
                .clone()
                .or_else(|| {
                    stream
                        .pointer("/delivery/endpoint_url")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            if endpoint.is_empty() {
                anyhow::bail!(
                    "the stream's configuration names no poll URL (delivery.endpoint_url); give one with --poll-url"
                );
            }
            session_urls::of_poll_endpoint(at.config, &endpoint, no_tls)?;
            self.endpoint.clone_from(&endpoint);
            self.audience = audience.map(str::to_owned);
            Ok(Reach {
                endpoint,
                delivers_here: true,
            })
        })
    }

    fn start(&mut self, at: &Setting<'_>) {
        let poller = Poller {
            key: at.config.key.clone(),
            endpoint: self.endpoint.clone(),
            auth: Arc::clone(&at.config.auth),
            keys: Arc::clone(at.keys),
            expect: Expectations {
                audience: self.audience.clone(),
                ..at.expect.clone()
            },
            deps: at.deps.clone(),
            log: at.log.clone(),
            health: Arc::clone(at.health),
            interval: at.config.watch.poll_interval,
            own: at.own.cloned(),
        };
        tokio::spawn(poller.run(at.cancel.clone()));
    }
}
