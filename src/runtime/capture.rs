//! Writing a capture (`core::capture`) from a record on disk, read without its lock: the header
//! (the profiles, the snapshots the record's GET exchanges hold), then every SET a filter
//! matches (all without one), each written as it is read (a million SETs are never held), then
//! the alerts, status changes and markers, then the exchanges: all of them for the whole record;
//! for a filtered capture only those that carried its SETs or prove its alerts and status
//! changes (their ids are
//! the one thing held per SET). A [`Scope`] narrows it further (a span of time, a stream, an
//! incident's alerts: an evidence bundle's, `runtime::bundle`).

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::core::capture::{Header, Scope, lines};
use crate::core::filter::Filter;
use crate::core::profile::{ManagementAuth, Profile, SecretRef};
use crate::core::time::UnixMillis;
use crate::runtime::profiles::ProfileFiles;
use crate::runtime::record::{capture_rows, query};

/// What a capture holds, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// SETs.
    pub sets: u64,
    /// SETs looked at (the record's).
    pub read: u64,
    /// Exchanges.
    pub exchanges: u64,
    /// Alerts.
    pub alerts: u64,
    /// Status changes.
    pub statuses: u64,
    /// Markers.
    pub markers: u64,
}

impl Written {
    /// What was written, in words: `4 of 5 SETs, 3 exchanges, 1 alert, 2 status changes, 2 markers`.
    pub fn words(&self) -> String {
        let n = |n: u64, one: &str, many: &str| {
            crate::core::incident_story::count(usize::try_from(n).unwrap_or(usize::MAX), one, many)
        };
        format!(
            "{} of {}, {}, {}, {}, {}",
            crate::core::incident_story::thousands(
                usize::try_from(self.sets).unwrap_or(usize::MAX)
            ),
            n(self.read, "SET", "SETs"),
            n(self.exchanges, "exchange", "exchanges"),
            n(self.alerts, "alert", "alerts"),
            n(self.statuses, "status change", "status changes"),
            n(self.markers, "marker", "markers"),
        )
    }
}

/// What to write and where from.
pub struct CaptureSource<'a> {
    /// The record file.
    pub record: &'a Path,
    /// The filter and its text, when only what it matches is kept.
    pub filter: Option<(&'a Filter, &'a str)>,
    /// The transmitter profiles, for the header.
    pub profiles: &'a [Profile],
    /// Who saves it (`ssf-inspector capture`, the window).
    pub saved_by: &'a str,
    /// The part of the record kept (the whole record by default).
    pub scope: Scope,
    /// The scope in words, for the header (`None` for the whole record).
    pub selection: Option<&'a str>,
}

/// Every secret reference of the profiles resolved (where it can be) and so registered: a
/// value that reached the record is scrubbed from the capture too. One that cannot be resolved
/// is left (the record was written scrubbed of the values known then).
pub fn register_profile_secrets(files: &ProfileFiles, profiles: &[Profile]) {
    for profile in profiles {
        let mut refs: Vec<&SecretRef> = profile.push_authorization.iter().collect();
        match &profile.auth {
            ManagementAuth::None => {}
            ManagementAuth::Bearer { token } => refs.push(token),
            ManagementAuth::ClientCredentials { client_secret, .. } => refs.push(client_secret),
        }
        for secret in refs {
            // Registered by resolving; a reference that cannot be resolved has nothing to scrub.
            files.resolve(secret).ok();
        }
    }
}

