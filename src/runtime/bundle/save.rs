//! The window's *Export evidence…* (`Command::ExportBundle`): ask where (unless a path is
//! given), write the bundle of the record on disk (the filtered view, or one incident found in
//! the record by its stop) and say what was written in a notice.

use std::path::{Path, PathBuf};

use crate::bridge::UpdateSender;
use crate::core::bundle::incident::IncidentRef;
use crate::core::bundle::selection;
use crate::core::filter::Filter;
use crate::core::incident_story::count;
use crate::core::record_health::RecordHealth;
use crate::core::update::NoticeLevel;
use crate::runtime::capture::{Saving, register_profile_secrets};
use crate::runtime::profiles::ProfileFiles;

/// The file name the save dialog offers.
pub const FILE_NAME: &str = "ssf-inspector-evidence.zip";

/// What the window asked for.
pub struct Asked {
    /// Where (`None`: the save dialog; relative: in the home folder).
    pub path: Option<PathBuf>,
    /// The filter in force, when there is one (not used for an incident).
    pub filter: Option<String>,
    /// The incident, when one is asked for.
    pub incident: Option<IncidentRef>,
}

/// Where the bundle goes: the path given, or where the desktop's save dialog says.
async fn where_to(path: Option<PathBuf>) -> Option<PathBuf> {
    match path {
        Some(path) => Some(crate::runtime::export::in_home(path)),
        None => rfd::AsyncFileDialog::new()
            .set_title("Export evidence")
            .set_file_name(FILE_NAME)
            .add_filter("Zip", &["zip"])
            .save_file()
            .await
            .map(|handle| handle.path().to_path_buf()),
    }
}

/// Ask where, write the bundle, and say what was written (or why not) in a notice.
pub async fn save(saving: Saving, asked: Asked, updates: UpdateSender) {
    let RecordHealth::Durable { path: record } = saving.health else {
        let text = "Evidence not exported: a bundle is read from the record on disk, and this \
                    session keeps its SETs in memory"
            .to_owned();
        updates.notice(NoticeLevel::Error, text).await;
        return;
    };
    let filter = if asked.incident.is_some() {
        None
    } else {
        asked.filter
    };
    let compiled = match filter.as_deref().map(Filter::parse).transpose() {
        Ok(compiled) => compiled,
        Err(err) => {
            let text = format!("Evidence not exported: the filter does not parse ({err})");
            updates.notice(NoticeLevel::Error, text).await;
            return;
        }
    };
    let Some(out) = where_to(asked.path).await else {
        let text = "Evidence export cancelled, or no file dialog is available on this desktop: \
                    give a path in the Export window instead"
            .to_owned();
        updates.notice(NoticeLevel::Info, text).await;
        return;
    };
    let target = out.clone();
    let incident = asked.incident;
    let written = tokio::task::spawn_blocking(move || {
        let record = Path::new(&record);
        let incident = match &incident {
            Some(wanted) => Some(super::incidents(record)?.find(wanted).cloned().ok_or_else(
                || anyhow::anyhow!("the record holds no stop #{} of that time", wanted.alert),
            )?),
            None => None,
        };
        let files = ProfileFiles::at(saving.config.as_deref())?;
        let profiles = files.load().unwrap_or_default();
        register_profile_secrets(&files, &profiles);
        let source = super::BundleSource {
            record,
            filter: compiled.as_ref().zip(filter.as_deref()),
            scope: incident.as_ref().map(|i| i.scope()).unwrap_or_default(),
            selection: selection(filter.as_deref(), None, None, incident.as_ref()),
            profiles: &profiles,
            saved_by: "ssf-inspector window",
        };
        super::write(&source, &target).map(|bundled| (bundled, incident.map(|i| i.id)))
    })
    .await;
    let notice = match written {
        Ok(Ok((bundled, id))) => {
            let w = bundled.written;
            let n = |n: u64, one: &str, many: &str| {
                count(usize::try_from(n).unwrap_or(usize::MAX), one, many)
            };
            let text = format!(
                "Exported the evidence of {}{} ({}, {}, {}, {}; {} files under \
                 MANIFEST.sha256) to {}",
                id.map_or_else(String::new, |id| format!("incident {id}: ")),
                n(w.sets, "SET", "SETs"),
                n(w.alerts, "alert", "alerts"),
                n(w.statuses, "status change", "status changes"),
                n(w.markers, "marker", "markers"),
                n(w.exchanges, "exchange", "exchanges"),
                bundled.files.len(),
                out.display()
            );
            (NoticeLevel::Info, text)
        }
        Ok(Err(err)) => (
            NoticeLevel::Error,
            format!("Evidence export failed: {err:#}"),
        ),
        Err(err) => (
            NoticeLevel::Error,
            format!("Evidence export interrupted: {err}"),
        ),
    };
    updates.notice(notice.0, notice.1).await;
}
