//! An evidence bundle opened (blocking): its `MANIFEST.sha256` checked against its files, in
//! its folder or inside its zip (each entry hashed as it is read, nothing unpacked), and, for a
//! zip, its capture taken out to a private folder beside the record (a capture is read again at
//! the place of a SET, which a compressed entry cannot give), removed when the file is closed.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::core::bundle::{CAPTURE, MANIFEST, manifest_entries};
use crate::core::opened_info::ManifestCheck;
use crate::runtime::bundle::manifest::{files, sha256_hex};

/// How a zip begins.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether the file is a zip.
pub(super) fn is_zip(path: &Path) -> bool {
    let mut start = [0_u8; 4];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok()
        && start == ZIP_MAGIC
}

/// A private temporary folder holding a zip's capture: removed with it.
pub(super) struct Unzipped {
    folder: PathBuf,
}

impl Unzipped {
    /// The capture taken out.
    pub(super) fn capture(&self) -> PathBuf {
        self.folder.join(CAPTURE)
    }
}

impl Drop for Unzipped {
    fn drop(&mut self) {
        if let Err(err) = std::fs::remove_dir_all(&self.folder) {
            tracing::warn!("{} could not be removed: {err}", self.folder.display());
        }
    }
}

/// Take the capture out of the zip at `path` into a private folder of its own under `into`
/// (0700, 0600).
pub(super) fn unzip_capture(path: &Path, into: &Path) -> anyhow::Result<Unzipped> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .with_context(|| format!("{} is not a readable zip", path.display()))?;
    let mut entry = archive.by_name(CAPTURE).map_err(|_| {
        anyhow::anyhow!(
            "{} holds no {CAPTURE}: it is not an evidence bundle made by ssf-inspector",
            path.display()
        )
    })?;
    let name = format!(
        "ssf-inspector-opened-{}",
        crate::runtime::random::random_hex(8)?
    );
    let unzipped = Unzipped {
        folder: into.join(name),
    };
    crate::runtime::private::folder(&unzipped.folder)?;
    let mut out = crate::runtime::private::create(&unzipped.capture())?;
    std::io::copy(&mut entry, &mut out)
        .with_context(|| format!("cannot take {CAPTURE} out of {}", path.display()))?;
    Ok(unzipped)
}

/// The manifest of the bundle folder `folder` checked against its files.
pub(super) fn check_folder(folder: &Path) -> ManifestCheck {
    let text = match std::fs::read_to_string(folder.join(MANIFEST)) {
        Ok(text) => text,
        Err(err) => return unchecked(format!("{MANIFEST} cannot be read ({err})")),
    };
    let present = match files(folder) {
        Ok(present) => present,
        Err(err) => return unchecked(format!("{err:#}")),
    };
    compare(&text, present, |name| {
        sha256_hex(&folder.join(name)).map_err(|err| format!("{err:#}"))
    })
}

/// The manifest of the bundle zip `path` checked against its entries (hashed as read).
pub(super) fn check_zip(path: &Path) -> ManifestCheck {
    let opened = std::fs::File::open(path)
        .map_err(|err| err.to_string())
        .and_then(|file| {
            zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|err| err.to_string())
        });
    let mut archive = match opened {
        Ok(archive) => archive,
        Err(why) => return unchecked(format!("the zip cannot be read ({why})")),
    };
    let mut text = String::new();
    match archive.by_name(MANIFEST) {
        Ok(mut entry) => {
            if let Err(err) = entry.read_to_string(&mut text) {
                return unchecked(format!("{MANIFEST} cannot be read ({err})"));
            }
        }
        Err(_) => return unchecked(format!("the zip holds no {MANIFEST}")),
    }
    let present: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|name| !name.ends_with('/') && name.as_ref() != MANIFEST)
        .map(|name| name.into_owned())
        .collect();
    compare(&text, present, |name| {
        let mut entry = archive.by_name(name).map_err(|err| err.to_string())?;
        let mut context = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
        let mut buffer = vec![0_u8; 64 * 1024];
        loop {
            let read = entry.read(&mut buffer).map_err(|err| err.to_string())?;
            if read == 0 {
                break;
            }
            context.update(buffer.get(..read).unwrap_or_default());
        }
        Ok(hex::encode(context.finish().as_ref()))
    })
}

fn unchecked(why: String) -> ManifestCheck {
    ManifestCheck {
        unchecked: Some(why),
        ..ManifestCheck::default()
    }
}

/// The manifest `text` against the files `present`, each hashed by `digest`.
fn compare(
    text: &str,
    present: Vec<String>,
    mut digest: impl FnMut(&str) -> Result<String, String>,
) -> ManifestCheck {
    let listed = match manifest_entries(text) {
        Ok(listed) => listed,
        Err(why) => return unchecked(format!("{MANIFEST}: {why}")),
    };
    let mut present: BTreeSet<String> = present.into_iter().collect();
    let mut check = ManifestCheck {
        listed: listed.len(),
        ..ManifestCheck::default()
    };
    for (expected, name) in listed {
        if !present.remove(&name) {
            check.missing.push(name);
            continue;
        }
        match digest(&name) {
            Ok(found) if found == expected => {}
            Ok(_) => check.changed.push(name),
            Err(why) => check.changed.push(format!("{name} (unreadable: {why})")),
        }
    }
    check.unlisted = present.into_iter().collect();
    check
}