/// Write the capture to `out` (created 0600: it holds what the record holds). Blocking.
pub fn write(source: &CaptureSource<'_>, out: &Path) -> anyhow::Result<Written> {
    let now = UnixMillis::now();
    let name = source
        .record
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut header = Header::new(source.saved_by, &name, source.filter.map(|f| f.1), now)
        .with_selection(source.selection)
        .with_profiles(source.profiles);
    capture_rows::each_exchange(source.record, true, |exchange| {
        header.add_snapshot(&exchange);
        true
    })?;
    let file = crate::runtime::private::create(out)?;
    let mut writer = std::io::BufWriter::new(file);
    let mut failed: Option<std::io::Error> = None;
    let mut put = |line: String| {
        if failed.is_none()
            && let Err(err) = writeln!(writer, "{line}")
        {
            failed = Some(err);
        }
        failed.is_none()
    };
    let mut written = Written::default();
    put(header.line());
    let scope = &source.scope;
    let narrowed = source.filter.is_some() || !scope.is_whole();
    let mut wanted: HashSet<u64> = HashSet::new();
    let mut each_set = |record: crate::core::record::SetRecord| {
        if !scope.holds_set(&record) {
            return true;
        }
        written.sets += 1;
        if narrowed && let Some(id) = record.exchange {
            wanted.insert(id);
        }
        put(lines::set_line(&record))
    };
    written.read = match source.filter {
        Some((filter, _)) => query::each_matching(source.record, filter, now, &mut each_set)?,
        None => query::each_set(source.record, &mut each_set)?,
    };
    capture_rows::each_alert(source.record, |session, alert| {
        if !scope.holds_alert(session, &alert) {
            return;
        }
        written.alerts += 1;
        wanted.extend(alert.evidence_exchange);
        put(lines::alert_line(Some(session), &alert));
    })?;
    capture_rows::each_status(source.record, |change| {
        if !scope.holds(&change.stream, change.at) {
            return;
        }
        written.statuses += 1;
        if narrowed {
            wanted.extend(change.exchange);
        }
        put(lines::status_line(&change));
    })?;
    capture_rows::each_marker(source.record, |marker| {
        if !scope.holds(&marker.stream, marker.at) {
            return;
        }
        written.markers += 1;
        put(lines::marker_line(&marker));
    })?;
    capture_rows::each_exchange(source.record, false, |exchange| {
        if !narrowed || wanted.contains(&exchange.id) {
            written.exchanges += 1;
            return put(lines::exchange_line(&exchange));
        }
        true
    })?;
    if let Some(err) = failed {
        return Err(err).with_context(|| format!("could not write {}", out.display()));
    }
    writer
        .flush()
        .with_context(|| format!("could not write {}", out.display()))?;
    Ok(written)
}

/// What the window's *Save capture…* reads: the record's health (a capture is read from the
/// record on disk) and the profiles' folder.
pub struct Saving {
    /// The record's health now.
    pub health: crate::core::record_health::RecordHealth,
    /// The profiles' folder (`None`: the user's).
    pub config: Option<PathBuf>,
}

/// The window's *Save capture…*: ask where (unless `path` is given), write the capture (only
/// the SETs `filter` matches, when given) and say what was written in a notice.
pub async fn save(
    saving: Saving,
    path: Option<PathBuf>,
    filter: Option<String>,
    updates: crate::bridge::UpdateSender,
) {
    use crate::core::update::NoticeLevel;
    let crate::core::record_health::RecordHealth::Durable { path: record } = saving.health else {
        let text = "Capture not saved: a capture is read from the record on disk, and this \
                    session keeps its SETs in memory (Export saves them as JSON Lines)"
            .to_owned();
        updates.notice(NoticeLevel::Error, text).await;
        return;
    };
    let compiled = match filter.as_deref().map(Filter::parse).transpose() {
        Ok(compiled) => compiled,
        Err(err) => {
            let text = format!("Capture not saved: the filter does not parse ({err})");
            updates.notice(NoticeLevel::Error, text).await;
            return;
        }
    };
    let out =
        crate::runtime::export::where_to(path, "Save a capture", "ssf-inspector-capture.jsonl")
            .await;
    let Some(out) = out else {
        let text = "Capture cancelled, or no file dialog is available on this desktop: give a \
                    path in the window instead"
            .to_owned();
        updates.notice(NoticeLevel::Info, text).await;
        return;
    };
    let target = out.clone();
    let written = tokio::task::spawn_blocking(move || {
        let files = ProfileFiles::at(saving.config.as_deref())?;
        let profiles = files.load().unwrap_or_default();
        register_profile_secrets(&files, &profiles);
        let source = CaptureSource {
            record: Path::new(&record),
            filter: compiled.as_ref().zip(filter.as_deref()),
            profiles: &profiles,
            saved_by: "ssf-inspector window",
            scope: Scope::default(),
            selection: None,
        };
        write(&source, &target)
    })
    .await;
    let notice = match written {
        Ok(Ok(written)) => (
            NoticeLevel::Info,
            format!(
                "Saved a capture of {} to {}",
                written.words(),
                out.display()
            ),
        ),
        Ok(Err(err)) => (NoticeLevel::Error, format!("Capture failed: {err:#}")),
        Err(err) => (NoticeLevel::Error, format!("Capture interrupted: {err}")),
    };
    updates.notice(notice.0, notice.1).await;
}
