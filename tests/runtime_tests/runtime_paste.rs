//! The window's *Decode* against the built-in transmitter on 127.0.0.1: pasted text is decoded
//! with a saved profile's transmitter keys (read for the paste), so a SET that transmitter
//! signed verifies and one signed by another key does not; a profile whose transmitter is not
//! there says why, and the SETs are still decoded and linted.

use crate::receiving;

use serde_json::json;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::pasted::{Pasted, PastedKeys};
use ssf_inspector::core::profile::DeliveryMode;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::verify::Verdict;
use ssf_inspector::runtime::{self, Command, Folders};

/// Paste `text` into a runtime whose profiles are in `files`, with `profile`'s keys.
async fn pasted(
    files: &ssf_inspector::runtime::profiles::ProfileFiles,
    text: String,
    profile: Option<&str>,
) -> Pasted {
    let (updates, mut rx) = update_channel(no_wake());
    let folders = Folders {
        config: Some(files.dir().to_path_buf()),
        ..Folders::default()
    };
    let rt = runtime::spawn_in(&tokio::runtime::Handle::current(), updates, folders);
    rt.send(Command::DecodePasted {
        text,
        profile: profile.map(str::to_owned),
    })
    .await
    .expect("send");
    let mut state = InspectorState::default();
    let answered = receiving::until(&mut rx, &mut state, |s| s.pasted.is_some()).await;
    rt.send(Command::Shutdown).await.ok();
    assert!(answered, "the paste was answered");
    state.pasted.expect("decoded")
}

fn claims(issuer: &str, jti: &str) -> serde_json::Value {
    json!({
        "iss": issuer,
        "jti": jti,
        "iat": 1_765_000_000,
        "aud": "https://receiver.example.com",
        "sub_id": {"format": "email", "email": "alice@example.com"},
        "events": {
            "https://schemas.openid.net/secevent/caep/event-type/session-revoked": {
                "event_timestamp": 1_765_000_000
            }
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paste_is_verified_with_the_chosen_profiles_transmitter_keys() {
    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(&tx, "paste-ok", "paste-ok", DeliveryMode::Push);
    files.save(std::slice::from_ref(&profile)).expect("save");
    let key = tx.signing_key().expect("the transmitter signs");
    let theirs = key.sign_set(&claims(&tx.issuer, "theirs")).expect("sign");
    let stranger = ssf_inspector::runtime::transmitter::keys::SigningKey::generate(
        jsonwebtoken::Algorithm::ES256,
    )
    .expect("a key");
    let forged = stranger
        .sign_set(&claims(&tx.issuer, "forged"))
        .expect("sign");
    let text = format!("{theirs}\n{forged}\nnot a token at all {{\n");
    let decoded = pasted(&files, text.clone(), Some("paste-ok")).await;
    match &decoded.keys {
        PastedKeys::Profile { name, issuer, kids } => {
            assert_eq!(name, "paste-ok");
            assert_eq!(issuer, &tx.issuer);
            assert!(!kids.is_empty());
        }
        other => panic!("the profile's keys were used: {other:?}"),
    }
    let verdicts: Vec<_> = decoded
        .items
        .iter()
        .map(|i| (i.line, i.record.verification.verdict))
        .collect();
    assert_eq!(verdicts[0], (1, Verdict::Valid), "{verdicts:?}");
    assert_eq!(verdicts[1].0, 2);
    assert_ne!(verdicts[1].1, Verdict::Valid, "another key's signature");
    assert_eq!(
        verdicts[2],
        (3, Verdict::Malformed),
        "kept and said, not dropped"
    );
    assert!(
        decoded.items[1]
            .record
            .findings
            .iter()
            .any(|f| f.rule == "signature")
    );

    // Without keys: decoded and linted, not verified.
    let unverified = pasted(&files, text, None).await;
    assert_eq!(unverified.keys, PastedKeys::None);
    assert_eq!(
        unverified.items[0].record.verification.verdict,
        Verdict::NotVerified
    );
    assert_eq!(unverified.items[0].record.jti.as_deref(), Some("theirs"));
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_whose_transmitter_is_not_there_says_why_and_still_decodes() {
    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, mut profile) =
        receiving::profile_for(&tx, "paste-gone", "paste-gone", DeliveryMode::Push);
    cancel.cancel();
    // A port nobody listens on: bound, then let go.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    profile.issuer = format!("http://{closed}/ssf");
    files.save(std::slice::from_ref(&profile)).expect("save");
    let key = ssf_inspector::runtime::transmitter::keys::SigningKey::generate(
        jsonwebtoken::Algorithm::ES256,
    )
    .expect("a key");
    let token = key.sign_set(&claims(&profile.issuer, "j1")).expect("sign");
    let decoded = pasted(&files, token, Some("paste-gone")).await;
    match &decoded.keys {
        PastedKeys::Failed { name, why } => {
            assert_eq!(name, "paste-gone");
            assert!(
                why.contains("could not reach") || why.contains("refused"),
                "{why}"
            );
        }
        other => panic!("the keys could not be read: {other:?}"),
    }
    assert_eq!(decoded.items.len(), 1);
    assert_eq!(decoded.items[0].record.jti.as_deref(), Some("j1"));
    assert_eq!(
        decoded.items[0].record.verification.verdict,
        Verdict::NotVerified
    );
}
