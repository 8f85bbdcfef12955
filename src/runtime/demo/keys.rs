//! The demo transmitter's signing key: a fresh ES256 key per run, and its public JWK.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;

use crate::runtime::random::random_hex;

/// A private key with its `kid`, able to sign SETs.
pub struct SigningKey {
    /// Key id, published in the JWKS and put in every header.
    pub kid: String,
    /// Algorithm.
    pub alg: Algorithm,
    key: EncodingKey,
    public: Value,
}

impl SigningKey {
    /// Generate a new P-256 key.
    pub fn generate_es256() -> anyhow::Result<Self> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| anyhow::anyhow!("could not generate an ES256 key"))?;
        let key = EncodingKey::from_ec_der(pkcs8.as_ref());
        let kid = format!("demo-es256-{}", random_hex(4)?);
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::ES256)?;
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(jsonwebtoken::jwk::PublicKeyUse::Signature);
        Ok(Self {
            kid,
            alg: Algorithm::ES256,
            key,
            public: serde_json::to_value(jwk)?,
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
}
