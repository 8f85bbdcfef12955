//! The profile form's "Stream set-up" section as typed: how the stream is got (auto, always,
//! never, attach, listen only) and how set-up bends for a transmitter (extra create members,
//! no description, poll URL, push path, TLS push), and how it becomes the profile's values.

use serde::{Deserialize, Serialize};

use crate::core::profile::{PushTls, SetupOptions, StreamSetup};

/// How the stream is got, as a choice in the form.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray,
)]
pub enum SetupMode {
    /// Own stream; create only beside no foreign stream.
    #[default]
    Auto,
    /// Create even beside others.
    Always,
    /// Never create.
    Never,
    /// Attach to a stream by id.
    Attach,
    /// Listen only.
    ListenOnly,
}

impl SetupMode {
    /// Every choice, in the order shown.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// The choice's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Auto => "Own stream (create only if no other is listed)",
            Self::Always => "Create even beside other streams",
            Self::Never => "Own stream only, never create",
            Self::Attach => "Attach to an existing stream",
            Self::ListenOnly => "Listen only (provisioned out of band)",
        }
    }
}

/// The push endpoint's TLS, as a choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TlsMode {
    /// Plain http.
    #[default]
    None,
    /// A generated self-signed certificate.
    SelfSigned,
    /// Certificate and key files.
    Files,
}

/// The section as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetupDraft {
    /// How the stream is got.
    pub mode: SetupMode,
    /// Attach: the stream id.
    pub attach_id: String,
    /// Extra create members (JSON object text).
    pub create_members: String,
    /// Leave description out of the create.
    pub omit_description: bool,
    /// Poll URL override.
    pub poll_url: String,
    /// Push path (empty: random).
    pub push_path: String,
    /// TLS for the push endpoint.
    pub tls: TlsMode,
    /// Certificate chain (PEM path).
    pub tls_cert: String,
    /// Private key (PEM path).
    pub tls_key: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl SetupDraft {
    /// The draft of a saved profile's set-up.
    pub fn from_profile(setup: &StreamSetup, options: &SetupOptions) -> Self {
        let (mode, attach_id) = match setup {
            StreamSetup::Auto => (SetupMode::Auto, String::new()),
            StreamSetup::CreateAlways => (SetupMode::Always, String::new()),
            StreamSetup::Never => (SetupMode::Never, String::new()),
            StreamSetup::Attach { stream_id } => (SetupMode::Attach, stream_id.clone()),
            StreamSetup::ListenOnly => (SetupMode::ListenOnly, String::new()),
        };
        let (tls, tls_cert, tls_key) = match &options.push_tls {
            None => (TlsMode::None, String::new(), String::new()),
            Some(PushTls::SelfSigned) => (TlsMode::SelfSigned, String::new(), String::new()),
            Some(PushTls::Files { cert, key }) => (TlsMode::Files, cert.clone(), key.clone()),
        };
        Self {
            mode,
            attach_id,
            create_members: options
                .create_members
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            omit_description: options.omit_description,
            poll_url: options.poll_url.clone().unwrap_or_default(),
            push_path: options.push_path.clone().unwrap_or_default(),
            tls,
            tls_cert,
            tls_key,
        }
    }

    /// How the stream is got.
    pub fn setup(&self) -> StreamSetup {
        match self.mode {
            SetupMode::Auto => StreamSetup::Auto,
            SetupMode::Always => StreamSetup::CreateAlways,
            SetupMode::Never => StreamSetup::Never,
            SetupMode::Attach => StreamSetup::Attach {
                stream_id: self.attach_id.trim().to_owned(),
            },
            SetupMode::ListenOnly => StreamSetup::ListenOnly,
        }
    }

    /// The create members as JSON, or the parse error to show.
    pub fn create_members(&self) -> Result<Option<serde_json::Value>, String> {
        let text = self.create_members.trim();
        if text.is_empty() {
            return Ok(None);
        }
        serde_json::from_str(text)
            .map(Some)
            .map_err(|err| format!("the extra create members are not JSON: {err}"))
    }

    /// The options (a create-members text that is not JSON is left out; [`Self::errors`]
    /// says so and blocks saving).
    pub fn options(&self, push: bool) -> SetupOptions {
        let push_tls = match self.tls {
            _ if !push => None,
            TlsMode::None => None,
            TlsMode::SelfSigned => Some(PushTls::SelfSigned),
            TlsMode::Files => Some(PushTls::Files {
                cert: self.tls_cert.trim().to_owned(),
                key: self.tls_key.trim().to_owned(),
            }),
        };
        SetupOptions {
            create_members: self.create_members().ok().flatten(),
            omit_description: self.omit_description,
            poll_url: optional(&self.poll_url).filter(|_| !push),
            push_path: optional(&self.push_path).filter(|_| push),
            push_tls,
        }
    }

    /// What the profile's own check cannot see: text that does not parse.
    pub fn errors(&self) -> Vec<String> {
        self.create_members().err().into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_is_offered_in_order() {
        assert_eq!(
            SetupMode::ALL,
            [
                SetupMode::Auto,
                SetupMode::Always,
                SetupMode::Never,
                SetupMode::Attach,
                SetupMode::ListenOnly
            ]
        );
    }

    #[test]
    fn a_saved_set_up_comes_back_as_it_was() {
        let setup = StreamSetup::Attach {
            stream_id: "s-1".to_owned(),
        };
        let options = SetupOptions {
            create_members: Some(serde_json::json!({"aud": "https://rp.example"})),
            omit_description: true,
            poll_url: None,
            push_path: Some("/ssf".to_owned()),
            push_tls: Some(PushTls::SelfSigned),
        };
        let draft = SetupDraft::from_profile(&setup, &options);
        assert_eq!(draft.setup(), setup);
        assert_eq!(draft.options(true), options);
        let broken = SetupDraft {
            create_members: "{aud".to_owned(),
            ..draft
        };
        assert_eq!(broken.errors().len(), 1);
    }
}
