//! Reducer part for the receiver's own actions made by another of its processes (`stream
//! pause` in a terminal while the window or `watch` runs on the same profile), read from the
//! journal: a status it set or a stream it deleted is this receiver's doing, and a
//! verification it asked for is answered, not "unasked". What one asked and has not said the
//! end of is expected for a while, so a read that finds it first raises nothing.

use super::alerts::Alert;
use super::own_action::{OwnAction, OwnActionEntry, Phase};
use super::record::StreamKey;
use super::state::InspectorState;
use super::stream::{ASKED_KEPT, OWN_PENDING_MILLIS, StreamStatus};
use super::time::UnixMillis;
use super::update::NoticeLevel;

impl InspectorState {
    /// An entry of the journal, about the stream `key`.
    pub(super) fn apply_own_action(
        &mut self,
        key: &StreamKey,
        entry: OwnActionEntry,
        now: UnixMillis,
    ) -> Vec<Alert> {
        let Some(stream) = self.streams.get_mut(key) else {
            return Vec::new();
        };
        let pending = self.own_pending.entry(key.clone()).or_default();
        pending.retain(|(action, at)| {
            *action != entry.action && now.millis_since(*at) <= OWN_PENDING_MILLIS
        });
        match (&entry.action, entry.phase) {
            // A verification asked elsewhere: its answer is expected, whatever became of it.
            (OwnAction::Verification { state }, Phase::Asked) => {
                if stream.asked_states.len() >= ASKED_KEPT {
                    stream.asked_states.pop_front();
                }
                stream.asked_states.push_back(state.clone());
                Vec::new()
            }
            (_, Phase::Asked) => {
                pending.push((entry.action, entry.at));
                Vec::new()
            }
            (_, Phase::Failed) | (OwnAction::Verification { .. }, Phase::Done) => Vec::new(),
            (OwnAction::Status { status }, Phase::Done) => {
                let text = format!(
                    "{key}: this receiver set the stream {} ({}, another process)",
                    status.as_str(),
                    entry.by
                );
                self.note(NoticeLevel::Info, text, now);
                self.apply_own_status(key, *status, None, entry.at, None)
            }
            (OwnAction::Delete, Phase::Done) => {
                let text = format!(
                    "{key}: this receiver deleted the stream ({}, another process)",
                    entry.by
                );
                self.note(NoticeLevel::Info, text, now);
                self.apply_deleted_by_receiver(key, entry.at);
                Vec::new()
            }
        }
    }

    /// Whether another process of this receiver asked for `status` lately and has not said
    /// the end of it: a read that finds it is its doing.
    pub(super) fn own_status_pending(
        &self,
        key: &StreamKey,
        status: StreamStatus,
        now: UnixMillis,
    ) -> bool {
        self.own_pending(key, &OwnAction::Status { status }, now)
    }

    /// Whether another process of this receiver is deleting the stream.
    pub(super) fn own_delete_pending(&self, key: &StreamKey, now: UnixMillis) -> bool {
        self.own_pending(key, &OwnAction::Delete, now)
    }

    fn own_pending(&self, key: &StreamKey, action: &OwnAction, now: UnixMillis) -> bool {
        self.own_pending.get(key).is_some_and(|pending| {
            pending
                .iter()
                .any(|(a, at)| a == action && now.millis_since(*at) <= OWN_PENDING_MILLIS)
        })
    }
}
