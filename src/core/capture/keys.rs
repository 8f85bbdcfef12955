//! The key sets a capture carries (its JWKS snapshots), to check its SETs again: each SET with
//! the key set of its stream fetched last before it arrived (or, when none was fetched before,
//! the first after), so a capture made across a key rotation checks each SET with the keys of
//! its time. A key set fetched for no stream in particular serves a stream that has none.

use super::super::record::{SetRecord, StreamKey};
use super::super::time::UnixMillis;
use super::super::verify::{self, AlgorithmPolicy, KeySet, Verdict};
use super::header::{Header, SnapshotKind};

/// The usable key sets, each with its stream and when it was fetched, oldest first.
#[derive(Default)]
pub struct CaptureKeys {
    sets: Vec<(Option<StreamKey>, UnixMillis, KeySet)>,
    policy: AlgorithmPolicy,
}

impl CaptureKeys {
    /// The key sets of a capture's header (a snapshot that is no usable JWKS is left out).
    pub fn of(header: &Header) -> Self {
        let mut sets: Vec<_> = header
            .snapshots
            .iter()
            .filter(|snapshot| snapshot.kind == SnapshotKind::Jwks)
            .filter_map(|snapshot| {
                let keys = KeySet::from_jwks(&snapshot.body).ok()?;
                Some((
                    snapshot.stream.clone(),
                    UnixMillis(snapshot.fetched_at_ms),
                    keys,
                ))
            })
            .collect();
        sets.sort_by_key(|(_, at, _)| *at);
        Self {
            sets,
            policy: AlgorithmPolicy::default(),
        }
    }

    /// How many key sets there are.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The key set for a SET of `stream` received at `at`.
    fn for_set(&self, stream: &StreamKey, at: UnixMillis) -> Option<&KeySet> {
        let of_stream = |wanted: Option<&StreamKey>| {
            let mine = || {
                self.sets
                    .iter()
                    .filter(move |(s, _, _)| s.as_ref() == wanted)
            };
            mine()
                .rev()
                .find(|(_, fetched, _)| *fetched <= at)
                .or_else(|| mine().next())
                .map(|(_, _, keys)| keys)
        };
        of_stream(Some(stream)).or_else(|| of_stream(None))
    }

    /// The SET's verdict with the key set of its time; `None` when the capture has none for
    /// its stream. A SET that cannot be decoded keeps the verdict it has.
    pub fn verdict(&self, record: &SetRecord) -> Option<Verdict> {
        let keys = self.for_set(&record.stream, record.received_at)?;
        Some(match &record.jws {
            Some(jws) => verify::verify(jws, keys, &self.policy).verdict,
            None => record.verification.verdict,
        })
    }
}
