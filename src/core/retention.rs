//! How much the record keeps: the user's limits on the age and the number of SETs. What falls
//! outside them is pruned when the record is opened, and what was pruned is said.

use super::time::UnixMillis;

/// The record's limits (none by default: everything is kept).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retention {
    /// Keep SETs (and exchanges, statuses, markers, alerts) received within this many days.
    pub max_age_days: Option<u32>,
    /// Keep at most this many SETs, the newest.
    pub max_sets: Option<u64>,
}

impl Retention {
    /// True when nothing is ever pruned.
    pub fn keeps_everything(&self) -> bool {
        self.max_age_days.is_none() && self.max_sets.is_none()
    }

    /// The oldest time kept, when an age limit is set.
    pub fn cutoff(&self, now: UnixMillis) -> Option<UnixMillis> {
        self.max_age_days
            .map(|days| UnixMillis(now.0.saturating_sub(i64::from(days) * 86_400_000)))
    }

    /// The limits in words ("30 days, 1000000 SETs").
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(days) = self.max_age_days {
            parts.push(format!("{days} day(s)"));
        }
        if let Some(sets) = self.max_sets {
            parts.push(format!("{sets} SETs"));
        }
        if parts.is_empty() {
            "everything".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// What opening the record pruned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// SETs removed.
    pub sets: u64,
    /// HTTP exchanges removed.
    pub exchanges: u64,
    /// Status changes, markers and alerts removed.
    pub other: u64,
}

impl Pruned {
    /// True when nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.sets == 0 && self.exchanges == 0 && self.other == 0
    }
}
