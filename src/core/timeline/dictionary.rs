//! The texts the timeline's entries share, each held once and named by number: streams,
//! issuers, verdict explanations and answer codes, event lists (with their catalogue names),
//! subjects with their member values, and finding lists.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use super::super::events::EventRef;
use super::super::lint::Level;

/// "None" for an optional interned text.
pub(super) const NONE: u32 = u32::MAX;

/// Each distinct value once, named by its position.
#[derive(Debug)]
struct Interner<K: ?Sized + Hash + Eq> {
    items: Vec<Arc<K>>,
    index: HashMap<Arc<K>, u32>,
}

impl<K: ?Sized + Hash + Eq> Default for Interner<K> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq> Interner<K> {
    /// The number of `key`, kept when it is new.
    fn id_owned(&mut self, key: K) -> u32 {
        if let Some(id) = self.index.get(&key) {
            return *id;
        }
        let id = u32::try_from(self.items.len()).unwrap_or(NONE - 1);
        let value = Arc::new(key);
        self.items.push(Arc::clone(&value));
        self.index.insert(value, id);
        id
    }
}

impl<K: ?Sized + Hash + Eq> Interner<K> {
    /// The number of `key`, taking `make` (an owned copy) only when it is new.
    fn id(&mut self, key: &K, make: impl FnOnce() -> Arc<K>) -> u32 {
        if let Some(id) = self.index.get(key) {
            return *id;
        }
        let id = u32::try_from(self.items.len()).unwrap_or(NONE - 1);
        let value = make();
        self.items.push(Arc::clone(&value));
        self.index.insert(value, id);
        id
    }

    fn get(&self, id: u32) -> Option<&K> {
        self.items.get(id as usize).map(AsRef::as_ref)
    }
}

/// A subject: its line and the member values `subject:` compares.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Subject {
    line: String,
    values: Vec<String>,
}

/// The texts entries name by number.
#[derive(Debug, Default)]
pub struct Dictionary {
    texts: Interner<str>,
    event_lists: Interner<[String]>,
    /// The catalogue's names of each event list, by the same number.
    named: Vec<Arc<[EventRef]>>,
    subjects: Interner<Subject>,
    finding_lists: Interner<[(String, Level)]>,
}

impl Dictionary {
    pub(super) fn text(&mut self, text: &str) -> u32 {
        self.texts.id(text, || Arc::from(text))
    }

    /// The number of `text`, when it is held (nothing is added).
    pub(super) fn find_text(&self, text: &str) -> Option<u32> {
        self.texts.index.get(text).copied()
    }

    pub(super) fn optional(&mut self, text: Option<&str>) -> u32 {
        text.map_or(NONE, |t| self.text(t))
    }

    pub(super) fn events(&mut self, uris: &[String]) -> u32 {
        let before = self.event_lists.items.len();
        let id = self
            .event_lists
            .id(uris, || Arc::from(uris.to_vec().into_boxed_slice()));
        if self.event_lists.items.len() > before {
            self.named
                .push(uris.iter().map(|u| EventRef::from_uri(u)).collect());
        }
        id
    }

    pub(super) fn subject(&mut self, line: &str, values: &[String]) -> u32 {
        let key = Subject {
            line: line.to_owned(),
            values: values.to_vec(),
        };
        self.subjects.id_owned(key)
    }

    pub(super) fn findings(&mut self, findings: &[(String, Level)]) -> u32 {
        self.finding_lists
            .id(findings, || Arc::from(findings.to_vec().into_boxed_slice()))
    }

    pub(super) fn each_text(&self) -> impl Iterator<Item = &str> {
        self.texts.items.iter().map(AsRef::as_ref)
    }

    pub(super) fn each_event_list(&self) -> impl Iterator<Item = &[EventRef]> {
        self.named.iter().map(AsRef::as_ref)
    }

    pub(super) fn each_subject(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.subjects
            .items
            .iter()
            .map(|s| (s.line.as_str(), s.values.as_slice()))
    }

    /// The text numbered `id`.
    pub(super) fn text_at(&self, id: u32) -> Option<&str> {
        self.texts.get(id)
    }

    /// The event list numbered `id`, named.
    pub(super) fn events_at(&self, id: u32) -> &[EventRef] {
        self.named.get(id as usize).map_or(&[], |e| e.as_ref())
    }

    /// The subject numbered `id`: its line and member values.
    pub(super) fn subject_at(&self, id: u32) -> Option<(&str, &[String])> {
        self.subjects
            .get(id)
            .map(|s| (s.line.as_str(), s.values.as_slice()))
    }

    /// The finding list numbered `id`.
    pub(super) fn findings_at(&self, id: u32) -> &[(String, Level)] {
        self.finding_lists.get(id).unwrap_or(&[])
    }

    /// How many distinct texts, event lists, subjects and finding lists are held.
    pub fn sizes(&self) -> [usize; 4] {
        [
            self.texts.items.len(),
            self.event_lists.items.len(),
            self.subjects.items.len(),
            self.finding_lists.items.len(),
        ]
    }
}
