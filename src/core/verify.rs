//! Signature verification of a decoded SET against a JWK Set, with an algorithm allow-list.
//! The header never chooses the algorithm on its own: `none` and HMAC are verdicts, not options.

use std::str::FromStr as _;

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

use super::jose::DecodedJws;

/// What signature verification concluded about one SET.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Verdict {
    /// The signature verifies with a key of the transmitter's JWKS.
    Valid,
    /// A key was found but the signature does not verify.
    BadSignature,
    /// No key of the JWKS matches the token's `kid` (or its key type).
    UnknownKey,
    /// The header asks for an algorithm outside the allow-list (HMAC included).
    AlgNotAllowed,
    /// `alg: none`: shown, never trusted.
    Unsecured,
    /// The token could not be decoded at all.
    Malformed,
    /// No keys were available to check it against.
    NotVerified,
    /// The header marks a parameter critical (`crit`) that this receiver does not understand,
    /// or its `crit` is malformed: RFC 7515 §4.1.11 says to reject it.
    CritUnsupported,
}

super::vocab::serde_by_name!(Verdict);

impl Verdict {
    /// Every verdict.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// The verdict with this [`Self::as_str`] name.
    pub fn named(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    /// Stable snake-case name (used in JSON output).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Valid => "valid signature",
            Self::BadSignature => "invalid signature",
            Self::UnknownKey => "unknown key",
            Self::AlgNotAllowed => "algorithm not allowed",
            Self::Unsecured => "unsigned (alg none)",
            Self::Malformed => "malformed",
            Self::NotVerified => "not verified",
            Self::CritUnsupported => "critical header not understood",
        }
    }

    /// True only for [`Verdict::Valid`].
    pub fn is_valid(self) -> bool {
        self == Self::Valid
    }
}

/// The verdict with the sentence that explains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in one sentence (names the `kid`/`alg` involved).
    pub detail: String,
}

impl Verification {
    fn new(verdict: Verdict, detail: impl Into<String>) -> Self {
        Self {
            verdict,
            detail: detail.into(),
        }
    }
}

/// Which algorithms a receiver accepts.
#[derive(Clone, Debug)]
pub struct AlgorithmPolicy {
    allowed: Vec<Algorithm>,
}

impl Default for AlgorithmPolicy {
    /// Every asymmetric algorithm jsonwebtoken implements; never HMAC, never `none`.
    fn default() -> Self {
        use Algorithm::{ES256, ES384, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512};
        Self {
            allowed: vec![
                RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA,
            ],
        }
    }
}

impl AlgorithmPolicy {
    /// A policy allowing exactly these algorithms.
    pub fn only(allowed: Vec<Algorithm>) -> Self {
        Self { allowed }
    }

    /// Whether `alg` is allowed.
    pub fn allows(&self, alg: Algorithm) -> bool {
        self.allowed.contains(&alg)
    }
}

/// Most keys read from one JWKS; the rest are listed as skipped (a real transmitter publishes a
/// handful, a hostile one could list thousands).
pub const MAX_JWKS_KEYS: usize = 100;

/// Most keys one SET's signature is checked against: a JWKS with many keys of one type (or one
/// `kid` repeated) cannot make a single SET cost more than this many verifications.
pub const KEYS_TRIED_PER_SET: usize = 4;

struct KeyEntry {
    kid: Option<String>,
    alg: Option<Algorithm>,
    key: DecodingKey,
}

/// Public keys from a transmitter's JWKS, ready to verify with.
#[derive(Default)]
pub struct KeySet {
    keys: Vec<KeyEntry>,
    /// Keys of the document that could not be used, with the reason (shown, not fatal).
    pub skipped: Vec<String>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("kids", &self.kids())
            .field("skipped", &self.skipped)
            .finish()
    }
}

/// The JWKS document itself is unusable.
#[derive(Debug, thiserror::Error)]
#[error("not a JWK Set: {0}")]
pub struct KeySetError(String);

impl KeySet {
    /// Read a JWK Set document (`{"keys":[…]}`). Keys that cannot be used are listed in `skipped`.
    pub fn from_jwks(document: &Value) -> Result<Self, KeySetError> {
        let Some(keys) = document.get("keys").and_then(Value::as_array) else {
            return Err(KeySetError("it has no \"keys\" array".to_owned()));
        };
        let mut set = Self::default();
        if keys.len() > MAX_JWKS_KEYS {
            set.skipped.push(format!(
                "{} keys after the first {MAX_JWKS_KEYS} were not read (at most {MAX_JWKS_KEYS} are)",
                keys.len() - MAX_JWKS_KEYS
            ));
        }
        for (index, raw) in keys.iter().enumerate().take(MAX_JWKS_KEYS) {
            let parsed = serde_json::from_value::<Jwk>(raw.clone())
                .map_err(|err| err.to_string())
                .and_then(|jwk| {
                    let key = DecodingKey::from_jwk(&jwk).map_err(|err| err.to_string())?;
                    let alg = raw
                        .get("alg")
                        .and_then(Value::as_str)
                        .and_then(|a| Algorithm::from_str(a).ok());
                    Ok(KeyEntry {
                        kid: jwk.common.key_id.clone(),
                        alg,
                        key,
                    })
                });
            match parsed {
                Ok(entry) => set.keys.push(entry),
                Err(err) => set.skipped.push(format!("key #{index}: {err}")),
            }
        }
        Ok(set)
    }

    /// The `kid`s of the usable keys, in document order (`-` for a key without one).
    pub fn kids(&self) -> Vec<String> {
        let kid = |k: &KeyEntry| k.kid.clone().unwrap_or_else(|| "-".to_owned());
        self.keys.iter().map(kid).collect()
    }

