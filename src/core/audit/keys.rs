//! The key checks (SSF §7.1 `jwks_uri`, RFC 7517, RFC 7518): the JWKS reachable and a key set,
//! each key's type and size, `kid`s present and unique, and keys this receiver can verify SETs
//! with under its algorithm policy.

use std::str::FromStr as _;

use base64::Engine as _;
use jsonwebtoken::Algorithm;
use serde_json::Value;

use super::{Check, Evidence, Group, Outcome, Spec};
use crate::core::verify::AlgorithmPolicy;

/// The GET of the metadata's `jwks_uri`.
#[derive(Clone, Debug, PartialEq)]
pub struct JwksFetch {
    /// The URL (none: the metadata names none, or there was no metadata).
    pub url: Option<String>,
    /// The exchange's record id (0: none was kept).
    pub exchange: u64,
    /// The HTTP status (none: no answer; `error` says why).
    pub status: Option<u16>,
    /// Why there is no answer, or why the body is not JSON.
    pub error: Option<String>,
    /// The body, when it is JSON.
    pub document: Option<Value>,
}

/// `keys.jwks-reachable`.
pub const REACHABLE: Spec = Spec {
    id: "keys.jwks-reachable",
    group: Group::Keys,
    title: "JWKS reachable, a JSON key set",
    section: "SSF §7.1 (jwks_uri); RFC 7517 §5",
    required: true,
};
/// `keys.types-and-sizes`.
pub const TYPES: Spec = Spec {
    id: "keys.types-and-sizes",
    group: Group::Keys,
    title: "Key types and sizes (RSA ≥ 2048 bits, EC P-256/P-384)",
    section: "RFC 7518 §3.3, §3.4, §6; RFC 8725 §3.5",
    required: true,
};
/// `keys.kid-unique`.
pub const KIDS: Spec = Spec {
    id: "keys.kid-unique",
    group: Group::Keys,
    title: "Each key has a kid, no kid twice",
    section: "RFC 7517 §4.5; RFC 7515 §4.1.4",
    required: true,
};
/// `keys.usable-for-sets`.
pub const USABLE: Spec = Spec {
    id: "keys.usable-for-sets",
    group: Group::Keys,
    title: "Keys usable to verify SETs (use, alg, algorithm policy)",
    section: "RFC 8417 §2.2; RFC 7517 §4.2, §4.4; RFC 8725 §3.1",
    required: true,
};

/// Every key check, in report order. Without a key set, the checks that read it could not run.
pub fn checks(fetch: &JwksFetch, policy: &AlgorithmPolicy) -> Vec<Check> {
    let reachable = reachable(fetch);
    let evidence = Evidence::of([fetch.exchange]);
    let keys = match key_list(fetch) {
        Some(keys) if reachable.outcome == Outcome::Pass => keys,
        _ => {
            let mut out = vec![reachable];
            for spec in [TYPES, KIDS, USABLE] {
                out.push(spec.could_not_run("no key set was fetched", evidence.clone()));
            }
            return out;
        }
    };
    vec![
        reachable,
        types_and_sizes(keys, evidence.clone()),
        kid_unique(keys, evidence.clone()),
        usable_for_sets(keys, policy, evidence),
    ]
}

fn key_list(fetch: &JwksFetch) -> Option<&Vec<Value>> {
    fetch.document.as_ref()?.get("keys")?.as_array()
}

/// `keys.jwks-reachable`: a 2xx answer whose body is an object with a `keys` array.
pub fn reachable(fetch: &JwksFetch) -> Check {
    let mut evidence = Evidence::of([fetch.exchange]);
    let Some(url) = &fetch.url else {
        return REACHABLE.could_not_run("the metadata names no jwks_uri", evidence);
    };
    let failed = |evidence: Evidence, why: String| REACHABLE.outcome(Outcome::Fail, why, evidence);
    let Some(status) = fetch.status else {
        let why = fetch.error.as_deref().unwrap_or("no answer");
        return failed(evidence, format!("GET {url} had no answer: {why}"));
    };
    evidence.fact(format!("GET {url} answered {status}"));
    if !(200..300).contains(&status) {
        return failed(evidence, format!("GET {url} answered HTTP {status}"));
    }
    let Some(document) = &fetch.document else {
        return failed(evidence, format!("GET {url} did not return JSON"));
    };
    match document.get("keys").and_then(Value::as_array) {
        Some(keys) if !keys.is_empty() => REACHABLE.outcome(
            Outcome::Pass,
            format!("{} at {url}", super::count(keys.len(), "key")),
            evidence,
        ),
        Some(_) => failed(evidence, "the key set holds no key".to_owned()),
        None => failed(evidence, "the answer has no \"keys\" array".to_owned()),
    }
}

