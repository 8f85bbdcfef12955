//! The names of the domain's field-less enums, written once. Each such enum derives its names
//! from `strum` (`IntoStaticStr` out, `EnumString` in, `VariantArray` for every variant in
//! declaration order); [`serde_by_name!`] makes serde write and read those same names, so the
//! record, the JSON output and the filter language cannot drift apart.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// Serialize and deserialize a `Copy`, field-less enum by its strum name (as a JSON string):
/// the enum needs `IntoStaticStr`, `EnumString` and `VariantArray`.
macro_rules! serde_by_name {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(<&'static str>::from(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::core::vocab::NameVisitor::<Self>::new())
            }
        }
    };
}
pub(crate) use serde_by_name;

/// Reads one of an enum's names (see [`serde_by_name!`]).
pub(crate) struct NameVisitor<T>(PhantomData<T>);

impl<T> NameVisitor<T> {
    pub(crate) const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> serde::de::Visitor<'_> for NameVisitor<T>
where
    T: FromStr + strum::VariantArray + Copy + Into<&'static str>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Names::<T>(PhantomData), f)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        value.parse().map_err(|_| {
            E::custom(format_args!(
                "unknown variant `{value}`, expected {}",
                Names::<T>(PhantomData)
            ))
        })
    }
}

/// `` one of `a`, `b`, `c` `` for an enum's names.
struct Names<T>(PhantomData<T>);

impl<T: strum::VariantArray + Copy + Into<&'static str>> fmt::Display for Names<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of ")?;
        for (i, variant) in T::VARIANTS.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            let name: &'static str = (*variant).into();
            write!(f, "`{name}`")?;
        }
        Ok(())
    }
}

/// Test support: every variant's name parses back to it, and the names are distinct.
#[cfg(test)]
pub(crate) fn assert_names_round_trip<T>()
where
    T: FromStr + strum::VariantArray + Copy + Into<&'static str> + PartialEq + fmt::Debug,
{
    let mut seen = std::collections::HashSet::new();
    for &variant in T::VARIANTS {
        let name: &'static str = variant.into();
        assert!(seen.insert(name), "{name} named twice");
        assert_eq!(name.parse::<T>().ok(), Some(variant), "{name}");
    }
    assert!("no such name".parse::<T>().is_err());
}

/// Test support: [`assert_names_round_trip`], and serde writes and reads those same names.
#[cfg(test)]
pub(crate) fn assert_serde_round_trip<T>()
where
    T: FromStr
        + strum::VariantArray
        + Copy
        + Into<&'static str>
        + PartialEq
        + fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    assert_names_round_trip::<T>();
    for &variant in T::VARIANTS {
        let name: &'static str = variant.into();
        let json = serde_json::to_value(variant).expect("serializes");
        assert_eq!(json, serde_json::Value::String(name.to_owned()));
        let back: T = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, variant);
        let text = serde_json::to_string(&variant).expect("serializes");
        assert_eq!(serde_json::from_str::<T>(&text).ok(), Some(variant));
    }
    let err = serde_json::from_str::<T>("\"no such name\"").expect_err("unknown name");
    assert!(
        err.to_string().contains("unknown variant `no such name`"),
        "{err}"
    );
}

#[cfg(test)]
mod tests {
    //! The names are stored in the record, printed as JSON and read by the filter language: a
    //! rename must fail here, not in someone's old record.

    use super::{assert_names_round_trip, assert_serde_round_trip};
    use crate::core::alerts::{AlertKind, Severity};
    use crate::core::coverage::Way;
    use crate::core::events::Family;
    use crate::core::lint::{Level, Profile};
    use crate::core::marker::MarkerKind;
    use crate::core::record::{SetForm, Transport};
    use crate::core::stream::StreamStatus;
    use crate::core::verify::Verdict;

    #[test]
    fn severities() {
        assert_serde_round_trip::<Severity>();
        assert_eq!(Severity::Info.as_str(), "info");
        assert_eq!(Severity::Critical.as_str(), "critical");
        assert_eq!(Severity::parse("warning"), Some(Severity::Warning));
        assert_eq!(Severity::parse("Warning"), None);
    }

