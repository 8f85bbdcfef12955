//! A capture opened in the window (blocking reads): read once from start to end, its SETs told
//! as what they concluded (a part at a time, so the first rows show at once) and the place of
//! each line kept, so one SET is read again whole for the details and the filter's free text is
//! checked against the SETs themselves; its lines that cannot be read are told and skipped.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::RwLock;

use super::sink::Sink;
use crate::core::capture::{Header, Item, Reader};
use crate::core::filter::Filter;
use crate::core::opened_info::{OpenedHeader, OpenedKind, Saved};
use crate::core::record::SetRecord;
use crate::core::set_summary::SetSummary;
use crate::core::time::UnixMillis;
use crate::core::update::{OpenedUpdate, Update};

/// How many SETs one part carries.
const SETS_PER_PART: usize = 2048;

/// Where the numbers of SETs whose own number an earlier line has begin: far above any record's,
/// so no later line's own number is taken.
const REPEATED_FROM: u64 = 1 << 40;

/// How many answers to a filter check go in one update.
const ANSWERS_PER_PART: usize = 4096;

/// A reader that counts the bytes taken, so the start of each line is known.
struct Counted<R> {
    inner: R,
    at: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.at += read as u64;
        Ok(read)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.at += amount as u64;
        self.inner.consume(amount);
    }
}

/// Where a SET's line is in the file: its byte offset and line number.
#[derive(Clone, Copy, Debug)]
struct Place {
    offset: u64,
    line: usize,
}

/// An opened capture: its path, header and where each SET's line is (filled as it is read).
pub(super) struct OpenedCapture {
    pub(super) path: PathBuf,
    header: RwLock<Option<Arc<Header>>>,
    places: RwLock<HashMap<u64, Place>>,
}

