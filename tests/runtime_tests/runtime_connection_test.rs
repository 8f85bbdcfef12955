//! *Test connection* against the built-in transmitter on 127.0.0.1: every step passes with the
//! right token; a wrong token fails at Authorization with HTTP 401 and skips the stream list; a
//! transmitter that is not there fails at Metadata with the real cause. Nothing is created.

use crate::receiving;

use ssf_inspector::core::connection_test::{ConnectionTest, StepOutcome};
use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::runtime::Command;

/// Test `profile` with `token` typed (not stored) and return the finished test.
async fn tested(profile: Profile, token: &str) -> ConnectionTest {
    let (rt, mut rx) = receiving::runtime();
    let secrets = vec![("typed.token".to_owned(), token.to_owned())];
    let profile = Profile {
        auth: ManagementAuth::Bearer {
            token: SecretRef::Stored("typed.token".to_owned()),
        },
        ..profile
    };
    rt.send(Command::TestConnection(Box::new(profile), secrets))
        .await
        .expect("send");
    let mut state = InspectorState::default();
    let finished = receiving::until(&mut rx, &mut state, |s| {
        s.connection_test.as_ref().is_some_and(|t| t.done)
    })
    .await;
    rt.send(Command::Shutdown).await.ok();
    assert!(finished, "the test ended: {:?}", state.connection_test);
    state.connection_test.expect("a test")
}

fn outcome(test: &ConnectionTest, what: &str) -> StepOutcome {
    test.steps
        .iter()
        .find(|s| s.what == what)
        .map(|s| s.outcome.clone())
        .unwrap_or_else(|| panic!("no step {what}: {test:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_passes_with_the_right_token_and_nothing_is_created() {
    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let (_, profile) = receiving::profile_for(&tx, "conn-ok", "conn-ok", DeliveryMode::Push);
    let test = tested(profile, &tx.management_token).await;
    assert!(test.passed(), "{test:#?}");
    assert!(
        matches!(outcome(&test, "Signing keys"), StepOutcome::Passed(t) if t.contains("key(s)")),
        "{test:#?}"
    );
    assert!(
        receiving::streams_at(&tx).await.is_empty(),
        "a test creates no stream"
    );
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_fails_at_authorization_with_the_status_and_what_to_do() {
    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let (_, profile) = receiving::profile_for(&tx, "conn-401", "conn-401", DeliveryMode::Push);
    let test = tested(profile, "not-the-token").await;
    assert!(!test.passed());
    assert!(matches!(outcome(&test, "Metadata"), StepOutcome::Passed(_)));
    match outcome(&test, "Authorization") {
        StepOutcome::Failed(cause) => {
            assert!(cause.contains("HTTP 401"), "{cause}");
            assert!(
                cause.contains("management token"),
                "says what to check: {cause}"
            );
            assert!(
                !cause.contains("not-the-token"),
                "the token is never shown: {cause}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(outcome(&test, "Streams"), StepOutcome::Skipped(_)));
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transmitter_that_is_not_there_fails_at_metadata_with_the_cause() {
    // A port nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let profile = Profile {
        name: "conn-refused".to_owned(),
        issuer: format!("http://127.0.0.1:{port}"),
        delivery: DeliveryMode::Push,
        ..Profile::default()
    };
    let test = tested(profile, "t").await;
    match outcome(&test, "Metadata") {
        StepOutcome::Failed(cause) => assert!(cause.contains("refused"), "{cause}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        outcome(&test, "Signing keys"),
        StepOutcome::Skipped(_)
    ));
}

/// Another receiver's stream is listed: the test does not pass it as "listed for this
/// receiver"; it says Start would not set the stream up, why, and what to choose in the form
/// (not a command-line flag).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_receivers_stream_is_not_taken_for_this_receivers() {
    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let theirs = receiving::foreign_stream(&tx).await;
    let id = theirs["stream_id"].as_str().expect("an id");
    let (_, profile) =
        receiving::profile_for(&tx, "conn-foreign", "conn-foreign", DeliveryMode::Push);
    let test = tested(profile, &tx.management_token).await;
    assert!(!test.passed(), "{test:#?}");
    assert!(matches!(
        outcome(&test, "Authorization"),
        StepOutcome::Passed(_)
    ));
    match outcome(&test, "Streams") {
        StepOutcome::Failed(why) => {
            assert!(why.contains("Start would not set the stream up"), "{why}");
            assert!(why.contains(id) && why.contains("did not make"), "{why}");
            assert!(
                why.contains("Stream set-up: Attach to an existing stream") && !why.contains("--"),
                "the form's words: {why}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        receiving::streams_at(&tx).await,
        vec![theirs],
        "nothing changed"
    );
    cancel.cancel();
}
