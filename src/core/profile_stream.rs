//! How a profile gets its stream at the transmitter, and how it bends stream set-up for
//! transmitters that bend the spec. The default never harms a stream the receiver did not make:
//! it creates only when the transmitter lists no stream but the receiver's own.

use serde::{Deserialize, Serialize};

use super::profile::{Concern, DeliveryMode};

/// How the session gets its stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum StreamSetup {
    /// Use the receiver's own stream (found by its description); create one only when the
    /// transmitter lists no stream the receiver did not make.
    #[default]
    Auto,
    /// Create a stream even when the transmitter lists streams of others
    /// (`--create-stream always`); a stream that vanishes on the create is a critical alert.
    CreateAlways,
    /// Never create: use the receiver's own stream or fail, saying what is listed.
    Never,
    /// Attach to an existing stream: read it and receive from it; change nothing unless the
    /// user acts.
    Attach {
        /// The transmitter's id of the stream.
        stream_id: String,
    },
    /// No management at all: the stream was provisioned out of band. Push listens on the
    /// profile's fixed address, path and authorization; poll polls the profile's poll URL.
    ListenOnly,
}

impl StreamSetup {
    /// Parse the command-line form: `auto`, `always`, `never`.
    pub fn from_create_arg(arg: &str) -> Option<Self> {
        match arg {
            "auto" => Some(Self::Auto),
            "always" => Some(Self::CreateAlways),
            "never" => Some(Self::Never),
            _ => None,
        }
    }

    /// In words, for lists and the stream panel.
    pub fn describe(&self) -> String {
        match self {
            Self::Auto => "own stream, created only if the transmitter lists no other".to_owned(),
            Self::CreateAlways => "creates its stream even beside others".to_owned(),
            Self::Never => "own stream only, never creates".to_owned(),
            Self::Attach { stream_id } => format!("attached to stream {stream_id}"),
            Self::ListenOnly => "listen only (stream provisioned out of band)".to_owned(),
        }
    }

    /// True when the session may create a stream.
    pub fn may_create(&self) -> bool {
        matches!(self, Self::Auto | Self::CreateAlways)
    }
}

/// A TLS push listener's certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum PushTls {
    /// A self-signed certificate generated at start (its fingerprint is shown).
    SelfSigned,
    /// A certificate chain and its private key, PEM files.
    Files {
        /// Certificate chain (PEM).
        cert: String,
        /// Private key (PEM).
        key: String,
    },
}

/// Ways to bend stream set-up for a transmitter that bends the spec.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetupOptions {
    /// Extra members of the create request (a JSON object), e.g. `{"aud": "…"}`.
    pub create_members: Option<serde_json::Value>,
    /// Leave `description` out of the create request (a transmitter that refuses it). The
    /// receiver then recognises its stream by id only, for as long as it runs.
    pub omit_description: bool,
    /// Poll here instead of the stream's `delivery.endpoint_url` (a transmitter that names a
    /// host the receiver cannot reach).
    pub poll_url: Option<String>,
    /// Push: the path of the endpoint (default: random).
    pub push_path: Option<String>,
    /// Push: serve the endpoint over TLS.
    pub push_tls: Option<PushTls>,
}

impl SetupOptions {
    /// What is wrong with the options for this setup and delivery.
    pub fn check(
        &self,
        setup: &StreamSetup,
        delivery: DeliveryMode,
        listen: Option<&str>,
        has_push_auth: bool,
    ) -> Vec<(Concern, String)> {
        let mut out = Vec::new();
        if let Some(members) = &self.create_members {
            if !members.is_object() {
                out.push((
                    Concern::Error,
                    "the extra create members must be a JSON object, e.g. {\"aud\": \"…\"}"
                        .to_owned(),
                ));
            }
            if !setup.may_create() {
                out.push((
                    Concern::Warning,
                    "extra create members are given, but this profile never creates a stream"
                        .to_owned(),
                ));
            }
        }
        // The poll URL's scheme is checked with the profile's other URLs (`tls_rule`).
        if let Some(path) = &self.push_path
            && (!path.starts_with('/') || path.len() < 2 || path.contains(['?', '#', ' ']))
        {
            out.push((
                Concern::Error,
                format!("the push path must start with / and have no query, got \"{path}\""),
            ));
        }
        if let Some(PushTls::Files { cert, key }) = &self.push_tls
            && (cert.trim().is_empty() || key.trim().is_empty())
        {
            out.push((
                Concern::Error,
                "TLS push needs both a certificate and a key file".to_owned(),
            ));
        }
        if *setup == StreamSetup::ListenOnly {
            match delivery {
                DeliveryMode::Push => {
                    let fixed_port = listen
                        .and_then(|l| l.parse::<std::net::SocketAddr>().ok())
                        .is_some_and(|a| a.port() != 0);
                    if !fixed_port || self.push_path.is_none() || !has_push_auth {
                        out.push((
                            Concern::Error,
                            "listen only by push needs a fixed listen address with a port, a push path and the push authorization the transmitter was given".to_owned(),
                        ));
                    }
                }
                DeliveryMode::Poll => {
                    if self.poll_url.is_none() {
                        out.push((
                            Concern::Error,
                            "listen only by poll needs the poll URL".to_owned(),
                        ));
                    }
                }
            }
        }
        if let StreamSetup::Attach { stream_id } = setup
            && stream_id.trim().is_empty()
        {
            out.push((
                Concern::Error,
                "attach needs the id of the stream".to_owned(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_only_needs_what_the_transmitter_was_given() {
        let options = SetupOptions::default();
        let push = options.check(
            &StreamSetup::ListenOnly,
            DeliveryMode::Push,
            Some("127.0.0.1:9000"),
            true,
        );
        assert_eq!(push.len(), 1, "{push:?}");
        let fixed = SetupOptions {
            push_path: Some("/ssf".to_owned()),
            ..SetupOptions::default()
        };
        let ok = fixed.check(
            &StreamSetup::ListenOnly,
            DeliveryMode::Push,
            Some("127.0.0.1:9000"),
            true,
        );
        assert!(ok.is_empty(), "{ok:?}");
        let any_port = fixed.check(
            &StreamSetup::ListenOnly,
            DeliveryMode::Push,
            Some("127.0.0.1:0"),
            true,
        );
        assert_eq!(any_port[0].0, Concern::Error);
        let poll = options.check(&StreamSetup::ListenOnly, DeliveryMode::Poll, None, false);
        assert!(poll[0].1.contains("poll URL"), "{poll:?}");
    }

    #[test]
    fn create_members_are_an_object() {
        let options = SetupOptions {
            create_members: Some(serde_json::json!(["aud"])),
            ..SetupOptions::default()
        };
        let found = options.check(&StreamSetup::Auto, DeliveryMode::Push, None, false);
        assert_eq!(found[0].0, Concern::Error);
        assert_eq!(
            StreamSetup::from_create_arg("always"),
            Some(StreamSetup::CreateAlways)
        );
        assert_eq!(StreamSetup::from_create_arg("sometimes"), None);
    }

    #[test]
    fn an_old_profile_loads_with_the_safe_default() {
        let setup: StreamSetup = serde_json::from_str(r#"{"mode":"auto"}"#).expect("auto");
        assert_eq!(setup, StreamSetup::Auto);
        let attach: StreamSetup =
            serde_json::from_str(r#"{"mode":"attach","stream_id":"s1"}"#).expect("attach");
        assert_eq!(
            attach,
            StreamSetup::Attach {
                stream_id: "s1".to_owned()
            }
        );
    }
}
