//! The reducer's part for the transmitter's keys: each verified SET notes the key it used; a
//! JWKS that no longer lists the key in use, or a JWKS that cannot be fetched, is an alert
//! (SETs signed with a key the receiver cannot get can no longer be verified: coverage ends).

use super::alerts::{Alert, AlertKind, Evidence};
use super::keys::KeyInfo;
use super::record::{SetRecord, StreamKey};
use super::state::InspectorState;
use super::time::UnixMillis;
use super::verify::Verdict;

impl InspectorState {
    /// A verified SET used a key: note it; a listed key in use ends a "removed" alert.
    pub(super) fn note_key_use(&mut self, record: &SetRecord) {
        if record.verification.verdict != Verdict::Valid {
            return;
        }
        let kid = record
            .jws
            .as_ref()
            .and_then(|jws| jws.header.get("kid"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(stream) = self.streams.get_mut(&record.stream) else {
            return;
        };
        stream.keys.used(&kid, record.received_at);
        if stream.keys.is_listed(&kid) {
            self.resolve(
                &record.stream,
                &[AlertKind::SigningKeyRemoved],
                record.received_at,
            );
        }
    }

    /// A JWKS was fetched.
    pub(super) fn apply_keys(
        &mut self,
        key: &StreamKey,
        keys: &[KeyInfo],
        at: UnixMillis,
        exchange: Option<u64>,
    ) -> Vec<Alert> {
        let evidence = Evidence::exchange(exchange);
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        let removed = stream.keys.listed(keys, at);
        self.resolve(key, &[AlertKind::JwksUnreachable], at);
        match removed {
            Some(kid) => {
                let kid = if kid.is_empty() { "(no kid)" } else { &kid };
                let cause = format!(
                    "The transmitter's JWKS no longer lists key \"{kid}\", which signed the latest verified SET: SETs signed with it can no longer be verified"
                );
                self.raise(AlertKind::SigningKeyRemoved, key, cause, None, evidence, at)
            }
            None => {
                self.resolve(key, &[AlertKind::SigningKeyRemoved], at);
                Vec::new()
            }
        }
    }

    /// The JWKS could not be fetched.
    pub(super) fn apply_keys_unreachable(
        &mut self,
        key: &StreamKey,
        error: &str,
        at: UnixMillis,
        exchange: Option<u64>,
    ) -> Vec<Alert> {
        let evidence = Evidence::exchange(exchange);
        let cause = format!(
            "The transmitter's JWKS could not be fetched ({error}): a SET signed with a key the receiver does not have yet cannot be verified"
        );
        self.raise(AlertKind::JwksUnreachable, key, cause, None, evidence, at)
    }
}
