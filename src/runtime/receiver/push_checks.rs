//! What the push endpoint checks before it looks at a SET: the Authorization header (both
//! readings of `authorization_header`, the scheme in any case, compared in constant time) and
//! the media type (parameters tolerated).

/// Both readings of `authorization_header`: the exact value, or it with/without `Bearer `.
/// The scheme is compared case-insensitively (RFC 9110 §11.1), the credential in constant time.
/// An empty expected value matches nothing.
pub(super) fn authorization_matches(expected: &str, sent: Option<&str>) -> bool {
    let Some(sent) = sent else { return false };
    if expected.trim().is_empty() {
        return false;
    }
    let same = |a: &str, b: &str| {
        aws_lc_rs::constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
    };
    let bare = |v: &str| -> String {
        let v = v.trim();
        match v.split_once(' ') {
            Some((scheme, credential)) if scheme.eq_ignore_ascii_case("bearer") => {
                credential.trim().to_owned()
            }
            _ => v.to_owned(),
        }
    };
    let exact = same(sent.trim(), expected.trim());
    let credential = same(&bare(sent), &bare(expected));
    exact || credential
}

/// True for `application/secevent+jwt`, with any parameters (`; charset=utf-8`) and in any case.
pub(super) fn is_set_media_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/secevent+jwt")
}

#[cfg(test)]
mod tests {
    use super::{authorization_matches, is_set_media_type};

    #[test]
    fn accepts_both_readings_of_the_authorization_header() {
        assert!(authorization_matches("Bearer abc", Some("Bearer abc")));
        assert!(authorization_matches("abc", Some("Bearer abc")));
        assert!(authorization_matches("Bearer abc", Some("abc")));
        assert!(!authorization_matches("Bearer abc", Some("Bearer abd")));
        assert!(!authorization_matches("Bearer abc", None));
    }

    #[test]
    fn the_scheme_is_case_insensitive_and_an_empty_value_matches_nothing() {
        let expected = "Bearer s3cret-push";
        assert!(authorization_matches(expected, Some("bearer s3cret-push")));
        assert!(authorization_matches(expected, Some("BEARER  s3cret-push")));
        assert!(!authorization_matches(expected, Some("Bearer s3cret-pusH")));
        assert!(!authorization_matches(expected, Some("")));
        assert!(!authorization_matches("", Some("")));
        assert!(authorization_matches("opaque-value", Some("opaque-value")));
    }

    #[test]
    fn media_type_parameters_are_tolerated() {
        assert!(is_set_media_type("application/secevent+jwt"));
        assert!(is_set_media_type("application/secevent+jwt; charset=utf-8"));
        assert!(is_set_media_type("Application/SecEvent+JWT"));
        assert!(!is_set_media_type("application/jwt"));
        assert!(!is_set_media_type(""));
    }
}
