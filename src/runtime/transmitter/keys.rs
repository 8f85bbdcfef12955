//! The transmitter's signing keys: an ES256 and an RS256 key from the start, one of them active;
//! rotation makes a new key of the active algorithm and keeps the old one published for a grace
//! period, so receivers can be seen handling a `kid` they have not fetched yet.

use std::time::{Duration, Instant};

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::runtime::random::random_hex;

/// A private key with its `kid`, able to sign SETs.
#[derive(Clone)]
pub struct SigningKey {
    /// Key id, published in the JWKS and put in every header.
    pub kid: String,
    /// Algorithm.
    pub alg: Algorithm,
    key: EncodingKey,
    public: Value,
    retired_at: Option<Instant>,
}

impl SigningKey {
    /// Generate a key for `alg` (ES256 or RS256).
    pub fn generate(alg: Algorithm) -> anyhow::Result<Self> {
        let key = match alg {
            Algorithm::ES256 => {
                let pkcs8 = EcdsaKeyPair::generate_pkcs8(
                    &ECDSA_P256_SHA256_FIXED_SIGNING,
                    &SystemRandom::new(),
                )
                .map_err(|_| anyhow::anyhow!("could not generate an ES256 key"))?;
                EncodingKey::from_ec_der(pkcs8.as_ref())
            }
            Algorithm::RS256 => {
                let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
                    .map_err(|_| anyhow::anyhow!("could not generate an RS256 key"))?;
                let pkcs8 = pair
                    .as_der()
                    .map_err(|_| anyhow::anyhow!("could not encode the RS256 key"))?;
                EncodingKey::from_rsa_der(&pkcs1_from_pkcs8(pkcs8.as_ref())?)
            }
            other => anyhow::bail!("the transmitter signs with ES256 or RS256, not {other:?}"),
        };
        let kid = format!("{}-{}", format!("{alg:?}").to_lowercase(), random_hex(4)?);
        let mut jwk = Jwk::from_encoding_key(&key, alg)?;
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Ok(Self {
            kid,
            alg,
            key,
            public: serde_json::to_value(jwk)?,
            retired_at: None,
        })
    }

    /// The public half as a JWK object.
    pub fn public_jwk(&self) -> &Value {
        &self.public
    }

    /// Sign claims as a SET: `typ: secevent+jwt`, this key's `kid`.
    pub fn sign_set(&self, claims: &Value) -> anyhow::Result<String> {
        let mut header = Header::new(self.alg);
        header.typ = Some("secevent+jwt".to_owned());
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.key)?)
    }

    /// Sign claims as a SET whose header also names where its JWKS is served (`jku`): the
    /// replay's test key, which no transmitter publishes.
    pub fn sign_set_with_jku(&self, claims: &Value, jku: &str) -> anyhow::Result<String> {
        let mut header = Header::new(self.alg);
        header.typ = Some("secevent+jwt".to_owned());
        header.kid = Some(self.kid.clone());
        header.jku = Some(jku.to_owned());
        Ok(jsonwebtoken::encode(&header, claims, &self.key)?)
    }

    /// Sign with a header `kid` that no JWKS publishes (the `faulty` scenario's unknown key).
    pub fn sign_with_kid(&self, claims: &Value, kid: &str) -> anyhow::Result<String> {
        let mut header = Header::new(self.alg);
        header.typ = Some("secevent+jwt".to_owned());
        header.kid = Some(kid.to_owned());
        Ok(jsonwebtoken::encode(&header, claims, &self.key)?)
    }
}

/// The RSAPrivateKey (PKCS#1) inside a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER, SEQUENCE, OCTET STRING }.
fn pkcs1_from_pkcs8(der: &[u8]) -> anyhow::Result<Vec<u8>> {
    fn header(der: &[u8], at: usize) -> Option<(u8, usize, usize)> {
        let tag = *der.get(at)?;
        let first = *der.get(at + 1)?;
        if first < 0x80 {
            return Some((tag, at + 2, usize::from(first)));
        }
        let n = usize::from(first & 0x7f);
        let len = der
            .get(at + 2..at + 2 + n)?
            .iter()
            .fold(0, |acc, b| (acc << 8) | usize::from(*b));
        Some((tag, at + 2 + n, len))
    }
    let parsed = (|| {
        let (_, body, _) = header(der, 0)?;
        let (_, version, version_len) = header(der, body)?;
        let (_, alg, alg_len) = header(der, version + version_len)?;
        let (tag, key, key_len) = header(der, alg + alg_len)?;
        (tag == 0x04).then(|| der.get(key..key + key_len).map(<[u8]>::to_vec))?
    })();
    parsed.ok_or_else(|| anyhow::anyhow!("the generated RSA key is not PKCS#8"))
}

/// The published keys and the one that signs.
pub struct KeyRing {
    keys: Vec<SigningKey>,
    active: usize,
    grace: Duration,
}

impl KeyRing {
    /// An ES256 and an RS256 key; `alg` chooses the one that signs.
    pub fn new(alg: Algorithm, grace: Duration) -> anyhow::Result<Self> {
        let keys = vec![
            SigningKey::generate(Algorithm::ES256)?,
            SigningKey::generate(Algorithm::RS256)?,
        ];
        let active = keys.iter().position(|k| k.alg == alg).unwrap_or(0);
        Ok(Self {
            keys,
            active,
            grace,
        })
    }

    /// The key that signs now.
    pub fn active(&self) -> Option<&SigningKey> {
        self.keys.get(self.active)
    }

    /// Make a new key of the active algorithm and sign with it; the old one stays published for
    /// the grace period. Returns the new `kid`.
    pub fn rotate(&mut self) -> anyhow::Result<String> {
        let alg = self.active().map_or(Algorithm::ES256, |k| k.alg);
        let fresh = SigningKey::generate(alg)?;
        let kid = fresh.kid.clone();
        if let Some(old) = self.keys.get_mut(self.active) {
            old.retired_at = Some(Instant::now());
        }
        self.keys.push(fresh);
        self.active = self.keys.len() - 1;
        let grace = self.grace;
        let active_kid = kid.clone();
        self.keys
            .retain(|k| k.kid == active_kid || k.retired_at.is_none_or(|at| at.elapsed() < grace));
        self.active = self
            .keys
            .iter()
            .position(|k| k.kid == active_kid)
            .unwrap_or(0);
        Ok(kid)
    }

    /// The JWKS document: every key not retired longer than the grace period.
    pub fn jwks(&self) -> Value {
        self.published(false)
    }

    /// The JWKS of a transmitter that stopped publishing the key it still signs with (a fault
    /// the receiver must notice: nothing it receives can be verified any more).
    pub fn jwks_without_active(&self) -> Value {
        self.published(true)
    }

    fn published(&self, hide_active: bool) -> Value {
        let active = self.active().map(|k| k.kid.clone());
        let keys: Vec<&Value> = self
            .keys
            .iter()
            .filter(|k| k.retired_at.is_none_or(|at| at.elapsed() < self.grace))
            .filter(|k| !hide_active || Some(&k.kid) != active.as_ref())
            .map(|k| &k.public)
            .collect();
        json!({ "keys": keys })
    }
}
