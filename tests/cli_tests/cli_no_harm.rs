//! `ssf-inspector stream …` does no harm on transmitters that bend the spec (the built-in one,
//! reproducing them, on 127.0.0.1): a stream id the transmitter does not list is refused before
//! anything is sent (one that ignores `stream_id` would act on another receiver's stream), a
//! status endpoint that only reads is passed by for a PATCH (and that is said), the one
//! configuration of a transmitter without ids is the profile's own, and a stream the profile
//! made without a description is found by the id it remembers.

use crate::cli_kit;

use cli_kit::{Setup, expect, json_of, stderr, stdout};
use serde_json::{Value, json};
use ssf_inspector::core::stream::own_stream_description;
use ssf_inspector::runtime::own_streams::OwnStreams;
use ssf_inspector::runtime::transmitter::{Quirk, Quirks, TransmitterOptions};

fn quirky(quirks: &[Quirk]) -> TransmitterOptions {
    TransmitterOptions {
        quirks: quirks.iter().copied().collect::<Quirks>(),
        ..Setup::options()
    }
}

/// Another receiver's push stream.
fn theirs() -> Value {
    json!({
        "delivery": {
            "method": "urn:ietf:rfc:8935",
            "endpoint_url": "http://127.0.0.1:9/other-receiver",
        },
        "description": "another receiver",
    })
}

/// solarssk/ssf-transmitter ignores `stream_id`: a DELETE, pause or status of an id it does
/// not have would act on (or answer for) the one stream it has. Nothing is sent, exit 1.
#[test]
fn an_id_the_transmitter_does_not_list_is_refused_before_anything_is_sent() {
    let s = Setup::with(
        "cli-harm-wrong-id",
        quirky(&[Quirk::SingleStream, Quirk::IgnoresStreamId]),
    );
    let their_id = s.create(&theirs());
    let before = s.configurations();
    let wrong = "00000000-0000-0000-0000-000000000000";
    for command in [
        &["delete", "--profile", "tx", "--stream", wrong, "--yes"][..],
        &["status", "--profile", "tx", "--stream", wrong],
        &["pause", "--profile", "tx", "--stream", wrong],
        &["verify", "--profile", "tx", "--stream", wrong],
    ] {
        let output = s.stream(command);
        expect(&output, 1);
        let why = stderr(&output);
        assert!(
            why.contains(&format!("does not list stream {wrong}"))
                && why.contains(&their_id)
                && why.contains("nothing was done"),
            "{command:?}: {why}"
        );
        assert!(!stdout(&output).contains("\"ok\":true"));
    }
    assert_eq!(s.configurations(), before, "their stream is as it was");
    let delete = json_of(
        &s.stream(&[
            "delete",
            "--profile",
            "tx",
            "--stream",
            wrong,
            "--yes",
            "--json",
        ]),
        1,
    );
    assert_eq!(delete["ok"], false);
    assert_eq!(s.listed(), vec![their_id]);
}

/// solarssk/ssf-transmitter takes a status change only by PATCH of the configuration (its
/// status endpoint answers 405): the change is made that way, and the answer says how.
#[test]
fn a_status_endpoint_that_only_reads_is_passed_by_for_a_patch() {
    let s = Setup::with("cli-harm-patch", quirky(&[Quirk::StatusByPatch]));
    let ours = s.create(&json!({
        "delivery": {"method": "urn:ietf:rfc:8936"},
        "description": own_stream_description("tx"),
    }));
    let paused = s.stream(&["pause", "--profile", "tx", "--reason", "maintenance"]);
    let line = expect(&paused, 0);
    assert!(
        line.contains(&format!("stream {ours}: paused"))
            && line.contains("by PATCH of the configuration")
            && line.contains("HTTP 405")
            && line.contains("the reason is not sent that way"),
        "{line}"
    );
    let status = json_of(&s.stream(&["status", "--profile", "tx", "--json"]), 0);
    assert_eq!(status["answer"]["status"], "paused");
    let enabled = json_of(&s.stream(&["enable", "--profile", "tx", "--json"]), 0);
    assert!(
        enabled["how"].as_str().is_some_and(|h| h.contains("PATCH")),
        "{enabled}"
    );
}

/// duo-labs/sharedsignals keeps one configuration per token, without `stream_id`: it is the
/// profile's own, used without `--stream`.
#[test]
fn the_tokens_one_configuration_is_the_profiles_own() {
    let s = Setup::with("cli-harm-noid", quirky(&[Quirk::ConfigWithoutId]));
    s.create_config(&json!({"delivery": {"method": "urn:ietf:rfc:8936"}}));
    let status = s.stream(&["status", "--profile", "tx"]);
    let line = expect(&status, 0);
    assert!(
        line.contains("the token's configuration") && line.contains("enabled"),
        "{line}"
    );
    let config = json_of(&s.stream(&["config", "--profile", "tx", "--json"]), 0);
    assert!(config["answer"]["delivery"].is_object(), "{config}");
}

/// A stream made without a description (a transmitter that refuses one) is found by the id
/// the profile remembers making.
#[test]
fn a_stream_the_profile_remembers_is_its_own() {
    let s = Setup::with("cli-harm-remembered", Setup::options());
    let made = s.create(&json!({"delivery": {"method": "urn:ietf:rfc:8936"}}));
    let refused = s.stream(&["status", "--profile", "tx"]);
    expect(&refused, 2);
    OwnStreams::in_dir(&s.config)
        .remember("tx", &s.tx.issuer, &made)
        .expect("remember");
    let status = json_of(&s.stream(&["status", "--profile", "tx", "--json"]), 0);
    assert_eq!(status["stream_id"], made.as_str());
    let deleted = json_of(
        &s.stream(&["delete", "--profile", "tx", "--yes", "--json"]),
        0,
    );
    assert_eq!(deleted["deleted"], made.as_str());
    assert_eq!(deleted["http_status"], 204, "the DELETE's own answer");
    assert_eq!(
        OwnStreams::in_dir(&s.config).recall("tx", &s.tx.issuer),
        None,
        "forgotten once deleted"
    );
}
