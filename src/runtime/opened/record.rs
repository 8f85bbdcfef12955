//! A record file opened in the window (blocking reads), read-only and without its lock, as
//! `query` reads one: another instance may be writing it. What it holds is told as a reopened
//! record's is (SETs as what they concluded, markers, the latest exchanges, alerts, status
//! changes); one SET is read again by its number, and the filter's free text is checked in it.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::capture::file_name;
use super::sink::Sink;
use crate::core::capture::Header;
use crate::core::opened_info::{OpenedHeader, OpenedKind};
use crate::core::state::EXCHANGES_KEPT;
use crate::core::update::{OpenedUpdate, Update};
use crate::runtime::record::{capture_rows, query};

/// How many SETs one part carries.
const SETS_PER_PART: usize = 2048;

/// Read the whole record, telling the window as it goes; returns how many SETs it holds when
/// it was read to its end.
pub(super) fn load(path: &Path, sink: &Sink) -> Option<usize> {
    let header = OpenedHeader {
        name: file_name(path),
        path: path.display().to_string(),
        kind: Some(OpenedKind::Record),
        saved: None,
    };
    if !sink.send(OpenedUpdate::Began(Box::new(header))) {
        return None;
    }
    match read_all(path, sink) {
        Ok(read) => read,
        Err(err) => {
            sink.send(OpenedUpdate::Failed(format!("{err:#}")));
            None
        }
    }
}

fn read_all(path: &Path, sink: &Sink) -> anyhow::Result<Option<usize>> {
    let mut going = true;
    let total = query::each_summary(path, SETS_PER_PART, |part| {
        going = sink.part(Update::Reloaded(part));
        going
    })?;
    if !going {
        return Ok(None);
    }
    let mut markers = Vec::new();
    capture_rows::each_marker(path, |marker| markers.push(marker))?;
    let mut alerts = Vec::new();
    capture_rows::each_alert(path, |_, alert| alerts.push(alert))?;
    let mut statuses = Vec::new();
    capture_rows::each_status(path, |change| statuses.push(change))?;
    // The window keeps the latest exchanges (the rest stay in the file).
    let mut exchanges = VecDeque::with_capacity(EXCHANGES_KEPT);
    capture_rows::each_exchange(path, false, |exchange| {
        if exchanges.len() == EXCHANGES_KEPT {
            exchanges.pop_front();
        }
        exchanges.push_back(Arc::new(exchange));
        true
    })?;
    let told = sink.history(markers, exchanges, alerts, statuses);
    Ok(told.then_some(total))
}

/// The key sets a record holds, as a capture of it would carry them: the snapshots its GET
/// exchanges hold.
pub(super) fn key_snapshots(path: &Path) -> anyhow::Result<Header> {
    let mut header = Header::new("", "", None, crate::core::time::UnixMillis(0));
    capture_rows::each_exchange(path, true, |exchange| {
        header.add_snapshot(&exchange);
        true
    })?;
    Ok(header)
}

/// An opened record: its path.
pub(super) struct OpenedRecord {
    pub(super) path: PathBuf,
}
