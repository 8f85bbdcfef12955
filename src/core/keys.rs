//! The transmitter's signing keys as the receiver has seen them: which kids the JWKS lists now,
//! when each was first listed, and when a verified SET first and last used it, so a rotation is
//! visible and a key removed while still in use is caught.

use serde_json::Value;

use super::time::UnixMillis;

/// A key as the JWKS describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// `kid` (empty when the key has none).
    pub kid: String,
    /// `kty`.
    pub kty: String,
    /// `alg`, when given.
    pub alg: Option<String>,
}

/// The keys of a JWKS document, as described (no key material).
pub fn describe_jwks(document: &Value) -> Vec<KeyInfo> {
    let text = |key: &Value, name: &str| key.get(name).and_then(Value::as_str).map(str::to_owned);
    document
        .get("keys")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .map(|key| KeyInfo {
                    kid: text(key, "kid").unwrap_or_default(),
                    kty: text(key, "kty").unwrap_or_else(|| "?".to_owned()),
                    alg: text(key, "alg"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// One key's history on a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyUse {
    /// `kid` (empty: a key without one).
    pub kid: String,
    /// `kty` and `alg`, as listed (`None` for a kid only seen in SETs).
    pub listed_as: Option<(String, Option<String>)>,
    /// Listed in the latest JWKS fetched.
    pub in_jwks: bool,
    /// First seen in a JWKS.
    pub first_listed: Option<UnixMillis>,
    /// Gone from the JWKS since.
    pub removed_at: Option<UnixMillis>,
    /// First and last verified SET signed with it.
    pub first_used: Option<UnixMillis>,
    /// Last verified SET signed with it.
    pub last_used: Option<UnixMillis>,
    /// Verified SETs signed with it.
    pub sets: u64,
}

impl KeyUse {
    fn new(kid: &str) -> Self {
        Self {
            kid: kid.to_owned(),
            listed_as: None,
            in_jwks: false,
            first_listed: None,
            removed_at: None,
            first_used: None,
            last_used: None,
            sets: 0,
        }
    }
}

/// Every key a stream has listed or used, in the order first seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyBook {
    /// The keys.
    pub keys: Vec<KeyUse>,
    /// The kid of the latest verified SET.
    pub signing: Option<String>,
    /// When the JWKS was last fetched.
    pub fetched_at: Option<UnixMillis>,
}

impl KeyBook {
    fn entry(&mut self, kid: &str) -> &mut KeyUse {
        let at = match self.keys.iter().position(|k| k.kid == kid) {
            Some(at) => at,
            None => {
                self.keys.push(KeyUse::new(kid));
                self.keys.len() - 1
            }
        };
        &mut self.keys[at]
    }

    /// A JWKS was fetched. Returns the kid of the key that signed the latest verified SET
    /// when this JWKS no longer lists it.
    pub fn listed(&mut self, listed: &[KeyInfo], at: UnixMillis) -> Option<String> {
        self.fetched_at = Some(at);
        for key in &mut self.keys {
            let still = listed.iter().any(|l| l.kid == key.kid);
            if key.in_jwks && !still {
                key.removed_at = Some(at);
            }
            key.in_jwks = still;
        }
        for info in listed {
            let key = self.entry(&info.kid);
            if key.first_listed.is_none() {
                key.first_listed = Some(at);
            }
            key.in_jwks = true;
            key.removed_at = None;
            key.listed_as = Some((info.kty.clone(), info.alg.clone()));
        }
        self.signing
            .clone()
            .filter(|kid| !listed.iter().any(|l| &l.kid == kid))
    }

    /// A verified SET was signed with `kid` (empty when its header has none).
    pub fn used(&mut self, kid: &str, at: UnixMillis) {
        let key = self.entry(kid);
        key.first_used.get_or_insert(at);
        key.last_used = Some(at);
        key.sets += 1;
        self.signing = Some(kid.to_owned());
    }

    /// True when `kid` is in the latest JWKS.
    pub fn is_listed(&self, kid: &str) -> bool {
        self.keys.iter().any(|k| k.kid == kid && k.in_jwks)
    }
}
