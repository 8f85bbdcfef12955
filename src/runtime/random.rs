//! Random identifiers from the system generator: `jti`s, key ids, bearer tokens, `state` values.

use aws_lc_rs::rand::{SecureRandom as _, SystemRandom};

use crate::core::jose::b64url;

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut buf = vec![0_u8; bytes];
    SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| anyhow::anyhow!("the system random generator failed"))?;
    Ok(hex::encode(buf))
}

/// A random URL-safe token (for bearer tokens and `state` values).
pub fn random_token() -> anyhow::Result<String> {
    let mut buf = [0_u8; 24];
    SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| anyhow::anyhow!("the system random generator failed"))?;
    Ok(b64url(&buf))
}
