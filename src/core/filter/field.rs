//! The fields a term can name (`type:`, `subject:`, …), their names in any case, and a value
//! that fits each, for messages.

/// What a term asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Free text or a quoted phrase (no field name).
    Text,
    /// `type:` an event type.
    Type,
    /// `family:` the event type's family.
    Family,
    /// `subject:` a subject member value, or part of the subject line.
    Subject,
    /// `stream:` the local stream name.
    Stream,
    /// `iss:` the issuer.
    Iss,
    /// `jti:` the SET's id.
    Jti,
    /// `verdict:` the signature verdict.
    Verdict,
    /// `finding:` a lint rule id.
    Finding,
    /// `severity:` the severity of some finding.
    Severity,
    /// `transport:` push, poll or file.
    Transport,
    /// `is:` redelivered, rejected or accepted (bare `redelivered` too).
    Is,
    /// `after:` received at or after a time.
    After,
    /// `before:` received before a time.
    Before,
}

impl Field {
    /// Every field that has a name, in the order error messages list them.
    pub const NAMED: [Self; 13] = [
        Self::Type,
        Self::Family,
        Self::Subject,
        Self::Stream,
        Self::Iss,
        Self::Jti,
        Self::Verdict,
        Self::Finding,
        Self::Severity,
        Self::Transport,
        Self::Is,
        Self::After,
        Self::Before,
    ];

    /// The name written before the colon (empty for free text).
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "",
            Self::Type => "type",
            Self::Family => "family",
            Self::Subject => "subject",
            Self::Stream => "stream",
            Self::Iss => "iss",
            Self::Jti => "jti",
            Self::Verdict => "verdict",
            Self::Finding => "finding",
            Self::Severity => "severity",
            Self::Transport => "transport",
            Self::Is => "is",
            Self::After => "after",
            Self::Before => "before",
        }
    }

    /// The field with this name, in any case.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMED
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// A value that fits the field, for messages and hints.
    pub fn example(self) -> &'static str {
        match self {
            Self::Text => "alice",
            Self::Type => "session-revoked",
            Self::Family => "caep",
            Self::Subject => "alice@example.com",
            Self::Stream => "demo",
            Self::Iss => "https://transmitter.example.com",
            Self::Jti => "3d7c9a",
            Self::Verdict => "invalid",
            Self::Finding => "sub-id-required",
            Self::Severity => "error",
            Self::Transport => "push",
            Self::Is => "redelivered",
            Self::After => "-15m",
            Self::Before => "2026-11-23T09:00:00Z",
        }
    }
}
