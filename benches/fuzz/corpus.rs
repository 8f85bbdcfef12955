//! The corpus of one target on disk (`fuzz/corpus/<target>/`) and the rule for keeping a new
//! input: it must show a feature (see `targets.rs`) that no corpus entry shows. The corpus holds
//! at most [`MAX_FILES`] files of at most [`MAX_INPUT`] bytes; when it is full, a newcomer takes
//! the place of a found entry that has become redundant (every feature it shows is shown by
//! another entry), so the corpus stays a cover of the features seen, and nothing is lost. Seeds
//! are never replaced. Failing inputs go to `fuzz/crashes/<target>/` (git-ignored).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::mutate::MAX_INPUT;

/// Most files kept per target.
pub const MAX_FILES: usize = 200;

/// The repository's `fuzz/` folder.
pub fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// A corpus file: its name, bytes and the features it showed.
struct Entry {
    name: String,
    features: HashSet<String>,
}

/// One target's corpus: its inputs and every feature they show.
pub struct Corpus {
    dir: PathBuf,
    /// Whether new entries are written to `dir` (not in smoke runs).
    save: bool,
    /// The inputs, in the order of `meta`.
    pub entries: Vec<Vec<u8>>,
    meta: Vec<Entry>,
    /// How many entries show each feature.
    shown: HashMap<String, usize>,
    /// Entries kept in this run.
    pub added: usize,
    /// Redundant found entries replaced in this run.
    pub replaced: usize,
    /// Inputs with a new feature that found the corpus full of needed entries.
    pub turned_away: usize,
}

impl Corpus {
    /// Read `fuzz/corpus/<name>/` (files over the size cap are left out, and said).
    pub fn load(name: &str, save: bool) -> std::io::Result<Self> {
        let dir = fuzz_dir().join("corpus").join(name);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_file())
            .collect();
        paths.sort();
        let mut corpus = Self {
            dir,
            save,
            entries: Vec::new(),
            meta: Vec::new(),
            shown: HashMap::new(),
            added: 0,
            replaced: 0,
            turned_away: 0,
        };
        for path in paths {
            let bytes = std::fs::read(&path)?;
            if bytes.len() > MAX_INPUT {
                println!("  skipped {} (over {MAX_INPUT} bytes)", path.display());
                continue;
            }
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            corpus.meta.push(Entry {
                name: name.unwrap_or_default(),
                features: HashSet::new(),
            });
            corpus.entries.push(bytes);
        }
        Ok(corpus)
    }

    /// Features seen so far.
    pub fn features(&self) -> usize {
        self.shown.len()
    }

    /// Note the features of entry `index`, run once at start.
    pub fn learn(&mut self, index: usize, features: Vec<String>) {
        let features: HashSet<String> = features.into_iter().collect();
        for feature in &features {
            *self.shown.entry(feature.clone()).or_default() += 1;
        }
        self.meta[index].features = features;
    }

    /// Keep `input` if it shows a new feature and there is room (or a redundant entry to
    /// replace); true when kept.
    pub fn consider(&mut self, input: &[u8], features: Vec<String>) -> std::io::Result<bool> {
        if features.iter().all(|f| self.shown.contains_key(f)) || input.len() > MAX_INPUT {
            return Ok(false);
        }
        if self.entries.len() >= MAX_FILES {
            let Some(victim) = self.redundant() else {
                self.turned_away += 1;
                return Ok(false);
            };
            self.remove(victim)?;
            self.replaced += 1;
        }
        let name = format!("found-{}", short_hash(input));
        if self.save {
            std::fs::write(self.dir.join(&name), input)?;
        }
        self.entries.push(input.to_vec());
        self.meta.push(Entry {
            name,
            features: HashSet::new(),
        });
        self.learn(self.entries.len() - 1, features);
        self.added += 1;
        Ok(true)
    }

    /// A found entry whose every feature another entry shows too.
    fn redundant(&self) -> Option<usize> {
        self.meta.iter().position(|entry| {
            entry.name.starts_with("found-")
                && entry
                    .features
                    .iter()
                    .all(|f| self.shown.get(f).is_some_and(|n| *n > 1))
        })
    }

    fn remove(&mut self, index: usize) -> std::io::Result<()> {
        let entry = self.meta.swap_remove(index);
        self.entries.swap_remove(index);
        for feature in &entry.features {
            if let Some(n) = self.shown.get_mut(feature) {
                *n -= 1;
            }
        }
        if self.save {
            std::fs::remove_file(self.dir.join(&entry.name))?;
        }
        Ok(())
    }
}

/// Save an input as `fuzz/crashes/<target>/<name>`; its path.
pub fn save_failure(target: &str, name: &str, input: &[u8]) -> PathBuf {
    let dir = fuzz_dir().join("crashes").join(target);
    let path = dir.join(name);
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input));
    if let Err(err) = written {
        eprintln!("could not save {}: {err}", path.display());
    }
    path
}

/// The first 16 hex digits of the input's SHA-256: a stable file name.
pub fn short_hash(input: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, input);
    digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
