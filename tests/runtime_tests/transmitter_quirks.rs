//! Runtime, on 127.0.0.1 only: the transmitter's quirks, each shown over raw HTTP next to the
//! spec behaviour it replaces; the control endpoint that changes them while it runs; the
//! `--quirk` and push-trust flags of `ssf-inspector transmitter`. No test resolves a name.

use crate::peer;

#[path = "transmitter_quirks/answers.rs"]
mod answers;
#[path = "transmitter_quirks/delivery.rs"]
mod delivery;
#[path = "transmitter_quirks/documents.rs"]
mod documents;
#[path = "transmitter_quirks/polls.rs"]
mod polls;
#[path = "transmitter_quirks/streams.rs"]
mod streams;

use clap::Parser;
use peer::{Peer, id_of, poll_body, quirky};
use reqwest::Method;
use serde_json::json;
use ssf_inspector::cli::{Cli, CliCommand};
use ssf_inspector::core::events::caep;
use ssf_inspector::runtime::transmitter::{Quirk, TransmitterOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_reads_and_replaces_the_quirks_while_it_runs() {
    let options = TransmitterOptions {
        read_token: Some("reader".to_owned()),
        ..quirky(&[Quirk::NoPatch])
    };
    let peer = Peer::start(options).await;
    let read = peer.get_json("/control/quirks", &[]).await;
    assert_eq!(read, json!({"quirks": ["no-patch"]}), "from the options");
    let created = peer.create(&poll_body()).await;
    let only = json!([caep("session-revoked")]);
    let patch = json!({"stream_id": id_of(&created), "events_requested": only});
    peer.check(Method::PATCH, "/streams", &patch, 501).await;

    let now = peer.set_quirks(&["echo-errors", "single-stream"]).await;
    assert_eq!(now, ["single-stream", "echo-errors"], "in the listed order");
    let read = peer.get_json("/control/quirks", &[]).await;
    assert_eq!(read, json!({"quirks": now}));
    peer.check(Method::PATCH, "/streams", &patch, 200).await;
    peer.create(&poll_body()).await; // replaces the stream instead of 409

    assert!(peer.set_quirks(&[]).await.is_empty());
    peer.check(Method::POST, "/streams", &poll_body(), 409)
        .await;

    let unknown = json!({"quirks": ["no-patch", "sloppy"]});
    let resp = peer.send(Method::POST, "/control/quirks", &unknown).await;
    assert_eq!(resp.status(), 400);
    let text = resp.text().await.unwrap();
    assert!(text.contains("\"sloppy\""), "{text}");
    assert!(Quirk::names().iter().all(|n| text.contains(n)), "{text}");
    let not_a_list = json!({"quirks": "no-patch"});
    peer.check(Method::POST, "/control/quirks", &not_a_list, 400)
        .await;
    let url = peer.url("/control/quirks");
    let anonymous = peer.http.post(&url).json(&json!({"quirks": []}));
    assert_eq!(anonymous.send().await.unwrap().status(), 401);
    let reader = peer.http.get(&url).bearer_auth("reader");
    assert_eq!(
        reader.send().await.unwrap().status(),
        200,
        "reading is fine"
    );
    let reader = peer.http.post(&url).bearer_auth("reader");
    let refused = reader.json(&json!({"quirks": ["no-patch"]})).send().await;
    assert_eq!(refused.unwrap().status(), 403);
    let read = peer.get_json("/control/quirks", &[]).await;
    assert_eq!(
        read,
        json!({"quirks": []}),
        "refused requests changed nothing"
    );
}

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(["ssf-inspector", "transmitter"].iter().chain(args))
}

fn transmitter_options(args: &[&str]) -> TransmitterOptions {
    match parse(args).expect("the flags parse").command {
        Some(CliCommand::Transmitter(args)) => args.options(),
        other => panic!("not the transmitter command: {other:?}"),
    }
}

#[test]
fn the_quirk_flag_is_repeatable_and_refuses_unknown_names_with_the_list() {
    assert!(
        transmitter_options(&[]).quirks.is_empty(),
        "spec by default"
    );
    let options = transmitter_options(&["--quirk", "no-patch", "--quirk", "single-stream"]);
    assert_eq!(options.quirks.names(), ["single-stream", "no-patch"]);
    for &quirk in Quirk::ALL {
        let options = transmitter_options(&["--quirk", quirk.as_str()]);
        assert!(options.quirks.has(quirk), "{quirk}");
    }
    let err = parse(&["--quirk", "sloppy"]).unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    let text = err.to_string();
    assert!(Quirk::names().iter().all(|n| text.contains(n)), "{text}");
}

#[test]
fn the_push_trust_flags_fill_the_options() {
    let options = transmitter_options(&[]);
    assert!(!options.push_trust.accept_invalid_certs);
    assert_eq!(options.push_trust.ca_pem, None);
    let options = transmitter_options(&["--push-accept-invalid-certs"]);
    assert!(options.push_trust.accept_invalid_certs);

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("quirks-push-ca.pem");
    std::fs::write(&file, delivery::TEST_CA_PEM).unwrap();
    let path = file.to_str().unwrap();
    let with_files = |args: &[&str]| match parse(args).unwrap().command {
        Some(CliCommand::Transmitter(args)) => args.options_with_files(),
        other => panic!("not the transmitter command: {other:?}"),
    };
    let options = with_files(&["--push-ca-cert", path]).unwrap();
    let pem = options.push_trust.ca_pem.expect("the CA read");
    assert_eq!(pem, delivery::TEST_CA_PEM.as_bytes());
    let missing = dir.join("quirks-no-such.pem");
    let err = with_files(&["--push-ca-cert", missing.to_str().unwrap()]).unwrap_err();
    assert!(err.to_string().contains("quirks-no-such.pem"), "{err}");
}
