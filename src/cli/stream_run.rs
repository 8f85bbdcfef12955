//! The one management call of `ssf-inspector stream …`: profile → session settings and client,
//! metadata, the stream to act on, the call, and its report.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::process::ExitCode;

use serde_json::{Value, json};

use super::stream::Target;
use super::stream_report::{Report, answer_of, last_exchange};
use crate::bridge::{no_wake, update_channel};
use crate::core::exchange::body_text;
use crate::core::json;
use crate::core::profile::StreamSetup;
use crate::core::stream::{StreamStatus, own_stream_description};
use crate::runtime::profiles::{ProfileFiles, session_for};
use crate::runtime::receiver::discovery::fetch_metadata;
use crate::runtime::receiver::exchange_log::ExchangeLog;
use crate::runtime::receiver::management::Management;
use crate::runtime::record::RecordStore;

/// What to do to the stream.
#[derive(Debug)]
pub(super) enum Op {
    /// GET its status.
    Status,
    /// Its configuration, as listed.
    Config,
    /// POST a verification request.
    Verify,
    /// POST a status change, with an optional reason.
    SetStatus(StreamStatus, Option<String>),
    /// DELETE it (`yes`: without asking).
    Delete {
        /// Given `--yes`.
        yes: bool,
    },
    /// POST add (`true`) or remove subject.
    Subject(Value, bool),
}

/// Load the profile, ask the transmitter, print the outcome.
pub(super) async fn manage(command: &str, target: &Target, op: Op) -> anyhow::Result<ExitCode> {
    let files = ProfileFiles::user()?;
    let Some(profile) = files.load()?.into_iter().find(|p| p.name == target.profile) else {
        anyhow::bail!(
            "no profile named \"{}\" in {} (see `ssf-inspector profile list`)",
            target.profile,
            files.dir().display()
        );
    };
    let (config, client) = session_for(&files, &profile, true)?;
    // Exchanges are kept in memory (redacted); the window's record is left alone.
    let store = RecordStore::in_memory().await?;
    let (updates, mut rx) = update_channel(no_wake());
    let log = ExchangeLog {
        store: store.clone(),
        updates,
        stream: Some(config.key.clone()),
    };
    let report = Report {
        json: target.json,
        command,
        profile: &profile.name,
    };
    let metadata = match fetch_metadata(
        &log,
        &client,
        &config.issuer,
        config.metadata_url.as_deref(),
    )
    .await
    {
        Ok((metadata, _)) => metadata,
        Err(err) => return Ok(report.failed(None, last_exchange(&mut rx).as_ref(), &err)),
    };
    // The metadata's endpoints follow the issuer's TLS rule before any is called.
    let urls = crate::core::tls_rule::metadata_urls(&metadata);
    if let Err(refused) = crate::core::tls_rule::check_urls(urls, config.allow_insecure_http) {
        return Ok(report.failed(None, None, &anyhow::Error::from(refused)));
    }
    let management = Management {
        client: &client,
        metadata: &metadata,
        auth: &config.auth,
        log: &log,
    };
    let attached = match &profile.stream {
        StreamSetup::Attach { stream_id } => Some(stream_id.clone()),
        _ => None,
    };
    let named = target.stream.clone().or(attached);
    let (mut listed, mut list_exchange) = (None, None);
    if named.is_none() || matches!(op, Op::Config) {
        let streams = management.list_streams().await;
        list_exchange = last_exchange(&mut rx);
        match streams {
            Ok(streams) => listed = Some(streams),
            Err(err) => return Ok(report.failed(None, list_exchange.as_ref(), &err)),
        }
    }
    let own = own_stream_description(&config.key.0);
    let stream_id = named.or_else(|| {
        listed.iter().flatten().find_map(|s| {
            (json::string(s, "description").as_deref() == Some(own.as_str()))
                .then(|| json::string(s, "stream_id"))
                .flatten()
        })
    });
    let Some(stream_id) = stream_id else {
        let ids: Vec<String> = listed
            .iter()
            .flatten()
            .filter_map(|s| json::string(s, "stream_id"))
            .collect();
        let message = if ids.is_empty() {
            "the transmitter lists no stream, and the profile attaches to none: name one with --stream".to_owned()
        } else {
            format!(
                "the transmitter lists the streams {} and none is this profile's own (description \"{own}\"): name one with --stream",
                ids.join(", ")
            )
        };
        return Ok(report.usage(None, &message, json!({"streams": ids})));
    };
    if let Op::Delete { yes: false } = op
        && !confirmed(&stream_id, &config.issuer)?
    {
        let message = format!(
            "stream {stream_id} was not deleted: confirm with --yes (standard input is not a terminal, or the answer was not yes)"
        );
        return Ok(report.usage(Some(&stream_id), &message, Value::Null));
    }
    last_exchange(&mut rx);
    let done = perform(
        &op,
        &management,
        &stream_id,
        listed.as_deref(),
        &config.issuer,
    )
    .await;
    // `config` makes no call of its own: its exchange is the listing.
    let exchange = last_exchange(&mut rx).or(list_exchange.filter(|_| matches!(op, Op::Config)));
    let code = match done {
        Ok((text, answer, extra)) => {
            let answer = answer.unwrap_or_else(|| answer_of(exchange.as_ref()));
            report.done(&stream_id, exchange.as_ref(), answer, &text, extra)
        }
        Err(err) => report.failed(Some(&stream_id), exchange.as_ref(), &err),
    };
    store.close().await.ok();
    Ok(code)
}

