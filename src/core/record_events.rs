//! Reducer part for the receiver's own record: while it refuses SETs, every stream is marked so
//! (a stop a status read finds then is not called unannounced), and once SETs are taken again
//! silence and heartbeats are counted from then.

use super::alerts::Alert;
use super::record_health::RecordHealth;
use super::state::InspectorState;
use super::time::UnixMillis;

impl InspectorState {
    /// The record's health changed.
    pub(super) fn apply_record_health(
        &mut self,
        health: RecordHealth,
        now: UnixMillis,
    ) -> Vec<Alert> {
        // SETs refused by the receiver's record were not the transmitter's silence:
        // once SETs are taken again, silence and heartbeats are counted from now.
        if health.refuses_sets() {
            for stream in self.streams.values_mut() {
                stream.sets_refused = true;
            }
        }
        if self.record.refuses_sets() && !health.refuses_sets() {
            for stream in self.streams.values_mut() {
                stream.forget_verification();
                stream.watching_since = now;
            }
        }
        self.record = health;
        Vec::new()
    }
}
