//! The metadata members SSF 1.0 §7.1 defines (and those of its drafts), with the JSON each must
//! be: the vocabulary the metadata checks read, apart from the checks themselves.

use serde_json::Value;

/// The members SSF 1.0 §7.1 defines, with what each must be.
pub(super) const KNOWN: [(&str, Kind); 12] = [
    ("spec_version", Kind::Text),
    ("issuer", Kind::Url),
    ("jwks_uri", Kind::Url),
    ("delivery_methods_supported", Kind::Texts),
    ("configuration_endpoint", Kind::Url),
    ("status_endpoint", Kind::Url),
    ("add_subject_endpoint", Kind::Url),
    ("remove_subject_endpoint", Kind::Url),
    ("verification_endpoint", Kind::Url),
    ("critical_subject_members", Kind::Texts),
    ("authorization_schemes", Kind::Objects),
    ("default_subjects", Kind::Text),
];

/// Members of earlier drafts or of the reverted 2025 text, not unknown to a receiver.
pub(super) const DRAFT_MEMBERS: [(&str, Kind); 2] = [
    ("default_subjects", Kind::Text),
    ("events_supported", Kind::Texts),
];

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Text,
    Url,
    Texts,
    Objects,
}

impl Kind {
    pub(super) fn fits(self, value: &Value) -> bool {
        match self {
            Self::Text | Self::Url => value.is_string(),
            Self::Texts => value
                .as_array()
                .is_some_and(|list| list.iter().all(Value::is_string)),
            Self::Objects => value
                .as_array()
                .is_some_and(|list| list.iter().all(Value::is_object)),
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Text => "a string",
            Self::Url => "a URL string",
            Self::Texts => "an array of strings",
            Self::Objects => "an array of objects",
        }
    }
}
