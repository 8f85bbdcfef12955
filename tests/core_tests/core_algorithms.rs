//! Verification across every JWS algorithm a transmitter may use, with keys made in the test:
//! RS256/384/512, PS256/384/512, ES256/384 and EdDSA; key selection by `kid`, and by key type
//! when there is no `kid`; the allow-list.

use crate::fixtures;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair,
};
use fixtures::session_revoked;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use ssf_inspector::core::jose::decode_compact;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet, Verdict, verify};

/// The RSAPrivateKey (PKCS#1) inside a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER, SEQUENCE, OCTET STRING }.
fn pkcs1_from_pkcs8(der: &[u8]) -> Vec<u8> {
    fn header(der: &[u8], at: usize) -> (u8, usize, usize) {
        let tag = der[at];
        let first = der[at + 1];
        if first < 0x80 {
            return (tag, at + 2, usize::from(first));
        }
        let n = usize::from(first & 0x7f);
        let len = der[at + 2..at + 2 + n]
            .iter()
            .fold(0, |acc, b| (acc << 8) | usize::from(*b));
        (tag, at + 2 + n, len)
    }
    let (_, body, _) = header(der, 0);
    let (_, v, vlen) = header(der, body);
    let (_, alg, alglen) = header(der, v + vlen);
    let (tag, key, keylen) = header(der, alg + alglen);
    assert_eq!(tag, 0x04, "an OCTET STRING holds the private key");
    der[key..key + keylen].to_vec()
}

fn encoding_key(alg: Algorithm) -> EncodingKey {
    let rng = SystemRandom::new();
    match alg {
        Algorithm::ES256 => EncodingKey::from_ec_der(
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                .expect("P-256")
                .as_ref(),
        ),
        Algorithm::ES384 => EncodingKey::from_ec_der(
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, &rng)
                .expect("P-384")
                .as_ref(),
        ),
        Algorithm::EdDSA => EncodingKey::from_ed_der(
            Ed25519KeyPair::generate_pkcs8v1(&rng)
                .expect("Ed25519")
                .as_ref(),
        ),
        _ => {
            let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
                .expect("RSA 2048");
            let pkcs8 = pair.as_der().expect("PKCS#8");
            EncodingKey::from_rsa_der(&pkcs1_from_pkcs8(pkcs8.as_ref()))
        }
    }
}

/// A key for `alg`, its public JWK (with `kid` when given), and a SET signed with it.
fn signed(alg: Algorithm, kid: Option<&str>) -> (Value, String) {
    let key = encoding_key(alg);
    let mut jwk = Jwk::from_encoding_key(&key, alg).expect("public JWK");
    jwk.common.key_id = kid.map(str::to_owned);
    let mut header = Header::new(alg);
    header.typ = Some("secevent+jwt".to_owned());
    header.kid = kid.map(str::to_owned);
    let token = jsonwebtoken::encode(&header, &session_revoked("alg"), &key).expect("sign");
    (serde_json::to_value(jwk).expect("JWK as JSON"), token)
}

fn verdict(token: &str, jwks: &[Value], policy: &AlgorithmPolicy) -> Verdict {
    let keys = KeySet::from_jwks(&json!({ "keys": jwks })).expect("a JWK Set");
    assert!(keys.skipped.is_empty(), "{:?}", keys.skipped);
    verify(
        &decode_compact(token).expect("a compact JWS"),
        &keys,
        policy,
    )
    .verdict
}

const ALL: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

#[test]
fn every_algorithm_verifies_by_kid_and_by_key_type() {
    let policy = AlgorithmPolicy::default();
    for alg in ALL {
        let (jwk, token) = signed(alg, Some("k1"));
        assert_eq!(
            verdict(&token, &[jwk], &policy),
            Verdict::Valid,
            "{alg:?} by kid"
        );
        let (jwk, token) = signed(alg, None);
        let (other_family, _) = signed(
            if alg == Algorithm::EdDSA {
                Algorithm::ES256
            } else {
                Algorithm::EdDSA
            },
            None,
        );
        assert_eq!(
            verdict(&token, &[other_family, jwk], &policy),
            Verdict::Valid,
            "{alg:?} by key type, no kid"
        );
    }
}

#[test]
fn the_allow_list_and_the_key_type_decide_before_the_signature() {
    let (jwk, token) = signed(Algorithm::RS256, Some("k1"));
    let only_es256 = AlgorithmPolicy::only(vec![Algorithm::ES256]);
    assert_eq!(verdict(&token, &[jwk], &only_es256), Verdict::AlgNotAllowed);
    // The token says kid k1 and RS256, but k1 is an EC key: never try it as RSA.
    let (ec_jwk, _) = signed(Algorithm::ES256, Some("k1"));
    assert_eq!(
        verdict(&token, &[ec_jwk], &AlgorithmPolicy::default()),
        Verdict::AlgNotAllowed
    );
    // A signature made with another key of the right type does not verify.
    let (other_rsa, _) = signed(Algorithm::RS256, Some("k1"));
    assert_eq!(
        verdict(&token, &[other_rsa], &AlgorithmPolicy::default()),
        Verdict::BadSignature
    );
}
