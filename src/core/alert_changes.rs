//! Reducer part for the alerts themselves: raised once per active kind and stream (seen again
//! otherwise), resolved, acknowledged; every change is an effect the record is told of once
//! ([`InspectorState::take_changed_alerts`]), so nobody diffs the alerts.

use super::alerts::{Alert, AlertKind, Evidence};
use super::record::StreamKey;
use super::state::InspectorState;
use super::time::UnixMillis;

impl InspectorState {
    pub(super) fn raise(
        &mut self,
        kind: AlertKind,
        stream: &StreamKey,
        cause: String,
        reason: Option<String>,
        evidence: Evidence,
        now: UnixMillis,
    ) -> Vec<Alert> {
        let existing = self
            .alerts
            .iter_mut()
            .find(|a| a.kind == kind && &a.stream == stream && a.is_active());
        if let Some(alert) = existing {
            alert.last_seen = now;
            self.changed_alerts.push(alert.id);
            return Vec::new();
        }
        self.next_alert_id += 1;
        let alert = Alert {
            id: self.next_alert_id,
            kind,
            severity: kind.severity(),
            stream: stream.clone(),
            cause,
            reason,
            first_seen: now,
            last_seen: now,
            evidence_seq: evidence.seq,
            evidence_exchange: evidence.exchange,
            acknowledged: false,
            resolved_at: None,
        };
        self.alerts.push(alert.clone());
        self.changed_alerts.push(alert.id);
        vec![alert]
    }

    /// The alerts raised or changed since last asked, each once, in the order of their ids:
    /// what the record must write (no diff of every alert).
    pub fn take_changed_alerts(&mut self) -> Vec<Alert> {
        let mut ids = std::mem::take(&mut self.changed_alerts);
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| {
                let at = self.alerts.binary_search_by_key(&id, |a| a.id).ok()?;
                self.alerts.get(at).cloned()
            })
            .collect()
    }

    pub(super) fn resolve(&mut self, stream: &StreamKey, kinds: &[AlertKind], now: UnixMillis) {
        for alert in &mut self.alerts {
            if &alert.stream == stream && kinds.contains(&alert.kind) && alert.is_active() {
                alert.resolved_at = Some(now);
                self.changed_alerts.push(alert.id);
            }
        }
    }

    /// The user acknowledged an alert: it leaves the banner and stays in the list.
    pub fn acknowledge(&mut self, alert_id: u64) {
        if let Some(alert) = self.alerts.iter_mut().find(|a| a.id == alert_id) {
            alert.acknowledged = true;
            self.changed_alerts.push(alert_id);
        }
    }

    /// Alerts for the banner, newest first.
    pub fn banner_alerts(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.iter().rev().filter(|a| a.wants_banner())
    }
}
