//! What to change, said where the person is: the receiver's texts name the command line's
//! flags (`--attach ID`); the window names its own fields instead (*Stream set-up: Attach to
//! an existing stream*), so a person in the window is not sent to a terminal.

use std::borrow::Cow;

/// Each flag the receiver's texts name, longest first, and the window's words for it.
const WINDOW_WORDS: [(&str, &str); 15] = [
    (
        "--push-tls-self-signed or --push-cert/--push-key",
        "Stream set-up: Push over https (self-signed, or certificate files)",
    ),
    (
        "`ssf-inspector profile add … --poll-url URL`",
        "the Poll URL field of Stream set-up",
    ),
    ("`--poll-url URL`", "the Poll URL field of Stream set-up"),
    ("`--ca-cert FILE`", "the CA certificate field"),
    (
        "--push-cert/--push-key",
        "Stream set-up: Push over https (certificate files)",
    ),
    (
        "--create-stream always",
        "Stream set-up: Create even beside other streams",
    ),
    (
        "--create-stream never",
        "Stream set-up: Own stream only, never create",
    ),
    ("--attach ID", "Stream set-up: Attach to an existing stream"),
    ("--listen-only", "Stream set-up: Listen only"),
    (
        "--no-description",
        "Stream set-up: Leave description out of the create",
    ),
    ("--create-members", "Stream set-up: Extra create members"),
    ("--poll-url", "Stream set-up: Poll URL"),
    ("--ca-cert FILE", "the CA certificate field"),
    ("--event", "the Events requested field"),
    ("--keep-stream", "leaving the stream on stop"),
];

/// `text` with the command line's flags replaced by the window's fields.
pub fn for_window(text: &str) -> Cow<'_, str> {
    if !text.contains("--") {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_owned();
    for (flag, words) in WINDOW_WORDS {
        out = out.replace(flag, words);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::for_window;

    #[test]
    fn the_window_names_its_fields_not_flags() {
        let declined = "none was created. Attach to one to receive from it without changing it (--attach ID), listen only (--listen-only), or create anyway (--create-stream always)";
        let said = for_window(declined);
        assert!(!said.contains("--"), "{said}");
        assert!(
            said.contains("(Stream set-up: Attach to an existing stream)"),
            "{said}"
        );
        assert!(
            said.contains("(Stream set-up: Create even beside other streams)"),
            "{said}"
        );
        let tls =
            for_window("serve it over TLS (--push-tls-self-signed or --push-cert/--push-key)");
        // Quoted as commands in the receiver's texts: the quotes go with the flag.
        for quoted in [
            "give the URL to poll with `ssf-inspector profile add … --poll-url URL`",
            "give that URL with `--poll-url URL`",
            "give the transmitter's CA with `--ca-cert FILE`",
        ] {
            let said = for_window(quoted);
            assert!(!said.contains("--") && !said.contains('`'), "{said}");
            assert!(said.contains(" field"), "{said}");
        }
        assert!(!tls.contains("--"), "{tls}");
        assert!(matches!(
            for_window("nothing to change"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
