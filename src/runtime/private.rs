//! Everything the app creates is private: files created 0600 (folders 0700, parents made on
//! the way too), and narrowed to that when they already exist with wider modes. SQLite gives a database's
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

/// Create `path` (and every parent it lacks) as a folder only its owner can enter. A folder
/// that exists already keeps its mode: the user chose it.
pub fn folder(path: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    narrow(path, 0o700)
}

/// The window's state file, `window.ron` in `folder`, made private (and its folder) before
/// eframe writes it: eframe writes with `File::create`, which keeps the mode of a file that
/// exists but makes a new one readable by all.
pub fn window_state(folder: &Path) -> anyhow::Result<std::path::PathBuf> {
    self::folder(folder)?;
    let path = folder.join("window.ron");
    file(&path)?;
    Ok(path)
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
