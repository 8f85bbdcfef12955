//! One process at a time per record, by whatever name it is asked for. Two writers would
//! interleave their writes and take each other's open runs for lost ones; two writers through
//! two names (a hard link) would even keep two journals, since SQLite names the `-wal` after
//! the name it opened, and lose rows.
//!
//! - The lock file `<record>.lock` sits beside the record's real path (symlinks and `..`
//!   resolved), so a symlink to the record, or a path through a symlinked folder, finds the
//!   lock its holder took.
//! - On Linux the record file itself is locked too (`flock`): that lock is the file's, shared
//!   by every name it has (hard links). It is independent of the POSIX locks SQLite takes on
//!   the same file, and of readers like `query` — except on file systems that make `flock` a
//!   POSIX lock (NFS, SMB), where it would stop this process's own SQLite: that is tried
//!   first, and there, as on other systems, a record with more than one name is refused
//!   instead.
//!
//! What is held must outlive the SQLite connection (the writer thread drops it last): closing
//! a file drops every POSIX lock this process holds on it, SQLite's included.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;

/// How long a lock held by a handle that is closing is waited for, in tries of `PAUSE`.
const TRIES: u32 = 20;
const PAUSE: Duration = Duration::from_millis(100);

/// The record's locks, held until dropped.
pub(super) struct Held {
    _beside: File,
    _file: Option<File>,
}

/// Take the record's locks (blocking: the writer thread only), waiting up to two seconds for
/// a handle that is closing; else say that another instance holds the record, in the same
/// words whichever name `path` is.
pub(super) fn take(path: &Path) -> anyhow::Result<Held> {
    let real = std::fs::canonicalize(path)
        .with_context(|| format!("cannot find the record {}", path.display()))?;
    let mut name = real.as_os_str().to_owned();
    name.push(".lock");
    let beside = PathBuf::from(name);
    crate::runtime::private::file(&beside)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&beside)
        .with_context(|| format!("cannot create the lock file {}", beside.display()))?;
    if !wait_for(&file, &beside)? {
        return Err(in_use(path));
    }
    Ok(Held {
        _beside: file,
        _file: every_name(path, &real)?,
    })
}

/// The words for a record another instance holds.
fn in_use(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "the record {} is in use by another ssf-inspector: close it, or give this one another data folder (SSF_INSPECTOR_DATA_DIR)",
        path.display()
    )
}

/// Lock `file` exclusively; false when another handle still holds it after two seconds.
fn wait_for(file: &File, what: &Path) -> anyhow::Result<bool> {
    for _ in 0..TRIES {
        match file.try_lock() {
            Ok(()) => return Ok(true),
            Err(std::fs::TryLockError::WouldBlock) => std::thread::sleep(PAUSE),
            Err(std::fs::TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("cannot lock {}", what.display()));
            }
        }
    }
    Ok(false)
}

/// The lock every name of the record shares: the record file's own `flock`, where it leaves
/// SQLite's locks alone.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn every_name(path: &Path, real: &Path) -> anyhow::Result<Option<File>> {
    use rustix::fs::{FlockOperation, fcntl_lock};
    let file =
        File::open(real).with_context(|| format!("cannot open the record {}", path.display()))?;
    if !wait_for(&file, real)? {
        return Err(in_use(path));
    }
    // Does this process still get a POSIX lock on the file? Not where `flock` is one.
    // (Before SQLite opens it, so the unlock drops no lock of SQLite's.)
    if fcntl_lock(&file, FlockOperation::NonBlockingLockShared).is_ok() {
        fcntl_lock(&file, FlockOperation::NonBlockingUnlock)
            .with_context(|| format!("cannot unlock {}", real.display()))?;
        warn_other_names(path, real);
        return Ok(Some(file));
    }
    drop(file);
    one_name_only(path, real)?;
    Ok(None)
}

/// Where the file's own lock would stop SQLite's, a record with other names is refused.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn every_name(path: &Path, real: &Path) -> anyhow::Result<Option<File>> {
    one_name_only(path, real)?;
    Ok(None)
}

/// How many names (hard links) the record file has; 1 where that cannot be told.
#[cfg(unix)]
fn names(real: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(real).map_or(1, |m| m.nlink())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn warn_other_names(path: &Path, real: &Path) {
    let names = names(real);
    if names > 1 {
        tracing::warn!(
            "the record {} has {names} names (hard links): open it by one name only, since \
             SQLite keeps its journal beside the name it opened",
            path.display()
        );
    }
}

/// Refuse a record file with more than one name, which cannot be locked under all of them.
#[cfg(unix)]
fn one_name_only(path: &Path, real: &Path) -> anyhow::Result<()> {
    let names = names(real);
    if names > 1 {
        anyhow::bail!(
            "the record {} has {names} names (hard links), and this system cannot lock a file \
             under all of them: another ssf-inspector may be using it under another name, and \
             SQLite keeps a journal beside each name. Keep one name (remove the other links, or \
             copy the file), then retry",
            path.display()
        );
    }
    Ok(())
}

/// Windows: a hard link to the record is not told apart (the lock file beside its real path
/// covers symlinks).
#[cfg(not(unix))]
fn one_name_only(_path: &Path, _real: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Where the file's own lock cannot be held, a record with a second name is refused with
    /// both the name asked for and what to do; one name is fine.
    #[test]
    fn a_record_with_other_names_is_refused_where_they_cannot_be_locked() {
        // The lib tests have no CARGO_TARGET_TMPDIR: a folder of their own under target/.
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/lock-names");
        std::fs::remove_dir_all(&folder).ok();
        std::fs::create_dir_all(&folder).expect("folder");
        let record = folder.join("record.sqlite");
        std::fs::write(&record, b"").expect("record");
        assert!(one_name_only(&record, &record).is_ok(), "one name");
        let other = folder.join("other.sqlite");
        std::fs::hard_link(&record, &other).expect("hard link");
        let err = one_name_only(&other, &other).expect_err("two names");
        let text = format!("{err:#}");
        assert!(text.contains(&other.display().to_string()), "{text}");
        assert!(text.contains("2 names (hard links)"), "{text}");
        assert!(text.contains("Keep one name"), "{text}");
        std::fs::remove_dir_all(&folder).ok();
    }
}
