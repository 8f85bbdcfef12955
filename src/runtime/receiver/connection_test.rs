//! *Test connection* of a profile, before it is saved or started: metadata, signing keys, an
//! authorized management call and the stream list, each told to the window as it ends, each
//! failure with its real cause (refused, DNS, an untrusted certificate, HTTP 401…). Nothing is
//! created or changed at the transmitter, and the TLS rule applies before anything is sent.

use crate::bridge::UpdateSender;
use crate::core::connection_test::{ConnectionTest, StepOutcome};
use crate::core::update::Update;
use crate::runtime::record::RecordStore;

use super::exchange_log::ExchangeLog;
use super::management::{Management, refused_status};
use super::session_config::SessionConfig;
use super::{discovery, session_urls};
use crate::core::json;
use crate::core::profile::StreamSetup;
use crate::core::stream::own_stream_description;
use crate::core::stream_choice::{self, Choice, OwnBy};
use crate::core::stream_identity::{self, Listed, describe};
use crate::runtime::own_streams::OwnStreams;

/// Run the test with a resolved profile, telling the window after each step.
pub async fn run(
    config: SessionConfig,
    client: reqwest::Client,
    store: RecordStore,
    updates: UpdateSender,
) {
    let mut test = ConnectionTest::start(&config.label);
    tell(&updates, &test).await;
    let log = ExchangeLog::new(store, updates.clone(), Some(config.key.clone()));
    let outcome = steps(&config, &client, &log, &mut test, &updates).await;
    if let Err(cause) = outcome {
        test.fail(cause);
    }
    tell(&updates, &test).await;
}

async fn tell(updates: &UpdateSender, test: &ConnectionTest) {
    updates
        .send(Update::ConnectionTest(Box::new(test.clone())))
        .await
        .ok();
}

/// The steps; an error is the cause of the running step's failure.
async fn steps(
    config: &SessionConfig,
    client: &reqwest::Client,
    log: &ExchangeLog,
    test: &mut ConnectionTest,
    updates: &UpdateSender,
) -> Result<(), String> {
    let mut no_tls = session_urls::before_discovery(config).map_err(|e| format!("{e}"))?;
    let (metadata, legacy) =
        discovery::fetch_metadata(log, client, &config.issuer, config.metadata_url.as_deref())
            .await
            .map_err(|e| format!("{e:#}"))?;
    let methods = metadata.delivery_methods_supported.len();
    let mut found = format!(
        "issuer {} matches; {methods} delivery method(s), spec {}",
        metadata.issuer,
        metadata.spec_version.as_deref().unwrap_or("not given")
    );
    if let Some(location) = legacy {
        found.push_str(&format!(" (served at the legacy /.well-known/{location})"));
    }
    test.step_done(StepOutcome::Passed(found));
    tell(updates, test).await;

    session_urls::of_metadata(config, &metadata, &mut no_tls).map_err(|e| format!("{e}"))?;
    let (_, keys) = discovery::fetch_keys(log, client, &metadata, None)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let kids: Vec<&str> = keys.iter().map(|k| k.kid.as_str()).collect();
    let listed = format!("{} key(s): {}", keys.len(), kids.join(", "));
    test.step_done(StepOutcome::Passed(listed));
    tell(updates, test).await;

    if metadata.configuration_endpoint.is_none() {
        let why = "the transmitter offers no configuration_endpoint: its streams are \
                   provisioned out of band (use Listen only)";
        test.step_done(StepOutcome::Skipped(why.to_owned()));
        test.step_done(StepOutcome::Skipped(why.to_owned()));
        return Ok(());
    }
    let management = Management {
        client,
        metadata: &metadata,
        auth: &config.auth,
        log,
    };
    let listed = match management.list_streams().await {
        // A transmitter with one stream and no ids answers 404 when it has none.
        Err(err) if refused_status(&err) == Some(404) => Ok(Vec::new()),
        listed => listed,
    };
    match listed {
        Ok(streams) => {
            test.step_done(StepOutcome::Passed(
                "the management call was accepted".to_owned(),
            ));
            let remembered = config
                .profile_dir
                .as_deref()
                .and_then(|dir| OwnStreams::in_dir(dir).recall(&config.key.0, &metadata.issuer));
            test.step_done(what_start_would_do(config, &streams, remembered.as_deref()));
            Ok(())
        }
        Err(err) => match refused_status(&err) {
            Some(status @ (401 | 403)) => Err(format!(
                "refused with HTTP {status}: the management token (or client credentials) is \
                 not accepted; check it, or its scopes ({err:#})"
            )),
            _ => Err(format!("{err:#}")),
        },
    }
}

/// The streams step: what Start would do with the streams listed, as the set-up decides it.
/// Streams listed are not "this receiver's" unless they are its own; a start that would not
/// set the stream up fails the step, with why and what to choose in the form.
fn what_start_would_do(
    config: &SessionConfig,
    listed: &[serde_json::Value],
    remembered: Option<&str>,
) -> StepOutcome {
    let window = |text: &str| crate::core::remedy::for_window(text).into_owned();
    match &config.stream {
        StreamSetup::ListenOnly => {
            StepOutcome::Passed("listen only: Start makes no management call".to_owned())
        }
        StreamSetup::Attach { stream_id } => match stream_identity::listed(listed, stream_id) {
            Listed::Yes | Listed::CannotTell => StepOutcome::Passed(format!(
                "stream {stream_id} is listed: Start attaches to it"
            )),
            Listed::No(others) => StepOutcome::Failed(format!(
                "stream {stream_id} is not listed (the transmitter lists {}): Start could not attach to it",
                others.join(", ")
            )),
        },
        setup => {
            let description = own_stream_description(&config.key.0);
            match stream_choice::choose(listed, setup, &description, remembered) {
                Choice::Own(own, by) => {
                    let how = match by {
                        OwnBy::Described => "found by its description",
                        OwnBy::Remembered => "this profile made it",
                        OwnBy::TokenConfig => {
                            "the one configuration the transmitter keeps for this token"
                        }
                    };
                    let id = json::string(own, "stream_id")
                        .map(|id| format!("stream {id}"))
                        .unwrap_or_else(|| "its configuration".to_owned());
                    StepOutcome::Passed(format!(
                        "this receiver's own {id} is listed ({how}): Start uses it"
                    ))
                }
                Choice::Create if listed.is_empty() => {
                    StepOutcome::Passed("none yet: Start creates this receiver's stream".to_owned())
                }
                Choice::Create => {
                    let others: Vec<String> = listed.iter().map(describe).collect();
                    StepOutcome::Passed(format!(
                        "Start creates this receiver's stream beside {} listed: {}",
                        others.len(),
                        others.join("; ")
                    ))
                }
                Choice::Decline(why) => StepOutcome::Failed(format!(
                    "Start would not set the stream up: {}",
                    window(&why)
                )),
            }
        }
    }
}
