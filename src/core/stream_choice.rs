//! Which stream a profile takes at a transmitter, from the streams it lists: the receiver's own
//! (its description, the id the profile remembers making, or the one configuration of a
//! transmitter that keeps one per token), a new one where no one else's is listed (or the
//! profile says create always, unless the transmitter says it keeps a single stream), or none,
//! with why and what to do. The set-up and *Test connection* ask the same question here.

use serde_json::Value;

use super::json;
use super::profile::StreamSetup;
use super::stream::OWN_STREAM_PREFIX;
use super::stream_identity::{describe, says_single_stream};

/// How a listed stream is known to be the receiver's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnBy {
    /// Its description is this profile's.
    Described,
    /// This profile remembers making it.
    Remembered,
    /// The one configuration of a transmitter that keeps one per token, without ids: the
    /// token's, so this receiver's.
    TokenConfig,
}

/// What set-up does with the streams listed.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice<'a> {
    /// Use the receiver's own stream.
    Own(&'a Value, OwnBy),
    /// Create a stream (beside the ones listed, which are the receiver's other profiles', or
    /// anyone's when the profile says always).
    Create,
    /// Set nothing up, so as to harm no one's stream: why, and what to do.
    Decline(String),
}

/// The choice for a profile of set-up `setup` (auto, always or never: attach and listen only
/// are decided elsewhere), its own `description` and the stream id it `remembered`.
pub fn choose<'a>(
    listed: &'a [Value],
    setup: &StreamSetup,
    description: &str,
    remembered: Option<&str>,
) -> Choice<'a> {
    if let Some(own) = listed
        .iter()
        .find(|s| json::string(s, "description").as_deref() == Some(description))
    {
        return Choice::Own(own, OwnBy::Described);
    }
    if let Some(own) = remembered.and_then(|id| {
        listed
            .iter()
            .find(|s| json::string(s, "stream_id").as_deref() == Some(id))
    }) {
        return Choice::Own(own, OwnBy::Remembered);
    }
    if let [only] = listed
        && json::string(only, "stream_id").is_none()
    {
        return Choice::Own(only, OwnBy::TokenConfig);
    }
    // Streams of this receiver's other profiles are its own: a create beside them is checked
    // afterwards like any other. Anyone else's stream stops a create unless the profile says.
    let foreign: Vec<&Value> = listed
        .iter()
        .filter(|s| {
            !json::string(s, "description").is_some_and(|d| d.starts_with(OWN_STREAM_PREFIX))
        })
        .collect();
    let others = || -> String {
        foreign
            .iter()
            .map(|s| describe(s))
            .collect::<Vec<_>>()
            .join("; ")
    };
    // A transmitter that says it keeps a single stream replaces it on any create.
    if !foreign.is_empty() && says_single_stream(listed) {
        let always = if *setup == StreamSetup::CreateAlways {
            ", even with --create-stream always"
        } else {
            ""
        };
        return Choice::Decline(format!(
            "the transmitter says it keeps a single stream (\"stream_model\": \"single-stream\"), and it has one this receiver did not make: {}. A create would replace it, so none was created{always}. Attach to it to receive from it without changing it (--attach ID), listen only (--listen-only), or have its owner delete it first",
            others()
        ));
    }
    if !foreign.is_empty() && *setup != StreamSetup::CreateAlways {
        return Choice::Decline(format!(
            "the transmitter lists {} stream(s) this receiver did not make: {}. A create could replace one of them (some transmitters keep one stream per receiver), so none was created. Attach to one to receive from it without changing it (--attach ID), listen only (--listen-only), or create anyway (--create-stream always)",
            foreign.len(),
            others()
        ));
    }
    if *setup == StreamSetup::Never {
        return Choice::Decline(
            "the transmitter has no stream of this receiver, and the profile never creates one (--create-stream never)".to_owned(),
        );
    }
    Choice::Create
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Choice, OwnBy, choose};
    use crate::core::profile::StreamSetup;

    #[test]
    fn the_own_stream_is_found_by_description_memory_or_as_the_tokens_one() {
        let listed = [
            json!({"stream_id": "a", "description": "ssf-inspector: p"}),
            json!({"stream_id": "b"}),
        ];
        let auto = StreamSetup::Auto;
        assert!(matches!(
            choose(&listed, &auto, "ssf-inspector: p", None),
            Choice::Own(_, OwnBy::Described)
        ));
        assert!(matches!(
            choose(&listed[1..], &auto, "ssf-inspector: p", Some("b")),
            Choice::Own(_, OwnBy::Remembered)
        ));
        let token = [json!({"iss": "x", "delivery": {}})];
        assert!(matches!(
            choose(&token, &auto, "ssf-inspector: p", None),
            Choice::Own(_, OwnBy::TokenConfig)
        ));
    }

    #[test]
    fn anyone_elses_stream_stops_a_create_unless_always_and_never_a_single_stream() {
        let theirs = [json!({"stream_id": "b", "description": "theirs"})];
        let own = "ssf-inspector: p";
        assert!(matches!(
            choose(&theirs, &StreamSetup::Auto, own, None),
            Choice::Decline(_)
        ));
        assert_eq!(
            choose(&theirs, &StreamSetup::CreateAlways, own, None),
            Choice::Create
        );
        let single = [json!({"stream_id": "b", "stream_model": "single-stream"})];
        let Choice::Decline(why) = choose(&single, &StreamSetup::CreateAlways, own, None) else {
            panic!("a single-stream transmitter's stream is never replaced");
        };
        assert!(why.contains("single-stream"), "{why}");
        assert!(matches!(
            choose(&[], &StreamSetup::Never, own, None),
            Choice::Decline(_)
        ));
        assert_eq!(choose(&[], &StreamSetup::Auto, own, None), Choice::Create);
        let mine = [json!({"stream_id": "c", "description": "ssf-inspector: q"})];
        assert_eq!(choose(&mine, &StreamSetup::Auto, own, None), Choice::Create);
    }
}
