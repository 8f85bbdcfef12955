//! What the receiver answers a SET that breaks a MUST of the specs it can check without the
//! event's meaning, rule by rule. Each rule refuses by default (RFC 8935 §2.3 `invalid_request`,
//! the SET still kept in the record); a profile can accept such SETs instead and only flag them,
//! for a transmitter known to bend that rule. The finding is listed either way.

use serde::{Deserialize, Serialize};

use super::jose::DecodedJws;
use super::lint::Profile;
use super::record::DeliveryError;
use super::time::UnixMillis;

/// Seconds an `exp` may lie in the past before the SET counts as expired (clock skew).
pub const EXP_LEEWAY_SECS: i64 = 60;

/// Refuse the SET (400 / poll `setErrs`), or accept it and only flag the finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnBreak {
    /// Answer `invalid_request`; the SET is kept, shown, and not acknowledged as accepted.
    #[default]
    Refuse,
    /// Accept (202 / ack); the finding says what is wrong.
    Flag,
}

/// The per-rule choices of a profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetRules {
    /// No `jti`, or an empty one (RFC 8417 §2.2 REQUIRED): it cannot be acknowledged by poll
    /// nor recognised when delivered again.
    pub without_jti: OnBreak,
    /// `typ` not `secevent+jwt` (SSF §4.1.1 explicit typing; RFC 8725 §3.11: the defence against
    /// a JWT of another kind passed off as a SET), or absent from an SSF 1.0 SET. An absent `typ`
    /// on an older-profile SET (RFC 8417 only recommends it) is flagged, never refused.
    pub wrong_typ: OnBreak,
    /// `exp` more than [`EXP_LEEWAY_SECS`] in the past (RFC 7519 §4.1.4: it MUST NOT be accepted
    /// for processing after that). An `exp` in the future is only flagged (SSF §4.1.7).
    pub expired: OnBreak,
}

impl SetRules {
    /// Accept every rule's breaks and only flag them.
    pub const LENIENT: Self = Self {
        without_jti: OnBreak::Flag,
        wrong_typ: OnBreak::Flag,
        expired: OnBreak::Flag,
    };

    /// The first rule `jws` breaks that is set to refuse, as the answer to give. A bare claims
    /// object (`has_header` false) has no `typ` to check.
    pub fn refusal(
        &self,
        jws: &DecodedJws,
        has_header: bool,
        profile: Option<Profile>,
        now: UnixMillis,
    ) -> Option<DeliveryError> {
        let refuse = |description: String| {
            Some(DeliveryError {
                err: "invalid_request",
                description,
            })
        };
        if has_header && self.wrong_typ == OnBreak::Refuse {
            match jws.typ() {
                Some(typ) if is_set_typ(typ) => {}
                Some(typ) => {
                    return refuse(format!(
                        "header typ is \"{}\", not \"secevent+jwt\": this is not a SET (SSF §4.1.1, RFC 8725 §3.11)",
                        super::json::clip(typ)
                    ));
                }
                None if profile == Some(Profile::Ssf10) => {
                    return refuse(
                        "the header has no typ; SSF 1.0 SETs MUST be explicitly typed \"secevent+jwt\" (SSF §4.1.1)"
                            .to_owned(),
                    );
                }
                None => {}
            }
        }
        if self.without_jti == OnBreak::Refuse {
            match jws.claim_str("jti") {
                None => {
                    return refuse(
                        "the SET has no jti (string), which RFC 8417 §2.2 requires".to_owned(),
                    );
                }
                // An empty jti identifies nothing: it cannot be acknowledged nor told apart.
                Some("") => {
                    return refuse(
                        "the SET has an empty jti, which identifies nothing; RFC 8417 §2.2 requires a unique one"
                            .to_owned(),
                    );
                }
                Some(_) => {}
            }
        }
        if self.expired == OnBreak::Refuse
            && let Some(exp) = jws.claims.get("exp").and_then(serde_json::Value::as_i64)
            && exp.saturating_add(EXP_LEEWAY_SECS).saturating_mul(1000) < now.0
        {
            return refuse(format!(
                "the SET expired at {} (exp {exp}); RFC 7519 §4.1.4 forbids accepting it (SSF §4.1.7: SETs carry no exp)",
                UnixMillis(exp.saturating_mul(1000)).rfc3339()
            ));
        }
        None
    }

    /// The rules set to flag, by name (for the profile list and `watch`).
    pub fn lenient_names(&self) -> Vec<&'static str> {
        [
            ("without-jti", self.without_jti),
            ("wrong-typ", self.wrong_typ),
            ("expired", self.expired),
        ]
        .into_iter()
        .filter(|(_, on)| *on == OnBreak::Flag)
        .map(|(name, _)| name)
        .collect()
    }
}

/// `secevent+jwt` or `application/secevent+jwt`, in any case (RFC 7515 §4.1.9).
fn is_set_typ(typ: &str) -> bool {
    matches!(
        typ.to_ascii_lowercase().as_str(),
        "secevent+jwt" | "application/secevent+jwt"
    )
}