    /// Number of usable keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no key is usable.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Header parameters RFC 7515 §4.1.11 forbids in `crit` (they are registered, so understood).
const REGISTERED: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// Why a header's `crit` makes the token unacceptable: this receiver understands no
/// extension (RFC 7797's `b64` included), so any well-formed `crit` is refused, and a
/// malformed one too.
fn crit_refusal(header: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let crit = header.get("crit")?;
    let names: Option<Vec<&str>> = crit
        .as_array()
        .map(|list| list.iter().map(serde_json::Value::as_str).collect())
        .and_then(|names: Vec<Option<&str>>| names.into_iter().collect());
    let Some(names) = names.filter(|names| !names.is_empty()) else {
        return Some(
            "the header's crit is not a non-empty array of names (RFC 7515 §4.1.11)".to_owned(),
        );
    };
    if let Some(registered) = names.iter().find(|n| REGISTERED.contains(n)) {
        return Some(format!(
            "the header's crit lists \"{registered}\", a registered parameter that crit must not list (RFC 7515 §4.1.11)"
        ));
    }
    if let Some(absent) = names.iter().find(|n| !header.contains_key(**n)) {
        return Some(format!(
            "the header's crit lists \"{}\", which the header does not have (RFC 7515 §4.1.11)",
            super::json::clip(absent)
        ));
    }
    let what = if names.contains(&"b64") {
        " (b64: an unencoded payload, RFC 7797, is not supported)"
    } else {
        ""
    };
    Some(format!(
        "the header marks {} critical, which this receiver does not understand{what}: RFC 7515 §4.1.11 says to reject the JWS",
        super::json::clip(
            &names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    ))
}

/// Verify a decoded token's signature.
pub fn verify(jws: &DecodedJws, keys: &KeySet, policy: &AlgorithmPolicy) -> Verification {
    let Some(alg_name) = jws.alg() else {
        return Verification::new(Verdict::Malformed, "the header has no \"alg\"");
    };
    if let Some(refused) = crit_refusal(&jws.header) {
        return Verification::new(Verdict::CritUnsupported, refused);
    }
    if jws.header.get("kid").is_some_and(|kid| !kid.is_string()) {
        return Verification::new(
            Verdict::Malformed,
            "the header's kid is not a string (RFC 7515 §4.1.4)",
        );
    }
    if alg_name.eq_ignore_ascii_case("none") {
        return Verification::new(Verdict::Unsecured, "alg is \"none\": the SET is not signed");
    }
    let Ok(alg) = Algorithm::from_str(alg_name) else {
        return Verification::new(
            Verdict::AlgNotAllowed,
            format!(
                "alg \"{}\" is not a known JWS algorithm",
                super::json::clip(alg_name)
            ),
        );
    };
    if matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512) {
        return Verification::new(
            Verdict::AlgNotAllowed,
            format!(
                "alg {alg_name} is a shared-secret MAC; a SET must be signed with the transmitter's public key"
            ),
        );
    }
    if !policy.allows(alg) {
        return Verification::new(
            Verdict::AlgNotAllowed,
            format!("alg {alg_name} is not in this receiver's allow-list"),
        );
    }
    if keys.is_empty() {
        return Verification::new(Verdict::NotVerified, "no keys are loaded for this issuer");
    }
    let candidates: Vec<&KeyEntry> = match jws.kid() {
        Some(kid) => keys
            .keys
            .iter()
            .filter(|k| k.kid.as_deref() == Some(kid))
            .collect(),
        // Without a kid only keys of the header's algorithm and key type can have signed it.
        None => keys
            .keys
            .iter()
            .filter(|k| k.key.family() == alg.family() && k.alg.is_none_or(|a| a == alg))
            .collect(),
    };
    let fitting = candidates.len();
    let candidates = &candidates[..fitting.min(KEYS_TRIED_PER_SET)];
    if candidates.is_empty() {
        let detail = match jws.kid() {
            Some(kid) => format!(
                "kid \"{}\" is not in the JWKS (it has {})",
                super::json::clip(kid),
                super::json::clip(&format!("{:?}", keys.kids()))
            ),
            None => format!("no kid, and the JWKS has no {alg_name} key"),
        };
        return Verification::new(Verdict::UnknownKey, detail);
    }
    let untried = if fitting > KEYS_TRIED_PER_SET {
        format!(" (tried the first {KEYS_TRIED_PER_SET} of the {fitting} keys that fit)")
    } else {
        String::new()
    };
    let mut last = Verification::new(
        Verdict::BadSignature,
        format!("the signature does not verify{untried}"),
    );
    for entry in candidates.iter().copied() {
        if entry.alg.is_some_and(|key_alg| key_alg != alg) || entry.key.family() != alg.family() {
            last = Verification::new(
                Verdict::AlgNotAllowed,
                format!(
                    "the key {:?} is not for {alg_name}",
                    entry.kid.as_deref().unwrap_or("-")
                ),
            );
            continue;
        }
        match jsonwebtoken::crypto::verify(
            &jws.signature,
            jws.signing_input.as_bytes(),
            &entry.key,
            alg,
        ) {
            Ok(true) => {
                let kid = entry.kid.as_deref().unwrap_or("-");
                return Verification::new(
                    Verdict::Valid,
                    format!("{alg_name} signature verified with kid \"{kid}\""),
                );
            }
            Ok(false) => {}
            Err(err) => {
                last = Verification::new(
                    Verdict::BadSignature,
                    format!("the signature does not verify{untried}: {err}"),
                );
            }
        }
    }
    last
}
