//! Files that hold secrets or the record are private: created 0600 (folders 0700), and
//! narrowed to that when they already exist with wider modes. SQLite gives a database's
//! `-wal` and `-shm` files the mode of the database file.

use std::path::Path;

use anyhow::Context as _;

/// Make sure `path` exists as a file readable and writable by its owner only.
pub fn file(path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    narrow(path, 0o600)
}

/// Create `path` (and its parents) as a folder only its owner can enter.
pub fn folder(path: &Path) -> anyhow::Result<()> {
    let existed = path.exists();
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))?;
    if existed {
        return Ok(()); // a folder the user chose keeps its mode
    }
    narrow(path, 0o700)
}

/// Open `path` for writing from scratch (truncated), created 0600.
pub fn create(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    narrow(path, 0o600)?;
    Ok(file)
}

#[cfg(unix)]
fn narrow(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let now = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .permissions()
        .mode()
        & 0o777;
    if now & !mode != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot make {} private", path.display()))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn narrow(_path: &Path, _mode: u32) -> anyhow::Result<()> {
    Ok(())
}
