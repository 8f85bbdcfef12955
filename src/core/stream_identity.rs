//! Is a transmitter's answer about the stream asked for? Some transmitters ignore `stream_id`
//! and answer (or act on) the one stream they have, whoever made it; before the receiver
//! believes an answer or changes, deletes or replaces anything, the answer must name the
//! stream asked for, and a listing must still list it.

use serde_json::Value;

use super::json;

/// What a configuration or status answer says about which stream it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum About {
    /// It names the stream asked for.
    Asked,
    /// It names another stream: the transmitter ignored the id asked for.
    Other {
        /// The id it names.
        stream_id: String,
        /// Where that stream delivers, when the answer says.
        delivers_to: Option<String>,
    },
    /// It names no stream (a transmitter whose streams have no id, or a status answer
    /// without one): the answer alone cannot tell.
    Unnamed,
}

/// Which stream `answer` is about, asked for `asked` (empty: a stream without an id, where
/// any answer is about it).
pub fn about(answer: &Value, asked: &str) -> About {
    match json::string(answer, "stream_id") {
        Some(named) if !asked.is_empty() && named != asked => About::Other {
            stream_id: named,
            delivers_to: delivers_to(answer),
        },
        Some(_) => About::Asked,
        None if asked.is_empty() => About::Asked,
        None => About::Unnamed,
    }
}

/// Where a configuration delivers (push: the receiver's URL; poll: the transmitter's).
pub fn delivers_to(config: &Value) -> Option<String> {
    config
        .pointer("/delivery/endpoint_url")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// What a stream listing says of a stream id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Listed {
    /// Listed.
    Yes,
    /// Not listed; the ids that are (with where each delivers, when said).
    No(Vec<String>),
    /// The listing names no stream ids at all (one configuration per token, or none): it
    /// cannot say.
    CannotTell,
}

/// Whether `listing` lists `stream_id`.
pub fn listed(listing: &[Value], stream_id: &str) -> Listed {
    let ids: Vec<String> = listing
        .iter()
        .filter_map(|s| json::string(s, "stream_id"))
        .collect();
    if ids.iter().any(|id| id == stream_id) {
        Listed::Yes
    } else if ids.is_empty() {
        Listed::CannotTell
    } else {
        let described = listing
            .iter()
            .filter_map(|s| {
                let id = json::string(s, "stream_id")?;
                Some(match delivers_to(s) {
                    Some(url) => format!("{id} (delivering to {url})"),
                    None => id,
                })
            })
            .collect();
        Listed::No(described)
    }
}

/// The ids listed before that are no longer listed after (what a create or a delete took
/// away), each with its description or delivery when known.
pub fn vanished(before: &[Value], after: &[Value]) -> Vec<String> {
    let now: Vec<String> = after
        .iter()
        .filter_map(|s| json::string(s, "stream_id"))
        .collect();
    before
        .iter()
        .filter(|s| json::string(s, "stream_id").is_some_and(|id| !now.contains(&id)))
        .map(describe)
        .collect()
}

/// A stream on one line: its id, and its description or delivery when known.
pub fn describe(stream: &Value) -> String {
    let id = json::string(stream, "stream_id").unwrap_or_else(|| "(no stream_id)".to_owned());
    let what = json::string(stream, "description")
        .or_else(|| delivers_to(stream).map(|url| format!("delivering to {url}")));
    match what {
        Some(what) => format!("{id} ({what})"),
        None => id,
    }
}

/// Whether a transmitter says of itself, in a configuration it lists, that it keeps a single
/// stream (solarssk/ssf-transmitter's `"stream_model": "single-stream"`): a create there
/// replaces whatever stream it has.
pub fn says_single_stream(listing: &[Value]) -> bool {
    listing
        .iter()
        .any(|s| json::string(s, "stream_model").as_deref() == Some("single-stream"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{About, Listed, about, listed, says_single_stream, vanished};

    #[test]
    fn an_answer_is_about_the_stream_it_names() {
        let theirs = json!({"stream_id": "b", "delivery": {"endpoint_url": "https://other/"}});
        assert_eq!(about(&json!({"stream_id": "a"}), "a"), About::Asked);
        assert_eq!(
            about(&theirs, "a"),
            About::Other {
                stream_id: "b".to_owned(),
                delivers_to: Some("https://other/".to_owned())
            }
        );
        assert_eq!(about(&json!({"status": "enabled"}), "a"), About::Unnamed);
        // A stream without an id: whatever answers is about it.
        assert_eq!(about(&json!({"status": "enabled"}), ""), About::Asked);
        assert_eq!(about(&theirs, ""), About::Asked);
    }

    #[test]
    fn a_listing_lists_an_id_or_says_which_it_does() {
        let listing = [
            json!({"stream_id": "a"}),
            json!({"stream_id": "b", "delivery": {"endpoint_url": "https://b/"}}),
        ];
        assert_eq!(listed(&listing, "a"), Listed::Yes);
        assert_eq!(
            listed(&listing, "z"),
            Listed::No(vec![
                "a".to_owned(),
                "b (delivering to https://b/)".to_owned()
            ])
        );
        assert_eq!(
            listed(&[json!({"iss": "x"})], "a"),
            Listed::CannotTell,
            "one configuration per token, no ids"
        );
        assert_eq!(listed(&[], "a"), Listed::CannotTell);
    }

    #[test]
    fn what_vanished_between_two_listings() {
        let before = [
            json!({"stream_id": "a", "description": "theirs"}),
            json!({"stream_id": "b"}),
        ];
        let after = [json!({"stream_id": "b"}), json!({"stream_id": "c"})];
        assert_eq!(vanished(&before, &after), ["a (theirs)"]);
        assert!(vanished(&after, &after).is_empty());
        assert!(says_single_stream(&[
            json!({"stream_id": "a", "stream_model": "single-stream"})
        ]));
        assert!(!says_single_stream(&before));
    }
}
