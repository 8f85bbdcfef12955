//! A bundle's `MANIFEST.sha256`: the SHA-256 (aws-lc-rs) of every other file of the folder, one
//! line each in the text-mode format `sha256sum -c` checks, sorted by path.

use std::io::Read as _;
use std::path::Path;

use anyhow::Context as _;

use crate::core::bundle::{MANIFEST, manifest_line};

/// The file's SHA-256 in lower-case hex, read a part at a time.
pub fn sha256_hex(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut context = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        context.update(buffer.get(..n).unwrap_or_default());
    }
    Ok(hex::encode(context.finish().as_ref()))
}

/// Every file under `folder` but the manifest, as paths relative to it with `/` between
/// folders, sorted.
pub fn files(folder: &Path) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![(folder.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = format!("{prefix}{name}");
            if entry.file_type()?.is_dir() {
                pending.push((entry.path(), format!("{relative}/")));
            } else if relative != MANIFEST {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Write the manifest over every other file of `folder` (0600); returns the files it names.
pub fn write(folder: &Path) -> anyhow::Result<Vec<String>> {
    let files = files(folder)?;
    let mut text = String::new();
    for file in &files {
        text.push_str(&manifest_line(&sha256_hex(&folder.join(file))?, file));
    }
    let path = folder.join(MANIFEST);
    let mut out = crate::runtime::private::create(&path)?;
    std::io::Write::write_all(&mut out, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(files)
}
