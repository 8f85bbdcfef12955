//! `ssf-inspector stream …` as a script runs it: the real binary against the built-in
//! transmitter on 127.0.0.1 (started here), with its profile in a private config folder. The
//! own stream is found by its description, an attached one by the profile, any by --stream;
//! foreign streams alone are refused with their ids; nothing printed holds a credential.

use crate::cli_kit;

use cli_kit::{PUSH_SECRET, SESSION_REVOKED, Setup, expect, json_of, stderr};
use serde_json::{Value, json};
use ssf_inspector::core::profile::StreamSetup;
use ssf_inspector::core::stream::own_stream_description;

#[test]
fn manages_the_profiles_own_stream() {
    let s = Setup::new("cli-stream-own", false);
    let id = s.create(&json!({
        "delivery": {"method": "urn:ietf:rfc:8936"},
        "events_requested": [SESSION_REVOKED],
        "description": own_stream_description("tx"),
    }));
    let p = ["--profile", "tx"];
    let status = s.stream(&[&["status"][..], &p].concat());
    assert_eq!(expect(&status, 0), format!("stream {id}: enabled\n"));

    let pause = s.stream(&[&["pause"][..], &p, &["--reason", "maintenance"]].concat());
    assert_eq!(
        expect(&pause, 0),
        format!("stream {id}: paused (reason: maintenance)\n")
    );
    let status = json_of(&s.stream(&[&["status"][..], &p, &["--json"]].concat()), 0);
    assert_eq!(status["command"], "status");
    assert_eq!(status["profile"], "tx");
    assert_eq!(status["ok"], true);
    assert_eq!(status["stream_id"], id.as_str());
    assert_eq!(status["http_status"], 200);
    assert_eq!(status["answer"]["status"], "paused");
    assert_eq!(status["answer"]["reason"], "maintenance");

    let verify = json_of(&s.stream(&[&["verify"][..], &p, &["--json"]].concat()), 0);
    assert_eq!(verify["http_status"], 204);
    assert_eq!(verify["answer"], Value::Null);
    assert!(verify["state"].as_str().is_some_and(|s| !s.is_empty()));
    let verify = s.stream(&[&["verify"][..], &p].concat());
    assert!(expect(&verify, 0).starts_with(&format!("stream {id}: verification requested")));

    let add = s.stream(&[&["add-subject"][..], &p, &["--email", "a@example.com"]].concat());
    assert_eq!(
        expect(&add, 0),
        format!("stream {id}: subject added: email a@example.com\n")
    );
    let bad = s.stream(
        &[
            &["add-subject"][..],
            &p,
            &["--subject", r#"{"format":"email"}"#],
        ]
        .concat(),
    );
    expect(&bad, 2);
    assert!(
        stderr(&bad).contains("the subject is not valid"),
        "{}",
        stderr(&bad)
    );
    let subject = r#"{"format":"email","email":"a@example.com"}"#;
    let remove = s.stream(
        &[
            &["remove-subject"][..],
            &p,
            &["--subject", subject, "--json"],
        ]
        .concat(),
    );
    let remove = json_of(&remove, 0);
    assert_eq!(remove["http_status"], 204);
    assert_eq!(remove["subject"]["email"], "a@example.com");
    let enable = s.stream(&[&["enable"][..], &p].concat());
    assert_eq!(expect(&enable, 0), format!("stream {id}: enabled\n"));

    // Deleting asks for --yes when standard input cannot answer.
    let unasked = s.stream(&[&["delete"][..], &p].concat());
    expect(&unasked, 2);
    assert!(
        stderr(&unasked).contains(&format!("stream {id} was not deleted: confirm with --yes")),
        "{}",
        stderr(&unasked)
    );
    assert_eq!(s.listed(), vec![id.clone()]);
    let delete = json_of(
        &s.stream(&[&["delete"][..], &p, &["--yes", "--json"]].concat()),
        0,
    );
    assert_eq!(delete["deleted"], id.as_str());
    assert_eq!(delete["http_status"], 204);
    assert!(s.listed().is_empty());

    // The transmitter refuses a stream it does not know: exit 1, the status and why.
    let gone = s.stream(&[&["status"][..], &p, &["--stream", &id]].concat());
    expect(&gone, 1);
    let why = stderr(&gone);
    assert!(why.contains("the transmitter refused (HTTP 404)"), "{why}");
    // Its own words, quoted; nothing guessed.
    assert!(
        why.contains("no such stream for this receiver") && why.contains("nothing was done"),
        "{why}"
    );
    let gone = json_of(
        &s.stream(&[&["pause"][..], &p, &["--stream", &id, "--json"]].concat()),
        1,
    );
    assert_eq!(gone["ok"], false);
    assert_eq!(gone["http_status"], 404);
    assert!(
        gone["error"]
            .as_str()
            .is_some_and(|e| e.contains("HTTP 404")),
        "{gone}"
    );
}

#[test]
fn foreign_streams_must_be_named() {
    let s = Setup::new("cli-stream-foreign", true);
    let poll = s.create(&json!({
        "delivery": {"method": "urn:ietf:rfc:8936"},
        "events_requested": [SESSION_REVOKED],
        "description": "another receiver",
    }));
    let push = s.create(&json!({
        "delivery": {
            "method": "urn:ietf:rfc:8935",
            "endpoint_url": "http://127.0.0.1:9/push",
            "authorization_header": PUSH_SECRET,
        },
        "events_requested": [SESSION_REVOKED],
    }));
    let refused = s.stream(&["status", "--profile", "tx"]);
    expect(&refused, 2);
    let why = stderr(&refused);
    assert!(why.contains(&poll) && why.contains(&push), "{why}");
    assert!(why.contains("name one with --stream"), "{why}");
    let refused = json_of(&s.stream(&["status", "--profile", "tx", "--json"]), 2);
    assert_eq!(refused["ok"], false);
    let mut ids: Vec<&str> = refused["streams"]
        .as_array()
        .expect("the listed ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    ids.sort_unstable();
    let mut expected = vec![poll.as_str(), push.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);

    // Named, it is used; its push authorization is not shown.
    let config = s.stream(&["config", "--profile", "tx", "--stream", &push, "--json"]);
    let config = json_of(&config, 0);
    assert_eq!(config["http_status"], 200);
    assert_eq!(config["answer"]["stream_id"], push.as_str());
    assert_eq!(
        config["answer"]["delivery"]["authorization_header"],
        "<redacted>"
    );
    let text = s.stream(&["config", "--profile", "tx", "--stream", &push]);
    assert!(expect(&text, 0).starts_with(&format!("stream {push} configuration:\n{{")));

    // A profile attached to a stream acts on it.
    s.save_profiles(&[
        ("tx", StreamSetup::Auto),
        (
            "att",
            StreamSetup::Attach {
                stream_id: poll.clone(),
            },
        ),
    ]);
    let attached = json_of(&s.stream(&["status", "--profile", "att", "--json"]), 0);
    assert_eq!(attached["stream_id"], poll.as_str());
    assert_eq!(attached["answer"]["status"], "enabled");
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let s = Setup::new("cli-stream-unknown", false);
    let output = s.stream(&["status", "--profile", "nobody"]);
    expect(&output, 2);
    assert!(
        stderr(&output).contains("no profile named \"nobody\""),
        "{}",
        stderr(&output)
    );
}

/// A transmitter that answers a status change with 200 and a body that is not JSON: whether the
/// stream's status changed is not known, so `stream pause` says so and exits 1 (not `"ok":true`).
#[test]
fn a_status_answer_that_is_not_json_is_not_taken_for_done() {
    use axum::extract::RawQuery;
    use axum::routing::{get, post};
    use ssf_inspector::core::profile::{DeliveryMode, Profile};

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let metadata = json!({
        "issuer": base,
        "configuration_endpoint": format!("{base}/streams"),
        "status_endpoint": format!("{base}/status"),
        "delivery_methods_supported": ["urn:ietf:rfc:8936"],
    });
    let config = json!({
        "stream_id": "s1",
        "iss": base,
        "delivery": {"method": "urn:ietf:rfc:8936"},
        "description": own_stream_description("odd"),
    });
    let app = axum::Router::new()
        .route(
            "/.well-known/ssf-configuration",
            get(move || async move { axum::Json(metadata) }),
        )
        .route(
            "/streams",
            get(move |RawQuery(query): RawQuery| async move {
                if query.is_some() {
                    axum::Json(config)
                } else {
                    axum::Json(json!([config]))
                }
            }),
        )
        .route("/status", post(|| async { "OK" }));
    rt.spawn(async move { axum::serve(listener, app).await.ok() });

    let folder = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-stream-not-json");
    std::fs::remove_dir_all(&folder).ok();
    ssf_inspector::runtime::profiles::ProfileFiles::new(folder.join("config"))
        .save(&[Profile {
            name: "odd".to_owned(),
            issuer: base.clone(),
            delivery: DeliveryMode::Poll,
            ..Profile::default()
        }])
        .expect("save the profile");
    let pause = |json: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ssf-inspector"));
        command
            .args(["stream", "pause", "--profile", "odd"])
            .env("SSF_INSPECTOR_CONFIG_DIR", folder.join("config"))
            .env("SSF_INSPECTOR_DATA_DIR", folder.join("data"))
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null());
        if json {
            command.arg("--json");
        }
        command.output().expect("run ssf-inspector")
    };
    let text = pause(false);
    expect(&text, 1);
    let why = stderr(&text);
    assert!(
        why.contains("stream s1")
            && why.contains("HTTP 200")
            && why.contains("not JSON")
            && why.contains("ssf-inspector stream status --profile odd"),
        "{why}"
    );
    let report = json_of(&pause(true), 1);
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(report["http_status"], 200);
    assert_eq!(report["answer"], "OK");
    assert!(
        report["error"]
            .as_str()
            .is_some_and(|e| e.contains("not known")),
        "{report}"
    );
}
