//! Export the record as JSON Lines (one object per SET, raw token included), to a path or to
//! one the user picks in a native save dialog.

use std::path::PathBuf;

use std::io::Write as _;

use anyhow::Context as _;

use crate::bridge::UpdateSender;
use crate::core::filter::Filter;
use crate::core::update::NoticeLevel;
use crate::runtime::record::RecordStore;

/// Write every stored SET to `path`, one line as each is read (a record of a million SETs is
/// never held in memory whole); returns how many were written.
pub async fn write_jsonl(store: &RecordStore, path: &std::path::Path) -> anyhow::Result<usize> {
    write_matching(store, path, None).await
}

/// [`write_jsonl`] of only the SETs `filter` matches (each checked whole, claims included).
pub async fn write_matching(
    store: &RecordStore,
    path: &std::path::Path,
    filter: Option<Filter>,
) -> anyhow::Result<usize> {
    let (reader, target) = (store.clone(), path.to_owned());
    let now = crate::core::time::UnixMillis::now();
    tokio::task::spawn_blocking(move || {
        // The record's SETs carry subjects: the export is as private as the record.
        let file = crate::runtime::private::create(&target)?;
        let mut out = std::io::BufWriter::new(file);
        let mut written = 0;
        let mut failed = None;
        reader.each_stored(|record| {
            if filter.as_ref().is_some_and(|f| !f.matches(record, now)) {
                return true;
            }
            let line = record.json_line(true);
            match writeln!(out, "{line}") {
                Ok(()) => {
                    written += 1;
                    true
                }
                Err(err) => {
                    failed = Some(err);
                    false
                }
            }
        })?;
        if let Some(err) = failed {
            return Err(err.into());
        }
        std::io::Write::flush(&mut out)?;
        anyhow::Ok(written)
    })
    .await
    .context("the export was interrupted")?
    .with_context(|| format!("could not write {}", path.display()))
}

/// A relative path is taken from the home folder (the window's path field), not from wherever
/// the app was started.
pub(crate) fn in_home(path: PathBuf) -> PathBuf {
    if path.is_relative()
        && let Some(dirs) = directories::UserDirs::new()
    {
        return dirs.home_dir().join(path);
    }
    path
}

/// Where to write a JSON Lines file: `path` (relative: in the home folder), or where the
/// desktop's save dialog asks when there is none (`None`: cancelled, or no dialog).
pub(crate) async fn where_to(
    path: Option<PathBuf>,
    title: &str,
    file_name: &str,
) -> Option<PathBuf> {
    match path {
        Some(path) => Some(in_home(path)),
        None => rfd::AsyncFileDialog::new()
            .set_title(title)
            .set_file_name(file_name)
            .add_filter("JSON Lines", &["jsonl"])
            .save_file()
            .await
            .map(|handle| handle.path().to_path_buf()),
    }
}

/// Ask where to save (unless `path` is given), write (only what `filter` matches, when given),
/// and report the outcome as a notice that says which SETs were written.
pub async fn export(
    store: RecordStore,
    path: Option<PathBuf>,
    filter: Option<String>,
    updates: UpdateSender,
) {
    let compiled = match filter.as_deref().map(Filter::parse).transpose() {
        Ok(compiled) => compiled,
        Err(err) => {
            let text = format!("Export not done: the filter does not parse ({err})");
            updates.notice(NoticeLevel::Error, text).await;
            return;
        }
    };
    let path = where_to(
        path,
        "Export SETs as JSON Lines",
        "ssf-inspector-record.jsonl",
    )
    .await;
    let Some(path) = path else {
        let text = "Export cancelled, or no file dialog is available on this desktop: give a \
                    path in the Export window instead"
            .to_owned();
        updates.notice(NoticeLevel::Info, text).await;
        return;
    };
    let notice = match write_matching(&store, &path, compiled).await {
        Ok(count) => (
            NoticeLevel::Info,
            match &filter {
                Some(filter) => format!(
                    "Exported the {count} SETs the filter {filter} matches to {}",
                    path.display()
                ),
                None => format!("Exported all {count} SETs to {}", path.display()),
            },
        ),
        Err(err) => (NoticeLevel::Error, format!("Export failed: {err:#}")),
    };
    updates.notice(notice.0, notice.1).await;
}
