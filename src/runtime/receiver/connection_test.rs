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
use super::session::SessionConfig;
use super::{discovery, session_urls};

/// Run the test with a resolved profile, telling the window after each step.
pub async fn run(
    config: SessionConfig,
    client: reqwest::Client,
    store: RecordStore,
    updates: UpdateSender,
) {
    let mut test = ConnectionTest::start(&config.label);
    tell(&updates, &test).await;
    let log = ExchangeLog {
        store,
        updates: updates.clone(),
        stream: Some(config.key.clone()),
    };
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
    match management.list_streams().await {
        Ok(streams) => {
            test.step_done(StepOutcome::Passed(
                "the management call was accepted".to_owned(),
            ));
            let count = streams.len();
            let words = match count {
                0 => "none yet: Start creates this receiver's stream".to_owned(),
                1 => "1 stream is listed for this receiver".to_owned(),
                n => format!("{n} streams are listed for this receiver"),
            };
            test.step_done(StepOutcome::Passed(words));
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