impl OpenedCapture {
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            path,
            header: RwLock::new(None),
            places: RwLock::new(HashMap::new()),
        }
    }

    /// A reader of the file from its start that tells where each line begins.
    fn reader(&self) -> Result<Reader<Counted<BufReader<File>>>, String> {
        let file = File::open(&self.path)
            .map_err(|err| format!("cannot open {}: {err}", self.path.display()))?;
        let input = Counted {
            inner: BufReader::with_capacity(256 * 1024, file),
            at: 0,
        };
        Reader::open(input).map_err(|err| err.to_string())
    }

    /// Its header, once read.
    pub(super) fn header(&self) -> Option<Arc<Header>> {
        self.header.read().clone()
    }

    /// Read the whole capture, telling the window as it goes. `kind` says whether it is a
    /// capture of its own or a bundle's; `shown_as` is the name the window gives it.
    pub(super) fn load(&self, kind: OpenedKind, shown_as: &Path, sink: &Sink) {
        if let Err(why) = self.read_all(kind, shown_as, sink) {
            sink.send(OpenedUpdate::Failed(why));
        }
    }

    fn read_all(&self, kind: OpenedKind, shown_as: &Path, sink: &Sink) -> Result<(), String> {
        let mut reader = self.reader()?;
        let header = Arc::new(reader.header().clone());
        *self.header.write() = Some(Arc::clone(&header));
        if !sink.send(OpenedUpdate::Began(Box::new(described(
            &header, kind, shown_as,
        )))) {
            return Ok(());
        }
        let mut part = Vec::with_capacity(SETS_PER_PART);
        let mut markers = Vec::new();
        let mut alerts = Vec::new();
        let mut statuses = Vec::new();
        let mut exchanges = Vec::new();
        loop {
            let offset = reader.input().at;
            let Some(item) = reader.next() else { break };
            let line = reader.line();
            match item {
                Ok(Item::Set(record)) => {
                    let mut summary = SetSummary::of(&record);
                    summary.seq = self.place(record.seq, Place { offset, line }, sink);
                    part.push(summary);
                    if part.len() >= SETS_PER_PART
                        && !sink.part(Update::Reloaded(std::mem::take(&mut part)))
                    {
                        return Ok(());
                    }
                }
                Ok(Item::Marker(marker)) => markers.push(marker),
                Ok(Item::Alert { alert, .. }) => alerts.push(*alert),
                Ok(Item::Status(change)) => statuses.push(change),
                Ok(Item::Exchange(exchange)) => exchanges.push(Arc::new(*exchange)),
                Err(problem) => {
                    if !sink.send(OpenedUpdate::Problem(problem.to_string())) {
                        return Ok(());
                    }
                }
            }
        }
        if !part.is_empty() && !sink.part(Update::Reloaded(part)) {
            return Ok(());
        }
        sink.history(markers, exchanges, alerts, statuses);
        Ok(())
    }

    /// Keep where SET `seq` is; a number an earlier line already has (a capture put together by
    /// hand) is given one of its own, above any record's, and that is said.
    fn place(&self, seq: u64, place: Place, sink: &Sink) -> u64 {
        let mut places = self.places.write();
        if let std::collections::hash_map::Entry::Vacant(free) = places.entry(seq) {
            free.insert(place);
            return seq;
        }
        let mut shown = REPEATED_FROM;
        while places.contains_key(&shown) {
            shown += 1;
        }
        places.insert(shown, place);
        drop(places);
        sink.send(OpenedUpdate::Problem(format!(
            "line {}: SET #{seq} has the number of an earlier line; it is shown as #{shown}",
            place.line
        )));
        shown
    }

    /// Every SET in file order with the number it is shown as, read whole in one pass, until
    /// `each` returns false.
    pub(super) fn each_set(
        &self,
        mut each: impl FnMut(u64, SetRecord) -> bool,
    ) -> Result<(), String> {
        let shown: HashMap<u64, u64> = self
            .places
            .read()
            .iter()
            .map(|(seq, place)| (place.offset, *seq))
            .collect();
        let mut reader = self.reader()?;
        loop {
            let offset = reader.input().at;
            let Some(item) = reader.next() else { break };
            if let (Ok(Item::Set(record)), Some(seq)) = (item, shown.get(&offset))
                && !each(*seq, *record)
            {
                break;
            }
        }
        Ok(())
    }

    /// How many SETs were found.
    pub(super) fn len(&self) -> usize {
        self.places.read().len()
    }

    /// The SET shown as `seq`, read again whole from its line.
    pub(super) fn read_one(&self, seq: u64) -> Result<Option<SetRecord>, String> {
        let Some(place) = self.places.read().get(&seq).copied() else {
            return Ok(None);
        };
        let header = self
            .header()
            .ok_or_else(|| "the capture's header was not read".to_owned())?;
        let mut file = File::open(&self.path)
            .map_err(|err| format!("cannot open {}: {err}", self.path.display()))?;
        file.seek(SeekFrom::Start(place.offset))
            .map_err(|err| format!("cannot read {}: {err}", self.path.display()))?;
        let mut reader = Reader::resume(BufReader::new(file), (*header).clone(), place.line);
        match reader.next() {
            Some(Ok(Item::Set(record))) => {
                let mut record = *record;
                record.seq = seq;
                Ok(Some(record))
            }
            Some(Ok(_)) | None => Err(format!(
                "line {} of {} no longer holds that SET: the file changed since it was opened",
                place.line,
                self.path.display()
            )),
            Some(Err(problem)) => Err(format!("{problem} (the file changed since it was opened?)")),
        }
    }

    /// The filter's answer for SETs `seqs`, read whole in one pass over the file; `each` gets
    /// a part at a time and returns false to stop. A SET that cannot be read again is answered
    /// "no".
    pub(super) fn check(
        &self,
        filter: &Filter,
        now: UnixMillis,
        seqs: &[u64],
        mut each: impl FnMut(Vec<(u64, bool)>) -> bool,
    ) -> Result<(), String> {
        let mut part = Vec::with_capacity(ANSWERS_PER_PART);
        let mut wanted = HashMap::with_capacity(seqs.len());
        {
            let places = self.places.read();
            for seq in seqs {
                match places.get(seq) {
                    Some(place) => {
                        wanted.insert(place.offset, *seq);
                    }
                    None => part.push((*seq, false)),
                }
            }
        }
        let mut reader = self.reader()?;
        while !wanted.is_empty() {
            let offset = reader.input().at;
            let Some(item) = reader.next() else { break };
            let Some(seq) = wanted.remove(&offset) else {
                continue;
            };
            let hit = matches!(item, Ok(Item::Set(record)) if filter.matches(record.as_ref(), now));
            part.push((seq, hit));
            if part.len() >= ANSWERS_PER_PART && !each(std::mem::take(&mut part)) {
                return Ok(());
            }
        }
        part.extend(wanted.into_values().map(|seq| (seq, false)));
        if !part.is_empty() {
            each(part);
        }
        Ok(())
    }
}

/// What the window says of a capture: its name, path, kind and what its header tells.
fn described(header: &Header, kind: OpenedKind, shown_as: &Path) -> OpenedHeader {
    let key_sets = crate::core::capture::CaptureKeys::of(header).len();
    OpenedHeader {
        name: file_name(shown_as),
        path: shown_as.display().to_string(),
        kind: Some(kind),
        saved: Some(Saved {
            at: header.saved_at.clone(),
            by: header.saved_by.clone(),
            app_version: header.app_version.clone(),
            source: header.source.clone(),
            filter: header.filter.clone(),
            profiles: header.profiles.len(),
            key_sets,
        }),
    }
}

/// A path's last part, for the badge.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}
