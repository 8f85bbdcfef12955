//! The fields a term can name (`type:`, `subject:`, …), their names in any case, and a value
//! that fits each, for messages.

/// What a term asks about; its name is the one written before the colon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Field {
    /// Free text or a quoted phrase (no field name). First: [`Field::NAMED`] is the rest.
    #[strum(serialize = "")]
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
    /// Every field that has a name, in the order error messages list them: all but `Text`.
    pub const NAMED: &'static [Self] = match <Self as strum::VariantArray>::VARIANTS.split_first() {
        Some((_text, named)) => named,
        None => &[],
    };

    /// The name written before the colon (empty for free text).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The field with this name, in any case.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMED
            .iter()
            .copied()
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

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn names_are_pinned_and_read_in_any_case() {
        // Filters people saved or typed use these names: a rename must fail here.
        assert_eq!(Field::NAMED.len(), 13);
        assert!(!Field::NAMED.contains(&Field::Text));
        assert_eq!(Field::Text.name(), "");
        assert_eq!(Field::Type.name(), "type");
        assert_eq!(Field::Iss.name(), "iss");
        assert_eq!(Field::Transport.name(), "transport");
        for &field in Field::NAMED {
            assert_eq!(Field::from_name(&field.name().to_uppercase()), Some(field));
        }
        assert_eq!(Field::from_name(""), None);
    }
}