fn kid_of(key: &Value, index: usize) -> String {
    key.get("kid")
        .and_then(Value::as_str)
        .map_or_else(|| format!("key #{index}"), |kid| format!("\"{kid}\""))
}

/// The size in bits of an RSA modulus given base64url-encoded (none: not decodable).
pub fn rsa_bits(n: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(n.trim_end_matches('='))
        .ok()?;
    let first = bytes.iter().position(|b| *b != 0)?;
    let top = bytes[first];
    Some((bytes.len() - first - 1) * 8 + (8 - top.leading_zeros() as usize))
}

/// What one key is, or what is wrong with it: `Ok(description)`, `Err((outcome, why))`.
fn judge_type(key: &Value) -> Result<String, (Outcome, String)> {
    let text = |name: &str| key.get(name).and_then(Value::as_str);
    match text("kty") {
        Some("RSA") => match text("n").and_then(rsa_bits) {
            Some(bits) if bits >= 2048 => Ok(format!("RSA {bits} bits")),
            Some(bits) => Err((
                Outcome::Fail,
                format!("RSA {bits} bits, under the 2048 RFC 7518 §3.3 requires"),
            )),
            None => Err((Outcome::Fail, "RSA without a readable modulus n".to_owned())),
        },
        Some("EC") => match text("crv") {
            Some(crv @ ("P-256" | "P-384")) => Ok(format!("EC {crv}")),
            Some("P-521") => Err((
                Outcome::Warn,
                "EC P-521 (ES512), which this receiver cannot verify".to_owned(),
            )),
            Some(crv) => Err((Outcome::Fail, format!("EC on an unknown curve \"{crv}\""))),
            None => Err((Outcome::Fail, "EC without crv".to_owned())),
        },
        Some("OKP") => match text("crv") {
            Some("Ed25519") => Ok("OKP Ed25519".to_owned()),
            Some(crv) => Err((
                Outcome::Warn,
                format!("OKP {crv}, which this receiver cannot verify"),
            )),
            None => Err((Outcome::Fail, "OKP without crv".to_owned())),
        },
        Some("oct") => Err((
            Outcome::Fail,
            "a symmetric (oct) key published in the key set".to_owned(),
        )),
        Some(other) => Err((Outcome::Warn, format!("unknown key type \"{other}\""))),
        None => Err((Outcome::Fail, "no kty".to_owned())),
    }
}

/// `keys.types-and-sizes`: every key RSA ≥ 2048 bits, EC P-256/P-384 or Ed25519 passes; a
/// key this receiver cannot use (P-521, another OKP curve, an unknown kty) is a warning; a short
/// RSA key, a published symmetric key or a key without its parameters fails.
pub fn types_and_sizes(keys: &[Value], mut evidence: Evidence) -> Check {
    let mut worst = Outcome::Pass;
    let mut faults = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        let kid = kid_of(key, index);
        match judge_type(key) {
            Ok(what) => evidence.fact(format!("{kid}: {what}")),
            Err((outcome, why)) => {
                evidence.fact(format!("{kid}: {why}"));
                faults.push(format!("{kid}: {why}"));
                if outcome == Outcome::Fail || worst == Outcome::Pass {
                    worst = outcome;
                }
            }
        }
    }
    let finding = if faults.is_empty() {
        format!(
            "{}, each of a sound type and size",
            super::count(keys.len(), "key")
        )
    } else {
        faults.join("; ")
    };
    TYPES.outcome(worst, finding, evidence)
}

