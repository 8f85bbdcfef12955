//! Reading a record's SETs one at a time, without taking its lock or starting a session (a
//! running instance may go on writing: SQLite readers do not block its WAL writer), for
//! `ssf-inspector query`.

use std::path::Path;

use anyhow::Context as _;
use rusqlite::{Connection, OpenFlags};

use super::schema::{SET_COLUMNS, stored_set};
use crate::core::record::SetRecord;
use crate::core::restore;

/// Call `each` with every stored SET, oldest first, until it returns false; returns how many
/// were read.
pub fn each_set(path: &Path, mut each: impl FnMut(SetRecord) -> bool) -> anyhow::Result<u64> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open the record {}", path.display()))?;
    let mut statement = conn
        .prepare(&format!("SELECT {SET_COLUMNS} FROM sets ORDER BY seq"))
        .with_context(|| format!("{} is not an ssf-inspector record", path.display()))?;
    let mut rows = statement.query([])?;
    let mut read = 0;
    while let Some(row) = rows.next()? {
        let stored = stored_set(row)?;
        let seq = stored.seq;
        let record = restore::restore(stored)
            .with_context(|| format!("the stored SET #{seq} cannot be read back"))?;
        read += 1;
        if !each(record) {
            break;
        }
    }
    Ok(read)
}