/// Ask on the terminal; `false` without one.
fn confirmed(stream_id: &str, issuer: &str) -> anyhow::Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(false);
    }
    eprint!("Delete stream {stream_id} at {issuer}? It cannot be undone. [y/N] ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// The call: its text line, the answer when it is not the exchange's body, and extra JSON members.
async fn perform(
    op: &Op,
    management: &Management<'_>,
    stream_id: &str,
    listed: Option<&[Value]>,
    issuer: &str,
) -> anyhow::Result<(String, Option<Value>, Value)> {
    let id = stream_id;
    Ok(match op {
        Op::Status => {
            let status = management.read_status(id).await?;
            (status_line(id, &status, None), None, Value::Null)
        }
        Op::Config => {
            let found = listed
                .unwrap_or_default()
                .iter()
                .find(|s| json::string(s, "stream_id").as_deref() == Some(id));
            let Some(found) = found else {
                anyhow::bail!("the transmitter does not list the stream {id}");
            };
            let redacted: Value = serde_json::from_str(&body_text(&found.to_string()))?;
            let text = format!(
                "stream {id} configuration:\n{}",
                serde_json::to_string_pretty(&redacted)?
            );
            (text, Some(redacted), Value::Null)
        }
        Op::Verify => {
            let state = crate::runtime::random::random_token()?;
            management.request_verification(id, &state).await?;
            let text = format!(
                "stream {id}: verification requested; the verification SET will carry state {state}"
            );
            (text, None, json!({"state": state}))
        }
        Op::SetStatus(status, reason) => {
            let answer = management
                .update_status(id, status.as_str(), reason.as_deref())
                .await?;
            (status_line(id, &answer, Some(*status)), None, Value::Null)
        }
        Op::Delete { .. } => {
            management.delete_stream(id).await?;
            (
                format!("deleted stream {id} at {issuer}"),
                None,
                json!({"deleted": id}),
            )
        }
        Op::Subject(subject, add) => {
            management.subject(id, subject, *add).await?;
            let done = if *add { "added" } else { "removed" };
            let text = format!(
                "stream {id}: subject {done}: {}",
                crate::core::subject::describe(subject)
            );
            (text, None, json!({"subject": subject}))
        }
    })
}

/// `stream ID: paused (reason: …)` from a status answer; `asked` is the status requested.
fn status_line(id: &str, answer: &Value, asked: Option<StreamStatus>) -> String {
    let said = json::string(answer, "status");
    let reason = json::string(answer, "reason")
        .map(|r| format!(" (reason: {r})"))
        .unwrap_or_default();
    match (said, asked) {
        (Some(said), Some(asked)) if said != asked.as_str() => format!(
            "stream {id}: {} asked, but the transmitter says {said}{reason}",
            asked.as_str()
        ),
        (Some(said), _) => format!("stream {id}: {said}{reason}"),
        (None, Some(asked)) => format!("stream {id}: {} asked, accepted", asked.as_str()),
        (None, None) => format!("stream {id}: the status answer names no status"),
    }
}
