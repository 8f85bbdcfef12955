//! What `ssf-inspector stream …` prints: a line of text, or one JSON object (`--json`) with
//! the HTTP status and the transmitter's answer as the exchange log kept it (credentials
//! redacted). Exit 0 when done, 1 when the transmitter refused or did not answer, 2 for usage.

use std::process::ExitCode;

use serde_json::{Map, Value, json};
use tokio::sync::mpsc::Receiver;

use crate::core::exchange::Exchange;
use crate::core::update::Update;

/// Exit status when the transmitter refused (or gave no answer).
pub const REFUSED: u8 = 1;
/// Exit status for usage and profile errors.
pub const USAGE: u8 = 2;

/// The last exchange the log kept since the previous call (earlier ones are dropped).
pub(super) fn last_exchange(rx: &mut Receiver<Update>) -> Option<Exchange> {
    main_exchange(rx, None)
}

/// The exchange with record id `main` among those the log kept since the previous call (a
/// checked delete reads before and after its DELETE), else the last of them.
pub(super) fn main_exchange(rx: &mut Receiver<Update>, main: Option<u64>) -> Option<Exchange> {
    let mut last = None;
    let mut chosen = None;
    while let Ok(update) = rx.try_recv() {
        if let Update::Exchange(exchange) = update {
            if main == Some(exchange.id) {
                chosen = Some((*exchange).clone());
            }
            last = Some((*exchange).clone());
        }
    }
    chosen.or(last)
}

/// An answer body as JSON: `null` when empty, a string when it is not JSON.
pub(super) fn answer_of(exchange: Option<&Exchange>) -> Value {
    let Some(body) = exchange.map(|e| e.response_body.trim()) else {
        return Value::Null;
    };
    if body.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(body).unwrap_or_else(|_| Value::from(body))
}

/// How one command reports.
pub(super) struct Report<'a> {
    /// One JSON object instead of text.
    pub json: bool,
    /// The subcommand, e.g. `pause`.
    pub command: &'a str,
    /// The profile used.
    pub profile: &'a str,
}

impl Report<'_> {
    fn object(&self, ok: bool, stream_id: Option<&str>) -> Map<String, Value> {
        let mut object = Map::new();
        object.insert("command".to_owned(), Value::from(self.command));
        object.insert("profile".to_owned(), Value::from(self.profile));
        object.insert("ok".to_owned(), Value::from(ok));
        object.insert(
            "stream_id".to_owned(),
            stream_id.map_or(Value::Null, Value::from),
        );
        object
    }

    /// Done: `text`, or the JSON object with the exchange's status, `answer` and `extra`.
    pub fn done(
        &self,
        stream_id: &str,
        exchange: Option<&Exchange>,
        answer: Value,
        text: &str,
        extra: Value,
    ) -> ExitCode {
        if self.json {
            let mut object = self.object(true, Some(stream_id));
            object.insert(
                "http_status".to_owned(),
                json!(exchange.and_then(|e| e.status)),
            );
            object.insert("answer".to_owned(), answer);
            if let Value::Object(extra) = extra {
                object.extend(extra);
            }
            println!("{}", Value::Object(object));
        } else {
            println!("{text}");
        }
        ExitCode::SUCCESS
    }

    /// The transmitter refused, or no answer came: the status and the reason in words.
    pub fn failed(
        &self,
        stream_id: Option<&str>,
        exchange: Option<&Exchange>,
        err: &anyhow::Error,
    ) -> ExitCode {
        let status = exchange.and_then(|e| e.status);
        let reason = format!("{err:#}");
        if self.json {
            let mut object = self.object(false, stream_id);
            object.insert("http_status".to_owned(), json!(status));
            object.insert("answer".to_owned(), answer_of(exchange));
            object.insert("error".to_owned(), Value::from(reason));
            println!("{}", Value::Object(object));
        } else {
            let stream = stream_id
                .map(|id| format!("stream {id}: "))
                .unwrap_or_default();
            match status.filter(|s| !(200..300).contains(s)) {
                Some(status) => eprintln!(
                    "ssf-inspector: {stream}the transmitter refused (HTTP {status}): {reason}"
                ),
                None => eprintln!("ssf-inspector: {stream}{reason}"),
            }
        }
        ExitCode::from(REFUSED)
    }

    /// A usage error found after the transmitter was asked (no stream to act on, no --yes).
    pub fn usage(&self, stream_id: Option<&str>, message: &str, extra: Value) -> ExitCode {
        if self.json {
            let mut object = self.object(false, stream_id);
            object.insert("error".to_owned(), Value::from(message));
            if let Value::Object(extra) = extra {
                object.extend(extra);
            }
            println!("{}", Value::Object(object));
        } else {
            eprintln!("ssf-inspector: {message}");
        }
        ExitCode::from(USAGE)
    }
}
