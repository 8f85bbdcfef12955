//! Export the record as JSON Lines (one object per SET, raw token included), to a path or to
//! one the user picks in a native save dialog.

use std::path::PathBuf;

use std::io::Write as _;

use anyhow::Context as _;

use crate::bridge::UpdateSender;
use crate::core::update::NoticeLevel;
use crate::runtime::record::RecordStore;

/// Write every stored SET to `path`, one line as each is read (a record of a million SETs is
/// never held in memory whole); returns how many were written.
pub async fn write_jsonl(store: &RecordStore, path: &std::path::Path) -> anyhow::Result<usize> {
    let (reader, target) = (store.clone(), path.to_owned());
    tokio::task::spawn_blocking(move || {
        // The record's SETs carry subjects: the export is as private as the record.
        let file = crate::runtime::private::create(&target)?;
        let mut out = std::io::BufWriter::new(file);
        let mut written = 0;
        let mut failed = None;
        reader.each_stored(|record| {
            let line = record.to_json(true).to_string();
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

/// Ask where to save (unless `path` is given), write, and report the outcome as a notice.
pub async fn export(store: RecordStore, path: Option<PathBuf>, updates: UpdateSender) {
    let path = match path {
        Some(path) => Some(path),
        None => rfd::AsyncFileDialog::new()
            .set_title("Export SETs as JSON Lines")
            .set_file_name("ssf-inspector-record.jsonl")
            .add_filter("JSON Lines", &["jsonl"])
            .save_file()
            .await
            .map(|handle| handle.path().to_path_buf()),
    };
    let Some(path) = path else {
        let text = "Export cancelled (or no file dialog is available on this desktop)".to_owned();
        updates.notice(NoticeLevel::Info, text).await;
        return;
    };
    let notice = match write_jsonl(&store, &path).await {
        Ok(count) => (
            NoticeLevel::Info,
            format!("Exported {count} SETs to {}", path.display()),
        ),
        Err(err) => (NoticeLevel::Error, format!("Export failed: {err:#}")),
    };
    updates.notice(notice.0, notice.1).await;
}
