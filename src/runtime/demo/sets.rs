//! What the demo transmitter says: SET claims for each event it plays, over a few subjects.

use serde_json::{Value, json};

use crate::core::events;
use crate::core::time::UnixMillis;
use crate::runtime::random::random_hex;

/// Claims of one SET with a single event (SSF §4.2.1), a fresh `jti` and `iat` now.
pub fn set_claims(
    iss: &str,
    aud: &str,
    event_uri: &str,
    payload: &Value,
    sub_id: &Value,
) -> anyhow::Result<Value> {
    Ok(json!({
        "iss": iss,
        "aud": aud,
        "jti": random_hex(16)?,
        "iat": UnixMillis::now().as_secs(),
        "txn": random_hex(8)?,
        "sub_id": sub_id,
        "events": { event_uri: payload },
    }))
}

/// The opaque subject that names a stream (verification and stream-updated).
pub fn stream_subject(stream_id: &str) -> Value {
    json!({"format": "opaque", "id": stream_id})
}

fn subject(n: usize) -> Value {
    match n % 4 {
        0 => json!({"format": "email", "email": "alice@example.com"}),
        1 => json!({"format": "iss_sub", "iss": "https://idp.example.com/", "sub": "bob-7d1f"}),
        2 => json!({
            "format": "complex",
            "user": {"format": "email", "email": "carol@example.com"},
            "device": {"format": "opaque", "id": "laptop-c4r0l"},
        }),
        _ => json!({"format": "phone_number", "phone_number": "+12065550100"}),
    }
}

fn reasons(admin: &str, user: &str) -> (Value, Value) {
    (json!({"en": admin}), json!({"en": user}))
}

/// The `n`th event of the steady mix: (event URI, payload, subject).
pub fn steady_event(n: usize) -> (String, Value, Value) {
    let now = UnixMillis::now().as_secs();
    let (uri, payload) = match n % 6 {
        0 => {
            let (admin, user) = reasons(
                "Landspeed policy violation",
                "You signed in from two countries at once",
            );
            (
                events::caep("session-revoked"),
                json!({"initiating_entity": "policy", "reason_admin": admin, "reason_user": user, "event_timestamp": now}),
            )
        }
        1 => {
            let (admin, _) = reasons("User reset their password", "");
            (
                events::caep("credential-change"),
                json!({"credential_type": "password", "change_type": "update", "initiating_entity": "user", "reason_admin": admin, "event_timestamp": now}),
            )
        }
        2 => (
            events::risc("account-disabled"),
            json!({"reason": "hijacking"}),
        ),
        3 => (
            events::caep("session-established"),
            json!({"fp_ua": "abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611", "acr": "AAL2", "amr": ["pwd", "otp"], "event_timestamp": now}),
        ),
        4 => (
            events::caep("device-compliance-change"),
            json!({"previous_status": "compliant", "current_status": "not-compliant", "initiating_entity": "policy", "event_timestamp": now}),
        ),
        _ => (
            events::caep("risk-level-change"),
            json!({"principal": "USER", "current_level": "HIGH", "previous_level": "LOW", "risk_reason": "Impossible travel", "event_timestamp": now}),
        ),
    };
    (uri, payload, subject(n))
}
