//! Unit tests of `core::profile`: checks, URLs and the TLS rule, serde defaults.

use super::*;

fn profile(issuer: &str) -> Profile {
    Profile {
        name: "p".to_owned(),
        issuer: issuer.to_owned(),
        ..Profile::default()
    }
}

#[test]
fn plain_http_is_for_loopback_unless_allowed() {
    assert!(profile("https://tr.example.com").check().is_empty());
    let local = profile("http://127.0.0.1:18600");
    assert!(local.is_usable());
    assert!(local.check()[0].1.contains("no TLS"));
    let remote = profile("http://tr.example.com");
    assert!(!remote.is_usable());
    let allowed = Profile {
        allow_insecure_http: true,
        ..remote
    };
    assert!(allowed.is_usable());
}

#[test]
fn every_url_of_the_profile_follows_the_issuers_tls_rule() {
    let oauth = |token_endpoint: &str| Profile {
        auth: ManagementAuth::ClientCredentials {
            token_endpoint: token_endpoint.to_owned(),
            client_id: "c".to_owned(),
            client_secret: SecretRef::Env("S".to_owned()),
            scopes: Vec::new(),
        },
        ..profile("https://tr.example.com")
    };
    let clear = oauth("http://idp.example.com/token");
    assert!(
        !clear.is_usable(),
        "the client secret would go out in clear"
    );
    assert!(
        clear.check()[0]
            .1
            .contains("token endpoint http://idp.example.com/token")
    );
    assert!(oauth("https://idp.example.com/token").is_usable());
    let local = oauth("http://localhost:9/token");
    assert!(local.is_usable());
    assert_eq!(
        local.check()[0].1,
        "no TLS: token endpoint http://localhost:9/token (this machine)"
    );
    let metadata = Profile {
        metadata_url: Some("http://tr.example.com/meta".to_owned()),
        ..profile("https://tr.example.com")
    };
    assert!(!metadata.is_usable());
    let mut poll = profile("https://tr.example.com");
    poll.setup.poll_url = Some("http://tr.example.com/poll".to_owned());
    assert!(!poll.is_usable());
    poll.allow_insecure_http = true;
    assert!(poll.is_usable());
    assert!(poll.check()[0].1.contains("allowed by the profile"));
    poll.setup.poll_url = Some("tr.example.com/poll".to_owned());
    assert!(!poll.is_usable(), "not an http(s) URL");
}

#[test]
fn a_profile_saved_before_the_watch_settings_loads_with_the_defaults() {
    let old = r#"{"name":"okta","issuer":"https://okta.example.com","delivery":"poll"}"#;
    let loaded: Profile = serde_json::from_str(old).expect("an old profile loads");
    assert_eq!(loaded.watch, ProfileWatch::default());
    assert_eq!(loaded.watch.status_every_secs, 60);
    assert_eq!(
        loaded.watch.silent_after_secs, None,
        "learned from the traffic"
    );
    let partial = r#"{"name":"p","issuer":"https://x.example","watch":{"silent_after_secs":300}}"#;
    let loaded: Profile = serde_json::from_str(partial).expect("a partial watch loads");
    assert_eq!(loaded.watch.silent_after_secs, Some(300));
    assert_eq!(loaded.watch.heartbeat_every_secs, 120);
    let round: Profile =
        serde_json::from_str(&serde_json::to_string(&loaded).expect("serialise")).expect("reload");
    assert_eq!(round, loaded);
}

#[test]
fn watch_intervals_are_checked() {
    let watch = |status, every, timeout, silent| Profile {
        watch: ProfileWatch {
            status_every_secs: status,
            heartbeat_every_secs: every,
            heartbeat_timeout_secs: timeout,
            silent_after_secs: silent,
            ..ProfileWatch::default()
        },
        ..profile("https://tr.example.com")
    };
    assert!(watch(60, 120, 60, None).check().is_empty());
    assert!(watch(1, 2, 1, Some(2)).check().is_empty());
    let zero = watch(0, 120, 60, Some(0));
    assert!(!zero.is_usable());
    let texts: Vec<String> = zero.check().into_iter().map(|(_, t)| t).collect();
    assert!(
        texts.contains(&"the status interval must be at least 1 s".to_owned()),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"the silence threshold must be at least 1 s".to_owned()),
        "{texts:?}"
    );
    let late = watch(60, 30, 30, None);
    assert!(!late.is_usable());
    assert!(late.check()[0].1.starts_with(
        "the heartbeat timeout (30 s) must be shorter than the heartbeat interval (30 s)"
    ));
    let huge = watch(WATCH_MAX_SECS + 1, 120, 60, None);
    assert!(
        huge.check()[0].1.contains("at most 604800 s"),
        "{:?}",
        huge.check()
    );
    let jumpy = watch(60, 120, 60, Some(90));
    assert!(jumpy.is_usable());
    assert_eq!(jumpy.check()[0].0, Concern::Warning);
    assert!(
        jumpy.check()[0]
            .1
            .contains("shorter than the heartbeat interval")
    );
}

#[test]
fn secret_arguments_become_references() {
    assert_eq!(
        SecretRef::from_arg("env:TOKEN", "k"),
        (SecretRef::Env("TOKEN".to_owned()), None)
    );
    assert_eq!(
        SecretRef::from_arg("file:/run/t", "k"),
        (SecretRef::File("/run/t".to_owned()), None)
    );
    assert_eq!(
        SecretRef::from_arg("s3cr3t", "okta.token"),
        (
            SecretRef::Stored("okta.token".to_owned()),
            Some("s3cr3t".to_owned())
        )
    );
    assert!(
        !SecretRef::Stored("k".to_owned())
            .describe()
            .contains("s3cr3t")
    );
}
