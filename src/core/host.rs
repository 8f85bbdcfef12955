//! Host names with a fixed meaning (RFC 6761): `localhost` and its subdomains are this machine
//! (§6.3), names under `.invalid` never resolve (§6.4). Names are compared as DNS compares them:
//! ASCII case-insensitively, with one trailing root dot allowed.

/// The name without its trailing root dot, lowercased (`LocalHost.` → `localhost`).
fn normalized(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// True for `localhost` and `*.localhost` (RFC 6761 §6.3): names that mean this machine.
/// `localhost.example.com` is not one.
pub fn is_localhost_name(name: &str) -> bool {
    let name = normalized(name);
    name == "localhost"
        || name
            .strip_suffix(".localhost")
            .is_some_and(|label| !label.is_empty() && !label.ends_with('.'))
}

/// True for `invalid` and `*.invalid` (RFC 6761 §6.4): names that cannot exist, so asking a
/// resolver about them is pointless.
pub fn is_invalid_name(name: &str) -> bool {
    let name = normalized(name);
    name == "invalid" || name.ends_with(".invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_names() {
        for name in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "a.localhost",
            "x.y.LocalHost.",
        ] {
            assert!(is_localhost_name(name), "{name}");
        }
        for name in [
            "localhost.evil.example",
            "evillocalhost",
            ".localhost",
            "a..localhost",
            "localhost..",
            "127.0.0.1",
            "",
        ] {
            assert!(!is_localhost_name(name), "{name}");
        }
    }

    #[test]
    fn invalid_names() {
        for name in [
            "invalid",
            "ssf-transmitter.invalid",
            "X.INVALID",
            "a.invalid.",
        ] {
            assert!(is_invalid_name(name), "{name}");
        }
        for name in ["invalid.example", "notinvalid", "example.com"] {
            assert!(!is_invalid_name(name), "{name}");
        }
    }
}
