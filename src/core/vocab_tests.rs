//! The names are stored in the record, printed as JSON and read by the filter language: a
//! rename must fail here, not in someone's old record.

use super::vocab::{assert_names_round_trip, assert_serde_round_trip};
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
