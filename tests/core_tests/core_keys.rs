//! The transmitter's keys in the reducer: each verified SET notes its key's first and last use;
//! a JWKS that drops the key in use, or cannot be fetched, is a critical alert that a listed key
//! in use (or a successful fetch) ends; a configuration the receiver set itself is a new
//! baseline, never "narrowed under the receiver".

use crate::fixtures;

use std::sync::Arc;

use fixtures::{NOW, TestKey, inspect, session_revoked, state_with};
use serde_json::json;
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::events::caep;
use ssf_inspector::core::keys::{KeyInfo, describe_jwks};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

fn at(secs: i64) -> UnixMillis {
    UnixMillis(NOW.0 + secs * 1000)
}

fn key() -> StreamKey {
    StreamKey("demo".to_owned())
}

fn listed(kids: &[&str], secs: i64) -> Update {
    Update::Keys {
        key: key(),
        keys: kids
            .iter()
            .map(|kid| KeyInfo {
                kid: (*kid).to_owned(),
                kty: "EC".to_owned(),
                alg: Some("ES256".to_owned()),
            })
            .collect(),
        at: at(secs),
        exchange: None,
    }
}

fn signed_by(state: &mut InspectorState, signer: &TestKey, jti: &str, secs: i64) -> Vec<AlertKind> {
    let record = inspect(
        &signer.sign(&session_revoked(jti)),
        &signer.jwks(),
        at(secs),
    );
    state
        .apply(Update::Set(Arc::new(record)), at(secs))
        .raised
        .iter()
        .map(|a| a.kind)
        .collect()
}

fn active(state: &InspectorState) -> Vec<AlertKind> {
    state
        .alerts
        .iter()
        .filter(|a| a.is_active())
        .map(|a| a.kind)
        .collect()
}

#[test]
fn a_rotation_shows_first_and_last_use_and_raises_nothing() {
    let (old, new) = (TestKey::es256("k-old"), TestKey::es256("k-new"));
    let mut state = state_with(Vec::new());
    state.apply(listed(&["k-old"], 0), at(0));
    signed_by(&mut state, &old, "a", 1);
    signed_by(&mut state, &old, "b", 2);
    // The transmitter publishes the new key, signs with it, then retires the old one.
    assert!(
        state
            .apply(listed(&["k-old", "k-new"], 3), at(3))
            .is_empty()
    );
    signed_by(&mut state, &new, "c", 4);
    assert!(state.apply(listed(&["k-new"], 5), at(5)).raised.is_empty());
    let book = &state.streams[&key()].keys;
    let old_use = book
        .keys
        .iter()
        .find(|k| k.kid == "k-old")
        .expect("old key");
    assert_eq!(
        (old_use.first_used, old_use.last_used, old_use.sets),
        (Some(at(1)), Some(at(2)), 2)
    );
    assert_eq!((old_use.in_jwks, old_use.removed_at), (false, Some(at(5))));
    let new_use = book
        .keys
        .iter()
        .find(|k| k.kid == "k-new")
        .expect("new key");
    assert_eq!(
        (new_use.first_listed, new_use.first_used),
        (Some(at(3)), Some(at(4)))
    );
    assert_eq!(book.signing.as_deref(), Some("k-new"));
    assert!(active(&state).is_empty(), "{:?}", active(&state));
}

#[test]
fn removing_the_key_in_use_is_critical_until_a_listed_key_signs() {
    let (old, new) = (TestKey::es256("k-old"), TestKey::es256("k-new"));
    let mut state = state_with(Vec::new());
    state.apply(listed(&["k-old"], 0), at(0));
    signed_by(&mut state, &old, "a", 1);
    let raised = state.apply(listed(&["k-new"], 2), at(2)).raised;
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::SigningKeyRemoved);
    assert!(raised[0].cause.contains("\"k-old\""), "{}", raised[0].cause);
    assert!(state.banner_alerts().next().is_some(), "critical");
    assert!(signed_by(&mut state, &new, "b", 3).is_empty());
    assert!(active(&state).is_empty(), "the new key in use ends it");
}

#[test]
fn an_unreachable_jwks_is_critical_until_the_next_fetch() {
    let mut state = state_with(Vec::new());
    let raised = state
        .apply(
            Update::KeysUnreachable {
                key: key(),
                error: "GET http://127.0.0.1:9/jwks answered HTTP 503".to_owned(),
                at: at(1),
                exchange: None,
            },
            at(1),
        )
        .raised;
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::JwksUnreachable);
    assert!(raised[0].cause.contains("HTTP 503"), "{}", raised[0].cause);
    state.apply(listed(&["k1"], 2), at(2));
    assert!(active(&state).is_empty());
}

#[test]
fn the_jwks_is_described_without_key_material() {
    let key = TestKey::es256("k9");
    let described = describe_jwks(&json!({"keys": [key.jwk]}));
    assert_eq!(
        described,
        [KeyInfo {
            kid: "k9".to_owned(),
            kty: "EC".to_owned(),
            alg: Some("ES256".to_owned()),
        }]
    );
}

#[test]
fn a_configuration_the_receiver_set_is_a_baseline_not_an_alert() {
    let mut state = state_with(Vec::new());
    let config = |delivered: Vec<String>| json!({"stream_id": "s1", "events_delivered": delivered, "delivery": {"method": "urn:ietf:rfc:8936", "endpoint_url": "http://127.0.0.1:9/poll"}});
    let both = vec![caep("session-revoked"), caep("credential-change")];
    let one = vec![caep("session-revoked")];
    let own = |config| Update::StreamConfig {
        key: key(),
        config,
        set_by_receiver: true,
        exchange: None,
    };
    let read = |config| Update::StreamConfig {
        key: key(),
        config,
        set_by_receiver: false,
        exchange: None,
    };
    assert!(
        state
            .apply(own(config(both.clone())), at(1))
            .raised
            .is_empty()
    );
    // The receiver itself asks for fewer events: no alert, and reading it back raises none.
    assert!(
        state
            .apply(own(config(one.clone())), at(2))
            .raised
            .is_empty()
    );
    assert!(state.apply(read(config(one)), at(3)).raised.is_empty());
    // Later the transmitter drops one under the receiver: that is an alert.
    let raised = state.apply(read(config(Vec::new())), at(4)).raised;
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].kind, AlertKind::StreamNarrowed);
}
