//! What the transmitter plays on each stream: `steady` traffic over every CAEP and RISC event,
//! `mallory` (steady, then the stream is disabled — announced or not), `faulty` (SETs with every
//! kind of defect between good ones), or `quiet` (only what the control endpoint triggers).

use std::sync::Arc;

use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::delivery::{self, Outgoing};
use super::{Tx, sets};
use crate::core::stream::StreamStatus;

/// A scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// A realistic mix of every CAEP and RISC event over several subjects.
    Steady,
    /// Steady traffic, then the stream is disabled (`disable_after`); events go on and are dropped.
    Mallory,
    /// Bad signature, unknown kid, sub and exp, duplicate jti, legacy draft, malformed token.
    Faulty,
    /// Nothing on its own.
    Quiet,
}

impl std::str::FromStr for Scenario {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "steady" => Ok(Self::Steady),
            "mallory" => Ok(Self::Mallory),
            "faulty" => Ok(Self::Faulty),
            "quiet" => Ok(Self::Quiet),
            other => Err(format!(
                "unknown scenario \"{other}\" (steady, mallory, faulty, quiet)"
            )),
        }
    }
}

/// Play the transmitter's scenario on one stream until it is deleted or the transmitter stops.
pub(super) async fn play(tx: Arc<Tx>, stream_id: String, cancel: CancellationToken) {
    let scenario = tx.options.scenario;
    if scenario == Scenario::Quiet {
        return;
    }
    let started = tokio::time::Instant::now();
    let mut disabled = false;
    let mut previous: Option<Outgoing> = None;
    let mut ticker = tokio::time::interval(tx.options.event_interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for n in 0_usize.. {
        tokio::select! {
            () = cancel.cancelled() => return,
            _ = ticker.tick() => {}
        }
        if scenario == Scenario::Mallory
            && !disabled
            && tx
                .options
                .disable_after
                .is_some_and(|after| started.elapsed() >= after)
        {
            disabled = true;
            tx.set_status_as_transmitter(
                &stream_id,
                StreamStatus::Disabled,
                Some(tx.options.disable_reason.clone()),
            );
        }
        let item = match scenario {
            Scenario::Faulty => faulty(&tx, &stream_id, n, previous.as_ref()),
            _ => steady(&tx, &stream_id, n),
        };
        let Some(item) = item else { continue };
        previous = Some(item.clone());
        let mut streams = tx.streams.lock();
        match streams.get_mut(&stream_id) {
            Some(stream) => delivery::offer(&stream_id, stream, item),
            None => return,
        }
    }
}

fn config_of(tx: &Tx, stream_id: &str) -> Option<super::config::StreamConfig> {
    tx.streams.lock().get(stream_id).map(|s| s.config.clone())
}

fn steady(tx: &Tx, stream_id: &str, n: usize) -> Option<Outgoing> {
    let (uri, payload, subject) = sets::steady_event(n);
    delivery::signed(tx, &config_of(tx, stream_id)?, &uri, &payload, &subject)
}

/// Every eighth SET is good; the others each carry one defect a receiver must notice.
fn faulty(tx: &Tx, stream_id: &str, n: usize, previous: Option<&Outgoing>) -> Option<Outgoing> {
    let config = config_of(tx, stream_id)?;
    let (uri, payload, subject) = sets::steady_event(n);
    let claims = sets::set_claims(&tx.issuer, &config.aud, &uri, &payload, &subject).ok()?;
    let keys = tx.keys.lock();
    let key = keys.active()?;
    let jti = claims
        .get("jti")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let outgoing = |token: String, jti: String| {
        Some(Outgoing {
            jti,
            token,
            event_uri: uri.clone(),
            subject: Some(subject.clone()),
        })
    };
    match n % 8 {
        // A signature that does not match the content.
        1 => {
            let token = key.sign_set(&claims).ok()?;
            let (rest, signature) = token.rsplit_once('.')?;
            let flipped: String = signature.chars().rev().collect();
            outgoing(format!("{rest}.{flipped}"), jti)
        }
        // Signed by a key the JWKS does not publish.
        2 => outgoing(key.sign_with_kid(&claims, "retired-key-0").ok()?, jti),
        // sub and exp, which SSF forbids.
        3 => {
            let mut bad = claims.clone();
            bad["sub"] = json!("alice");
            bad["exp"] = json!(crate::core::time::UnixMillis::now().as_secs() + 300);
            outgoing(key.sign_set(&bad).ok()?, jti)
        }
        // The previous SET again, same jti.
        4 => previous
            .cloned()
            .or_else(|| outgoing(key.sign_set(&claims).ok()?, jti)),
        // A legacy-draft SET: RISC http:// URI, subject_type inside the event, no sub_id.
        5 => {
            let legacy = json!({
                "iss": tx.issuer, "aud": config.aud, "jti": jti, "iat": claims["iat"],
                "events": {"http://schemas.openid.net/secevent/risc/event-type/account-disabled": {
                    "subject": {"subject_type": "iss-sub", "iss": "https://idp.example.com/", "sub": "bob-7d1f"},
                    "reason": "hijacking"
                }}
            });
            let token = key.sign_set(&legacy).ok()?;
            Some(Outgoing {
                jti,
                token,
                event_uri: crate::core::events::risc("account-disabled"),
                subject: None,
            })
        }
        // Not a JWS at all.
        6 => outgoing("this-is.not-a.compact+jws!".to_owned(), jti),
        _ => outgoing(key.sign_set(&claims).ok()?, jti),
    }
}
