//! What the transmitter says: SET claims, a payload for every CAEP and RISC event type, and the
//! subjects it talks about (several formats, complex ones included).

use serde_json::{Value, json};

use crate::core::events;
use crate::core::time::UnixMillis;
use crate::runtime::random::random_hex;

/// Claims of one SET with a single event (SSF §4.2.1), a fresh `jti` and `iat` now.
pub fn set_claims(
    iss: &str,
    aud: &Value,
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

/// The `n`th subject of the rotation.
pub fn subject(n: usize) -> Value {
    match n % 6 {
        0 => json!({"format": "email", "email": "alice@example.com"}),
        1 => json!({"format": "iss_sub", "iss": "https://idp.example.com/", "sub": "bob-7d1f"}),
        2 => json!({
            "format": "complex",
            "user": {"format": "email", "email": "carol@example.com"},
            "device": {"format": "opaque", "id": "laptop-c4r0l"},
        }),
        3 => json!({"format": "phone_number", "phone_number": "+12065550100"}),
        4 => json!({"format": "account", "uri": "acct:dave@example.com"}),
        _ => json!({
            "format": "complex",
            "user": {"format": "iss_sub", "iss": "https://idp.example.com/", "sub": "erin-0c2a"},
            "session": {"format": "opaque", "id": "sess-9f3b"},
            "tenant": {"format": "opaque", "id": "acme"},
        }),
    }
}

fn reason(text: &str) -> Value {
    json!({"en": text})
}

/// A plausible payload for an event type (CAEP and RISC; `{}` for others).
pub fn payload_for(uri: &str) -> Value {
    let now = UnixMillis::now().as_secs();
    let suffix = uri.rsplit('/').next().unwrap_or_default();
    let caep = uri.starts_with(&events::caep(""));
    match (caep, suffix) {
        (true, "session-revoked") => {
            json!({"initiating_entity": "policy", "reason_admin": reason("Landspeed policy violation"), "reason_user": reason("You signed in from two countries at once"), "event_timestamp": now})
        }
        (true, "token-claims-change") => {
            json!({"claims": {"role": "ro-admin"}, "initiating_entity": "policy", "event_timestamp": now})
        }
        (true, "credential-change") => {
            json!({"credential_type": "password", "change_type": "update", "initiating_entity": "user", "reason_admin": reason("User reset their password"), "event_timestamp": now})
        }
        (true, "assurance-level-change") => {
            json!({"namespace": "NIST-AAL", "current_level": "nist-aal1", "previous_level": "nist-aal2", "change_direction": "decrease", "initiating_entity": "system", "event_timestamp": now})
        }
        (true, "device-compliance-change") => {
            json!({"previous_status": "compliant", "current_status": "not-compliant", "initiating_entity": "policy", "event_timestamp": now})
        }
        (true, "session-established") => {
            json!({"fp_ua": "abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611", "acr": "AAL2", "amr": ["pwd", "otp"], "event_timestamp": now})
        }
        (true, "session-presented") => {
            json!({"fp_ua": "abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611", "ext_id": "12345", "event_timestamp": now})
        }
        (true, "risk-level-change") => {
            json!({"principal": "USER", "current_level": "HIGH", "previous_level": "LOW", "risk_reason": "Impossible travel", "event_timestamp": now})
        }
        (false, "account-disabled") => json!({"reason": "hijacking"}),
        (false, "identifier-changed") => json!({"new-value": "alice.new@example.com"}),
        (false, "credential-compromise") => {
            json!({"credential_type": "password", "event_timestamp": now, "reason_admin": reason("Found in a breach corpus")})
        }
        _ => json!({}),
    }
}

/// The steady mix: every CAEP event type and every current RISC one, in turn, over the subjects.
/// It starts with session-revoked, credential-change and account-disabled.
pub fn steady_event(n: usize) -> (String, Value, Value) {
    const ORDER: [(&str, bool); 20] = [
        ("session-revoked", true),
        ("credential-change", true),
        ("account-disabled", false),
        ("session-established", true),
        ("device-compliance-change", true),
        ("risk-level-change", true),
        ("token-claims-change", true),
        ("assurance-level-change", true),
        ("session-presented", true),
        ("account-enabled", false),
        ("account-credential-change-required", false),
        ("credential-compromise", false),
        ("identifier-changed", false),
        ("identifier-recycled", false),
        ("opt-in", false),
        ("opt-out-initiated", false),
        ("opt-out-cancelled", false),
        ("opt-out-effective", false),
        ("recovery-activated", false),
        ("recovery-information-changed", false),
    ];
    let (suffix, is_caep) = ORDER[n % ORDER.len()];
    let uri = if is_caep {
        events::caep(suffix)
    } else {
        events::risc(suffix)
    };
    let subject = match suffix {
        // RISC identifier events name an email or phone subject (RISC §2.5, §2.6).
        "identifier-changed" | "identifier-recycled" => {
            json!({"format": "email", "email": "alice@example.com"})
        }
        _ => subject(n),
    };
    let payload = payload_for(&uri);
    (uri, payload, subject)
}
