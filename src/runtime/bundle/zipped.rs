//! A bundle folder written into a `.zip` (deflated, entries 0600 and folders 0700 when
//! unzipped on Unix), the manifest last.

use std::path::Path;

use anyhow::Context as _;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// Write the files of `folder` named in `files` (relative, `/` between folders) into a new
/// zip at `out` (created 0600).
pub fn write(folder: &Path, files: &[String], out: &Path) -> anyhow::Result<()> {
    let file = crate::runtime::private::create(out)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o600);
    let mut folders: Vec<&str> = Vec::new();
    for name in files {
        if let Some((parent, _)) = name.rsplit_once('/')
            && !folders.contains(&parent)
        {
            zip.add_directory(format!("{parent}/"), options.unix_permissions(0o700))
                .with_context(|| format!("cannot write {}", out.display()))?;
            folders.push(parent);
        }
        zip.start_file(name.as_str(), options)
            .with_context(|| format!("cannot write {}", out.display()))?;
        let mut input = std::fs::File::open(folder.join(name))
            .with_context(|| format!("cannot read {name}"))?;
        std::io::copy(&mut input, &mut zip)
            .with_context(|| format!("cannot write {}", out.display()))?;
    }
    let mut written = zip
        .finish()
        .with_context(|| format!("cannot write {}", out.display()))?;
    std::io::Write::flush(&mut written).with_context(|| format!("cannot write {}", out.display()))
}