/// `keys.kid-unique`: every key has a `kid` and none is repeated (a SET names its key by
/// `kid`); a repeated `kid` fails, a key without one is a warning.
pub fn kid_unique(keys: &[Value], mut evidence: Evidence) -> Check {
    let mut seen: Vec<&str> = Vec::new();
    let mut repeated: Vec<&str> = Vec::new();
    let mut without = 0;
    for key in keys {
        match key.get("kid").and_then(Value::as_str) {
            Some(kid) if seen.contains(&kid) => {
                if !repeated.contains(&kid) {
                    repeated.push(kid);
                }
            }
            Some(kid) => seen.push(kid),
            None => without += 1,
        }
    }
    if !repeated.is_empty() {
        let list: Vec<String> = repeated.iter().map(|k| format!("\"{k}\"")).collect();
        evidence.fact(format!("kid repeated: {}", list.join(", ")));
        return KIDS.outcome(
            Outcome::Fail,
            format!(
                "kid {} names more than one key: a SET's kid cannot say which",
                list.join(", ")
            ),
            evidence,
        );
    }
    if without > 0 {
        return KIDS.outcome(
            Outcome::Warn,
            format!(
                "{} without a kid: SETs cannot name them",
                super::count(without, "key")
            ),
            evidence,
        );
    }
    KIDS.outcome(
        Outcome::Pass,
        format!("{}, each once", super::count(seen.len(), "kid")),
        evidence,
    )
}

/// Whether `alg` can sign with a key of this type and curve.
fn fits(alg: Algorithm, kty: Option<&str>, crv: Option<&str>) -> bool {
    use Algorithm::{ES256, ES384, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512};
    match alg {
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => kty == Some("RSA"),
        ES256 => kty == Some("EC") && crv == Some("P-256"),
        ES384 => kty == Some("EC") && crv == Some("P-384"),
        EdDSA => kty == Some("OKP"),
        _ => false,
    }
}

/// Why one key cannot verify SETs here (none: it can).
fn unusable(key: &Value, policy: &AlgorithmPolicy) -> Option<String> {
    let text = |name: &str| key.get(name).and_then(Value::as_str);
    if let Some(usage) = text("use")
        && usage != "sig"
    {
        return Some(format!("use is \"{usage}\", not \"sig\""));
    }
    if judge_type(key).is_err() {
        return Some("its type or size (see keys.types-and-sizes)".to_owned());
    }
    // No alg: the SET's header names it, and the policy judges it there.
    let alg = text("alg")?;
    let Ok(parsed) = Algorithm::from_str(alg) else {
        return Some(format!("alg \"{alg}\" is unknown"));
    };
    if !policy.allows(parsed) {
        return Some(format!("alg {alg} is not allowed by the algorithm policy"));
    }
    if !fits(parsed, text("kty"), text("crv")) {
        return Some(format!("alg {alg} does not fit its key type"));
    }
    None
}

/// `keys.usable-for-sets`: every key has `use` absent or `sig`, an `alg` (when given) that the
/// algorithm policy allows and that fits its type: pass. Some keys unusable is a warning; no
/// usable key at all fails (no SET could be verified).
pub fn usable_for_sets(keys: &[Value], policy: &AlgorithmPolicy, mut evidence: Evidence) -> Check {
    let mut usable = 0;
    let mut faults = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        match unusable(key, policy) {
            None => usable += 1,
            Some(why) => {
                let line = format!("{}: {why}", kid_of(key, index));
                evidence.fact(&line);
                faults.push(line);
            }
        }
    }
    if usable == 0 {
        return USABLE.outcome(
            Outcome::Fail,
            "no key can verify a SET: every signature would go unchecked",
            evidence,
        );
    }
    if !faults.is_empty() {
        return USABLE.outcome(
            Outcome::Warn,
            format!(
                "{} usable; {}",
                super::count(usable, "key"),
                faults.join("; ")
            ),
            evidence,
        );
    }
    USABLE.outcome(
        Outcome::Pass,
        format!("{} usable for SETs", super::count(usable, "key")),
        evidence,
    )
}
