//! The one management call of `ssf-inspector stream …`: profile → session settings and client,
//! metadata, the stream to act on, the call, and its report.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::process::ExitCode;

use serde_json::{Value, json};

use super::stream::Target;
use super::stream_report::{Report, answer_of, last_exchange, main_exchange};
use crate::bridge::{no_wake, update_channel};
use crate::core::exchange::body_text;
use crate::core::json;
use crate::core::own_action::OwnAction;
use crate::core::profile::StreamSetup;
use crate::core::stream::{StreamStatus, own_stream_description};
use crate::core::stream_identity::{self, About, Listed};
use crate::core::stream_op::StreamOp;
use crate::runtime::journal::Journal;
use crate::runtime::own_streams::OwnStreams;
use crate::runtime::profiles::{ProfileFiles, session_for};
use crate::runtime::receiver::checked::{Deleted, Found};
use crate::runtime::receiver::discovery::fetch_metadata;
use crate::runtime::receiver::exchange_log::ExchangeLog;
use crate::runtime::receiver::management::{Management, outcome_unknown, refused_status};
use crate::runtime::record::RecordStore;

/// Load the profile, ask the transmitter, print the outcome. `confirmed`: a delete is made
/// without asking (`--yes`).
pub(super) async fn manage(
    command: &str,
    target: &Target,
    op: StreamOp,
    confirmed: bool,
) -> anyhow::Result<ExitCode> {
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
    let log = ExchangeLog::new(store.clone(), updates, Some(config.key.clone()));
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
    let memory = OwnStreams::in_dir(files.dir());
    // The listing first, always: the stream acted on must be one the transmitter lists.
    let streams = management.list_streams().await;
    let list_exchange = last_exchange(&mut rx);
    let listed = match streams {
        Ok(streams) => streams,
        // A transmitter with one stream and no ids answers 404 when it has none.
        Err(err) if refused_status(&err) == Some(404) => Vec::new(),
        Err(err) => return Ok(report.failed(None, list_exchange.as_ref(), &err)),
    };
    let own = own_stream_description(&config.key.0);
    let stream_id = target
        .stream
        .clone()
        .or(attached)
        .or_else(|| {
            listed.iter().find_map(|s| {
                (json::string(s, "description").as_deref() == Some(own.as_str()))
                    .then(|| json::string(s, "stream_id"))
                    .flatten()
            })
        })
        .or_else(|| memory.recall(&profile.name, &metadata.issuer))
        .or_else(|| match listed.as_slice() {
            // One configuration per token, without ids: the token's own.
            [only] if json::string(only, "stream_id").is_none() => Some(String::new()),
            _ => None,
        });
    let ids: Vec<String> = listed
        .iter()
        .filter_map(|s| json::string(s, "stream_id"))
        .collect();
    let Some(stream_id) = stream_id else {
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
    let shown = if stream_id.is_empty() {
        "(the token's configuration)".to_owned()
    } else {
        stream_id.clone()
    };
    // Nothing is done to, or believed of, a stream the transmitter does not have: its answer
    // must be about the stream named (one that ignores stream_id answers for another).
    if let Listed::No(others) = stream_identity::listed(&listed, &stream_id) {
        let err = anyhow::anyhow!(
            "the transmitter does not list stream {stream_id} (it lists {}): nothing was done",
            others.join(", ")
        );
        return Ok(report.failed(Some(&shown), list_exchange.as_ref(), &err));
    }
    let config_found = match management.find_stream(&stream_id).await {
        Ok(Found::Ours(found)) => found,
        Ok(found) => {
            let why = found.absence(&stream_id).unwrap_or_default();
            let err = anyhow::anyhow!("{why}: nothing was done");
            return Ok(report.failed(Some(&shown), last_exchange(&mut rx).as_ref(), &err));
        }
        Err(err) => return Ok(report.failed(Some(&shown), last_exchange(&mut rx).as_ref(), &err)),
    };
    if op == StreamOp::Delete && !confirmed && !asked_yes(&shown, &config.issuer)? {
        let message = format!(
            "stream {shown} was not deleted: confirm with --yes (standard input is not a terminal, or the answer was not yes)"
        );
        return Ok(report.usage(Some(&shown), &message, Value::Null));
    }
    let read_exchange = last_exchange(&mut rx);
    let call = Call {
        management: &management,
        journal: Journal::in_dir(files.dir()),
        profile: &profile.name,
        command,
        stream_id: &stream_id,
        shown: &shown,
        issuer: &config.issuer,
    };
    let done = call.perform(&op, &config_found).await;
    if matches!(done, Ok((_, _, ref extra)) if extra.get("deleted").is_some()) {
        memory.forget(&metadata.issuer, &stream_id).ok();
    }
    // `config` makes no call of its own: its exchange is the read; a delete's is the DELETE.
    let main = done
        .as_ref()
        .ok()
        .and_then(|(_, _, extra)| extra.get("exchange"))
        .and_then(Value::as_u64);
    let exchange = main_exchange(&mut rx, main)
        .or(read_exchange.filter(|_| matches!(op, StreamOp::ReadConfig)));
    let code = match done {
        Ok((text, answer, mut extra)) => {
            if let Some(members) = extra.as_object_mut() {
                members.remove("exchange"); // the in-memory log's number, said to nobody
            }
            let answer = answer.unwrap_or_else(|| answer_of(exchange.as_ref()));
            report.done(&shown, exchange.as_ref(), answer, &text, extra)
        }
        // A change answered with something that is not JSON may or may not have been made.
        Err(err) if outcome_unknown(&err) => {
            let err = anyhow::anyhow!(
                "{err:#}; see what it is now with `ssf-inspector stream status --profile {}`",
                profile.name
            );
            report.failed(Some(&shown), exchange.as_ref(), &err)
        }
        Err(err) => report.failed(Some(&shown), exchange.as_ref(), &err),
    };
    store.close().await.ok();
    Ok(code)
}

/// Ask on the terminal; `false` without one.
fn asked_yes(stream_id: &str, issuer: &str) -> anyhow::Result<bool> {
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

/// One call on a stream the transmitter was found to have, written to the journal of the
/// receiver's own actions (so a `watch` or window running on the profile knows it was this
/// receiver) before it is sent and after it ended.
struct Call<'a> {
    management: &'a Management<'a>,
    journal: Journal,
    profile: &'a str,
    command: &'a str,
    stream_id: &'a str,
    /// The stream as shown (its id, or what stands for a stream without one).
    shown: &'a str,
    issuer: &'a str,
}

/// A call's text line, the answer when it is not the exchange's body, and extra JSON members.
type Outcome = (String, Option<Value>, Value);

impl Call<'_> {
    fn asked(&self, action: OwnAction) -> crate::runtime::journal::Asked {
        let by = format!("ssf-inspector stream {}", self.command);
        self.journal
            .asked(self.profile, self.stream_id, action, &by)
    }

    async fn perform(&self, op: &StreamOp, config: &Value) -> anyhow::Result<Outcome> {
        let (id, management) = (self.stream_id, self.management);
        let shown = self.shown;
        Ok(match op {
            StreamOp::ReadStatus => {
                let status = management.read_status(id).await?;
                if let About::Other {
                    stream_id: other, ..
                } = stream_identity::about(&status, id)
                {
                    anyhow::bail!(
                        "asked for the status of stream {shown}, the transmitter answered for stream {other}: it ignores stream_id, and the answer is not believed"
                    );
                }
                (status_line(shown, &status, None), None, Value::Null)
            }
            StreamOp::ReadConfig => {
                let redacted: Value = serde_json::from_str(&body_text(&config.to_string()))?;
                let text = format!(
                    "stream {shown} configuration:\n{}",
                    serde_json::to_string_pretty(&redacted)?
                );
                (text, Some(redacted), Value::Null)
            }
            StreamOp::RequestVerification => {
                let state = crate::runtime::random::random_token()?;
                let asked = self.asked(OwnAction::Verification {
                    state: state.clone(),
                });
                let sent = management.request_verification(id, &state).await;
                asked.ended(sent.is_ok());
                sent?;
                let to = stream_identity::delivers_to(config)
                    .map(|url| format!(" (it delivers to {url})"))
                    .unwrap_or_default();
                let text = format!(
                    "stream {shown}: verification requested; the verification SET will carry state {state}{to}"
                );
                (text, None, json!({"state": state}))
            }
            StreamOp::SetStatus { status, reason } => {
                let asked = self.asked(OwnAction::Status { status: *status });
                let set = management
                    .set_status(id, status.as_str(), reason.as_deref())
                    .await;
                match &set {
                    Err(err) if outcome_unknown(err) => asked.unknown(),
                    _ => asked.ended(set.is_ok()),
                }
                let (answer, how) = set?;
                let mut line = status_line(shown, &answer, Some(*status));
                if let Some(how) = &how {
                    line.push_str(&format!(" ({how})"));
                }
                (line, None, json!({"how": how}))
            }
            StreamOp::Delete => {
                let asked = self.asked(OwnAction::Delete);
                let deleted = management.delete_checked(id, None).await;
                asked.ended(matches!(deleted, Ok(Deleted::Done { .. })));
                match deleted? {
                    Deleted::Done {
                        also_gone,
                        exchange,
                    } if also_gone.is_empty() => (
                        format!("deleted stream {shown} at {}", self.issuer),
                        None,
                        json!({"deleted": id, "exchange": exchange}),
                    ),
                    Deleted::Done {
                        also_gone,
                        exchange,
                    } => (
                        format!(
                            "deleted stream {shown} at {}; the transmitter no longer lists {} either: the delete took it",
                            self.issuer,
                            also_gone.join(", ")
                        ),
                        None,
                        json!({"deleted": id, "also_gone": also_gone, "exchange": exchange}),
                    ),
                    Deleted::AlreadyGone(why) => {
                        anyhow::bail!(
                            "nothing was deleted: stream {shown} was already gone ({why})"
                        )
                    }
                    Deleted::Left(why) => anyhow::bail!("nothing was deleted: {why}"),
                }
            }
            StreamOp::AddSubject(subject) | StreamOp::RemoveSubject(subject) => {
                let add = matches!(op, StreamOp::AddSubject(_));
                management.subject(id, subject, add).await?;
                let done = if add { "added" } else { "removed" };
                let text = format!(
                    "stream {shown}: subject {done}: {}",
                    crate::core::subject::describe(subject)
                );
                (text, None, json!({"subject": subject}))
            }
            // No `stream` subcommand asks for these.
            StreamOp::Configure(_) | StreamOp::SetPushFault(_) => {
                anyhow::bail!(
                    "`ssf-inspector stream` does not change configurations or push faults"
                )
            }
        })
    }
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