    #[test]
    fn alert_kinds() {
        assert_serde_round_trip::<AlertKind>();
        assert_eq!(AlertKind::ALL.len(), 20);
        assert_eq!(AlertKind::Silent.as_str(), "silent");
        assert_eq!(
            AlertKind::StreamDisabledSilently.as_str(),
            "stream_disabled_silently"
        );
        assert_eq!(AlertKind::JwksUnreachable.as_str(), "jwks_unreachable");
        assert_eq!(
            AlertKind::parse("verification_state_mismatch"),
            Some(AlertKind::VerificationStateMismatch)
        );
        assert_eq!(AlertKind::parse("stream-deleted"), None);
    }

    #[test]
    fn stream_statuses() {
        assert_serde_round_trip::<StreamStatus>();
        assert_eq!(StreamStatus::Unknown.as_str(), "unknown");
        assert_eq!(StreamStatus::Disabled.as_str(), "disabled");
        assert_eq!(StreamStatus::parse("paused"), Some(StreamStatus::Paused));
        // Not an SSF status: the transmitter never says it.
        assert_eq!(StreamStatus::parse("unknown"), None);
        assert_eq!(StreamStatus::parse("Enabled"), None);
    }

    #[test]
    fn marker_kinds() {
        assert_names_round_trip::<MarkerKind>();
        assert_eq!(MarkerKind::Started.as_str(), "receiver_started");
        assert_eq!(MarkerKind::Stopped.as_str(), "receiver_stopped");
        assert_eq!(MarkerKind::parse("receiver_lost"), Some(MarkerKind::Lost));
        assert_eq!(MarkerKind::parse("lost"), None);
    }

    #[test]
    fn transports_and_forms() {
        assert_serde_round_trip::<Transport>();
        assert_serde_round_trip::<SetForm>();
        assert_eq!(Transport::Push.as_str(), "push");
        assert_eq!(Transport::File.as_str(), "file");
        assert_eq!(SetForm::Jws.as_str(), "jws");
        assert_eq!(SetForm::Claims.as_str(), "claims");
    }

    #[test]
    fn verdicts() {
        assert_serde_round_trip::<Verdict>();
        assert_eq!(Verdict::ALL.len(), 8);
        assert_eq!(Verdict::BadSignature.as_str(), "bad_signature");
        assert_eq!(Verdict::CritUnsupported.as_str(), "crit_unsupported");
        assert_eq!(
            Verdict::named("alg_not_allowed"),
            Some(Verdict::AlgNotAllowed)
        );
        assert_eq!(Verdict::named("bad-signature"), None);
    }

    #[test]
    fn levels_and_profiles() {
        assert_serde_round_trip::<Level>();
        assert_serde_round_trip::<Profile>();
        assert_eq!(Level::Error.as_str(), "error");
        assert_eq!(Level::Info.as_str(), "info");
        assert_eq!(Profile::Ssf10.as_str(), "ssf-1.0");
        assert_eq!(Profile::SseLegacy.as_str(), "sse-legacy");
        assert_eq!(Profile::named("rfc8417"), Some(Profile::Rfc8417));
    }

    #[test]
    fn variant_lists_follow_the_declarations() {
        // Derived lists: a new variant is listed without anyone remembering to.
        assert_eq!(
            Way::ALL,
            [
                Way::StreamUpdated,
                Way::StatusReads,
                Way::ConfigReads,
                Way::Heartbeat,
                Way::Silence
            ]
        );
        assert_eq!(
            serde_json::to_value(Way::ALL).expect("serializes"),
            serde_json::json!([
                "stream_updated",
                "status_reads",
                "config_reads",
                "heartbeat",
                "silence"
            ])
        );
        assert_eq!(
            <Family as strum::VariantArray>::VARIANTS.last(),
            Some(&Family::Unknown)
        );
    }
}
