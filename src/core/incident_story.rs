//! An incident told in plain words: its stop (what, when, who said so and why), the stream's
//! SETs before and after it, what followed (silence, a lost heartbeat…) and how it ended
//! (resolved, no longer watched, or still in force). For the banner, the alert list and a
//! bundle's summary.
//!
//! Counting a stream's SETs reads the timeline's compact entries once; [`StoryCounts`] keeps
//! the count per incident and reads only the SETs that arrived since, so a window drawing the
//! story every frame over a million SETs counts each SET once.

use std::collections::HashMap;

use super::alerts::{Alert, AlertKind};
use super::state::InspectorState;
use super::stream::{StatusEntry, StatusSource, StreamStatus};
use super::time::UnixMillis;
use super::timeline::{Around, Timeline};

/// The incident of `head`, in words: e.g. `disabled by the transmitter at 02:11:39
/// (stream-updated, reason "maintenance"), 1,204 SETs received before, none after, silence
/// noticed at 02:26:39, resolved at 03:00:00 (enabled again)`. `history` is the stream's status
/// history (who ended it); a transmitter's reason is masked when `presenter`.
pub fn story<'a>(
    head: &Alert,
    consequences: impl IntoIterator<Item = &'a Alert>,
    history: impl IntoIterator<Item = &'a StatusEntry>,
    sets: Around,
    presenter: bool,
) -> String {
    let reason = head.reason.as_deref().map(|r| {
        let r = if presenter {
            super::redact::text(r)
        } else {
            r.to_owned()
        };
        format!("reason \"{r}\"")
    });
    let at = clock(head.first_seen);
    let mut parts = vec![opening(head.kind, &at, reason.as_deref())];
    parts.push(format!(
        "{} received before, {} after",
        count(sets.before, "SET", "SETs"),
        if sets.after == 0 {
            "none".to_owned()
        } else {
            thousands(sets.after)
        }
    ));
    let mut followed: Vec<&Alert> = consequences.into_iter().collect();
    followed.sort_by_key(|a| (a.first_seen, a.id));
    parts.extend(
        followed
            .iter()
            .map(|a| format!("{} at {}", noticed(a.kind), clock(a.first_seen))),
    );
    parts.push(ending(head, history));
    parts.join(", ")
}

/// Whether `alert` heads an incident that has a story: a stop that follows from no other.
pub fn has_story(alert: &Alert) -> bool {
    alert.kind.is_stop() && alert.folded_under.is_none()
}

/// The story of the incident `head` heads in `state`, its SETs counted through `counts`.
pub fn of_incident(
    state: &InspectorState,
    head: &Alert,
    counts: &mut StoryCounts,
    presenter: bool,
) -> String {
    let sets = counts.of(&state.timeline, head);
    let history = state
        .streams
        .get(&head.stream)
        .into_iter()
        .flat_map(|s| s.status_history.iter());
    story(
        head,
        state.consequences_of(head.id),
        history,
        sets,
        presenter,
    )
}

/// How the incident began, by the kind of its stop.
fn opening(kind: AlertKind, at: &str, reason: Option<&str>) -> String {
    let why = |lead: &str| {
        reason
            .as_ref()
            .map_or_else(String::new, |r| format!("{lead}{r}"))
    };
    match kind {
        AlertKind::StreamDisabled | AlertKind::StreamPaused => {
            let what = if kind == AlertKind::StreamDisabled {
                "disabled"
            } else {
                "paused"
            };
            format!(
                "{what} by the transmitter at {at} (stream-updated{})",
                why(", ")
            )
        }
        AlertKind::StreamDisabledSilently | AlertKind::StreamPausedSilently => {
            let what = if kind == AlertKind::StreamDisabledSilently {
                "disabled"
            } else {
                "paused"
            };
            format!(
                "found {what} by a status read at {at}, not announced{}",
                why(", ")
            )
        }
        AlertKind::StreamDeleted => format!("found deleted at the transmitter at {at}"),
        AlertKind::ConnectionFailed => {
            format!("the receiver lost the stream at {at}{}", why(", "))
        }
        other => format!("{} at {at}{}", lower_first(other.title()), why(", ")),
    }
}

/// What a consequence says happened.
fn noticed(kind: AlertKind) -> String {
    match kind {
        AlertKind::Silent => "silence noticed".to_owned(),
        AlertKind::HeartbeatLost => "verification heartbeat lost".to_owned(),
        AlertKind::VerificationRefused => "verification refused".to_owned(),
        AlertKind::JwksUnreachable => "signing keys unreachable".to_owned(),
        AlertKind::ConnectionFailed => "connection lost".to_owned(),
        AlertKind::StreamDisabledSilently => "a status read found it disabled".to_owned(),
        AlertKind::StreamPausedSilently => "a status read found it paused".to_owned(),
        AlertKind::StreamPaused => "paused by the transmitter".to_owned(),
        other => lower_first(other.title()),
    }
}

/// How it ended: resolved (with the status change that ended it, when the history has it),
/// no longer watched, or not yet.
fn ending<'a>(head: &Alert, history: impl IntoIterator<Item = &'a StatusEntry>) -> String {
    if let Some(resolved) = head.resolved_at {
        let change = history.into_iter().find(|e| {
            e.at >= head.first_seen && e.at <= resolved && e.status == StreamStatus::Enabled
        });
        let how = match change {
            Some(entry) => format!("enabled again, {}", by(entry.source)),
            None => head.kind.resolution().to_owned(),
        };
        return format!("resolved at {} ({how})", clock(resolved));
    }
    match head.unwatched_at {
        Some(since) => format!(
            "no longer watched since {} (the session ended)",
            clock(since)
        ),
        None => "still in force".to_owned(),
    }
}

fn by(source: StatusSource) -> &'static str {
    match source {
        StatusSource::StreamUpdated { .. } => "told by stream-updated",
        StatusSource::StatusRead => "found by a status read",
        StatusSource::Receiver => "by this receiver",
    }
}

/// `HH:MM:SS` in UTC.
fn clock(at: UnixMillis) -> String {
    let mut time = at.time_of_day();
    time.truncate(8);
    time
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// `1 SET`, `1,204 SETs`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A number with a comma between each group of three digits.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Each incident's SET counts, kept between frames: counted again from the start only when
/// the incident's end changes, else only over the SETs that arrived since.
#[derive(Clone, Debug, Default)]
pub struct StoryCounts {
    counted: HashMap<u64, Kept>,
}

#[derive(Clone, Debug)]
struct Kept {
    /// The stop's time and the incident's end the count is for.
    at: UnixMillis,
    end: Option<UnixMillis>,
    held: usize,
    around: Around,
}

impl StoryCounts {
    /// The SETs of `head`'s stream before its stop and after it (until it ended).
    pub fn of(&mut self, timeline: &Timeline, head: &Alert) -> Around {
        let end = head.resolved_at.or(head.unwatched_at);
        let held = timeline.held();
        let kept = self.counted.entry(head.id).or_insert(Kept {
            at: head.first_seen,
            end,
            held: 0,
            around: Around::default(),
        });
        // Another incident under the same id (a new runtime numbers its alerts again), an end
        // reached, or a timeline that shrank: counted again from the start.
        if kept.at != head.first_seen || kept.end != end || kept.held > held {
            *kept = Kept {
                at: head.first_seen,
                end,
                held: 0,
                around: Around::default(),
            };
        }
        if kept.held < held {
            let new = timeline.count_around(&head.stream.0, kept.held, head.first_seen, end);
            kept.around.before += new.before;
            kept.around.after += new.after;
            kept.held = held;
        }
        kept.around
    }
}
