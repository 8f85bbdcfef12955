//! One subject's history: every SET on the timeline about it (across streams), kept up to date
//! as SETs arrive by reading only the new entries, and each told in one line from what its
//! compact entry holds (the claims add who and why when the full SET is held).

use serde_json::Value;

use super::record::SetRecord;
use super::subject_query::SubjectQuery;
use super::timeline::{EntryView, Timeline};
use super::verify::Verdict;

/// The subject asked about and the SETs about it.
#[derive(Clone, Debug, Default)]
pub struct SubjectHistory {
    /// The subject as typed (JSON, a subject line or a plain value).
    pub text: String,
    /// The text the rows were found for.
    asked: String,
    query: Option<SubjectQuery>,
    error: Option<String>,
    rows: Vec<usize>,
    /// The query's answer for each dictionary subject matched so far.
    hits: Vec<bool>,
    /// How many entries were read.
    held: usize,
}

impl SubjectHistory {
    /// The history of the subject `text`.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            asked: String::new(),
            ..Self::default()
        }
    }

    /// Bring the rows up to date: found again when the text changed, else only the SETs that
    /// arrived since are read.
    pub fn refresh(&mut self, timeline: &Timeline) {
        if self.text != self.asked || self.held > timeline.held() {
            self.asked.clone_from(&self.text);
            self.rows.clear();
            self.hits.clear();
            self.held = 0;
            match SubjectQuery::parse(&self.text) {
                Ok(query) => {
                    self.query = query;
                    self.error = None;
                }
                Err(error) => {
                    self.query = None;
                    self.error = Some(error);
                }
            }
        }
        let held = timeline.held();
        if let Some(query) = &self.query
            && self.held < held
        {
            let found = timeline.about_subject(query, &mut self.hits, self.held);
            self.rows.extend(found);
        }
        self.held = held;
    }

    /// The SETs about the subject, as indexes for [`Timeline::entry`], in arrival order.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// Why the text is no subject (JSON that does not parse).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// What is matched, in words (`None`: nothing asked yet).
    pub fn matching(&self) -> Option<String> {
        self.query.as_ref().map(SubjectQuery::describe)
    }
}

/// One SET in words: its events, who started it and why when the full SET is held, and what
/// was wrong with it (`session revoked by admin, reason "Landspeed policy violation"`). A
/// transmitter's reason is masked when `presenter`.
pub fn account(entry: &EntryView<'_>, full: Option<&SetRecord>, presenter: bool) -> String {
    let names: Vec<String> = entry
        .events()
        .iter()
        .map(|e| e.name.to_lowercase())
        .collect();
    let mut text = if names.is_empty() {
        entry.title().to_owned()
    } else {
        names.join(" + ")
    };
    let payload = full
        .and_then(|r| r.jws.as_ref())
        .and_then(|j| j.claims.get("events"))
        .and_then(Value::as_object)
        .and_then(|events| events.values().next());
    if let Some(payload) = payload {
        if let Some(by) = payload.get("initiating_entity").and_then(Value::as_str) {
            text.push_str(&format!(" by {by}"));
        }
        if let Some(status) = payload.get("status").and_then(Value::as_str) {
            text.push_str(&format!(" to {status}"));
        }
        let reason = ["reason_admin", "reason_user", "reason"]
            .iter()
            .find_map(|member| payload.get(*member).and_then(reason_text));
        if let Some(reason) = reason {
            let reason = if presenter {
                super::redact::text(&reason)
            } else {
                reason
            };
            text.push_str(&format!(", reason \"{}\"", super::json::clip(&reason)));
        }
    }
    if entry.verdict() != Verdict::Valid {
        text.push_str(&format!(", {}", entry.verdict().label()));
    }
    if let Some(code) = entry.rejection() {
        text.push_str(&format!(", refused ({code})"));
    }
    if entry.redelivered() {
        text.push_str(", redelivered");
    }
    text
}

/// A reason member: a string, or a language map (English first).
fn reason_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Object(languages) => languages
            .get("en")
            .or_else(|| languages.values().next())
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}
