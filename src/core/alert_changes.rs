//! Reducer part for the alerts themselves: raised once per active kind, stream and session
//! (seen again otherwise), resolved, acknowledged; every change is an effect of the call that made it
//! ([`super::effects::Effects`]), so nobody diffs the alerts.

use super::alerts::{Alert, AlertKind, Evidence};
use super::effects::Effects;
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
        // Seen again only within the session: what fails after the profile is started again
        // is told again, not hidden in an incident of the session before.
        let since = self.session_alerts_after(stream);
        let existing = self
            .alerts
            .iter_mut()
            .find(|a| a.kind == kind && &a.stream == stream && a.is_active() && a.id > since);
        if let Some(alert) = existing {
            alert.last_seen = now;
            self.changed_alerts.push(alert.id);
            return Vec::new();
        }
        self.next_alert_id += 1;
        let id = self.next_alert_id;
        let (folded_under, acknowledged, takes_earlier) = match self.stop_in_force(stream) {
            // A later stop of the same stream (a disable after a pause) heads the incident.
            Some(stop) if kind.supersedes(stop.kind) => (None, false, true),
            // A consequence of an acknowledged stop is part of that acknowledged incident; a
            // stop of its own is told under its own headline, never by bringing back the
            // acknowledged one.
            Some(stop) if kind.follows(stop.kind) && stop.acknowledged && kind.is_stop() => {
                (None, false, false)
            }
            Some(stop) if kind.follows(stop.kind) => (Some(stop.id), stop.acknowledged, false),
            _ => (None, false, true),
        };
        if kind.is_stop() && takes_earlier {
            self.fold_under(id, kind, stream);
        }
        let alert = Alert {
            id,
            kind,
            severity: kind.severity(),
            stream: stream.clone(),
            cause,
            reason,
            first_seen: now,
            last_seen: now,
            evidence_seq: evidence.seq,
            evidence_exchange: evidence.exchange,
            acknowledged,
            resolved_at: None,
            unwatched_at: None,
            folded_under,
        };
        self.alerts.push(alert.clone());
        self.changed_alerts.push(alert.id);
        vec![alert]
    }

    pub(super) fn resolve(&mut self, stream: &StreamKey, kinds: &[AlertKind], now: UnixMillis) {
        for alert in &mut self.alerts {
            if &alert.stream == stream && kinds.contains(&alert.kind) && alert.is_active() {
                alert.resolved_at = Some(now);
                self.changed_alerts.push(alert.id);
            }
        }
    }

    /// The stream's session ended (stopped by the user, or its set-up failed): what is still
    /// active about it is no longer watched. Not resolved: nobody saw the condition end.
    pub(super) fn unwatch(&mut self, stream: &StreamKey, now: UnixMillis) {
        for alert in &mut self.alerts {
            if &alert.stream == stream && alert.is_active() {
                alert.unwatched_at = Some(now);
                self.changed_alerts.push(alert.id);
            }
        }
    }

    /// The stop in force on this stream that others fold under: the oldest active one of this
    /// session (a stop of an earlier one is no cause of what fails now) that is itself no
    /// consequence.
    fn stop_in_force(&self, stream: &StreamKey) -> Option<&Alert> {
        let since = self.session_alerts_after(stream);
        self.alerts.iter().find(|a| {
            &a.stream == stream
                && a.id > since
                && a.kind.is_stop()
                && a.is_active()
                && a.folded_under.is_none()
        })
    }

    /// The ids of this session's alerts of the stream are above this one.
    fn session_alerts_after(&self, stream: &StreamKey) -> u64 {
        self.streams.get(stream).map_or(0, |s| s.alerts_after)
    }

    /// A stop just found (alert `root`, of kind `stop`): what it brought on before it was
    /// known (a heartbeat lost, silence, an earlier stop's own consequences) folds under it now,
    /// and so does an earlier stop it supersedes (a pause, once the stream is disabled).
    fn fold_under(&mut self, root: u64, stop: AlertKind, stream: &StreamKey) {
        let since = self.session_alerts_after(stream);
        let moved: Vec<u64> = self
            .alerts
            .iter()
            .filter(|a| {
                &a.stream == stream
                    && a.id > since
                    && a.is_active()
                    && a.folded_under.is_none()
                    && (a.kind.follows(stop) || stop.supersedes(a.kind))
            })
            .map(|a| a.id)
            .collect();
        for alert in &mut self.alerts {
            let folds = moved.contains(&alert.id)
                || alert
                    .folded_under
                    .is_some_and(|under| moved.contains(&under));
            if folds {
                alert.folded_under = Some(root);
                self.changed_alerts.push(alert.id);
            }
        }
    }

    /// The user acknowledged an alert: it leaves the banner and stays in the list. What is
    /// folded under it is acknowledged with it (one incident).
    pub fn acknowledge(&mut self, alert_id: u64) -> Effects {
        for alert in &mut self.alerts {
            if alert.id == alert_id || alert.folded_under == Some(alert_id) {
                alert.acknowledged = true;
                self.changed_alerts.push(alert.id);
            }
        }
        self.effects(Vec::new())
    }

    /// The alerts folded under this one, oldest first.
    pub fn consequences_of(&self, alert_id: u64) -> impl Iterator<Item = &Alert> {
        self.alerts
            .iter()
            .filter(move |a| a.folded_under == Some(alert_id))
    }

    /// Incidents for the banner, newest first: each a cause (no consequence itself) that, or
    /// one of whose consequences, is critical and unacknowledged.
    pub fn banner_alerts(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.iter().rev().filter(|a| {
            a.folded_under.is_none()
                && (a.wants_banner() || self.consequences_of(a.id).any(Alert::wants_banner))
        })
    }
}
