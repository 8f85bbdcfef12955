//! One target's run: the corpus replayed, then inputs mutated from it until the time is up;
//! each input timed and checked, failures saved and counted.

use std::time::{Duration, Instant};

use crate::corpus::{self, Corpus};
use crate::mutate::Mutator;
use crate::targets::{self, Target};
use crate::watch::Watch;

/// An input slower than this (twice in a row) is a failure. The inputs are at most 64 KiB and
/// run in about 5 ms at worst in a release build, so this is twenty times that: a sign of
/// super-linear work, not of a busy machine. Ten times more in a debug build.
pub const SLOW_LIMIT: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(1)
} else {
    Duration::from_millis(100)
};
/// Crashes told one by one per target (all are saved).
const CRASHES_TOLD: u64 = 10;

/// What one target's run measured.
#[derive(Default)]
pub struct Figures {
    /// Inputs run (mutated ones; the corpus replay is not counted).
    pub runs: u64,
    /// Time spent running them.
    pub elapsed: Duration,
    /// Corpus files at start.
    pub corpus_start: usize,
    /// The slowest input's time and size.
    pub slowest: Duration,
    /// See `slowest`.
    pub slowest_len: usize,
    /// Inputs over [`SLOW_LIMIT`] twice in a row.
    pub slow: u64,
    /// Inputs that panicked or broke an invariant.
    pub crashes: u64,
}

/// Fuzz one target for `time`; the figures and the corpus as it ends.
pub fn fuzz(
    target: Target,
    time: Duration,
    save: bool,
    mutator: &mut Mutator,
    watch: &Watch,
) -> std::io::Result<(Figures, Corpus)> {
    let mut corpus = Corpus::load(target.name(), save)?;
    let mut figures = Figures {
        corpus_start: corpus.entries.len(),
        ..Figures::default()
    };
    // The first run pays for lazy set-up (the key, the catalogue): not an input's time.
    let mut warm_up = Figures::default();
    execute(target, b"", watch, &mut warm_up);
    figures.crashes += warm_up.crashes;
    for (index, entry) in corpus.entries.clone().iter().enumerate() {
        if let Some(features) = execute(target, entry, watch, &mut figures) {
            corpus.learn(index, features);
        }
    }
    let started = Instant::now();
    while started.elapsed() < time {
        let input = {
            let parent = &corpus.entries[mutator.rng.below(corpus.entries.len())];
            mutator.mutate(parent, &corpus.entries)
        };
        if let Some(features) = execute(target, &input, watch, &mut figures) {
            corpus.consider(&input, features)?;
        }
        figures.runs += 1;
    }
    figures.elapsed = started.elapsed();
    Ok((figures, corpus))
}

/// Run one input; its features, or `None` when it failed (then saved and counted).
fn execute(
    target: Target,
    input: &[u8],
    watch: &Watch,
    figures: &mut Figures,
) -> Option<Vec<String>> {
    let timed = || {
        let mut features = Vec::new();
        let started = Instant::now();
        let result = watch.run(target.name(), input, || {
            targets::run(target, input, &mut features);
        });
        (result.map(|()| features), started.elapsed())
    };
    // A new slowest or a slow input is timed again and the lesser time kept: on a busy
    // machine one run can be descheduled, two in a row rarely are.
    let (result, first) = timed();
    let again = result.is_ok() && (first > figures.slowest || first > SLOW_LIMIT);
    let elapsed = if again { first.min(timed().1) } else { first };
    if elapsed > figures.slowest {
        figures.slowest = elapsed;
        figures.slowest_len = input.len();
        corpus::save_failure(target.name(), "slowest-input", input);
    }
    match result {
        Err(message) => {
            figures.crashes += 1;
            let name = format!("crash-{}", corpus::short_hash(input));
            let path = corpus::save_failure(target.name(), &name, input);
            if figures.crashes <= CRASHES_TOLD {
                println!(
                    "  CRASH {}: {message}\n  input saved in {}",
                    target.name(),
                    path.display()
                );
            }
            None
        }
        Ok(_) if elapsed > SLOW_LIMIT => {
            figures.slow += 1;
            let name = format!("slow-{}", corpus::short_hash(input));
            let path = corpus::save_failure(target.name(), &name, input);
            println!(
                "  SLOW {}: {} ms, input saved in {}",
                target.name(),
                elapsed.as_millis(),
                path.display()
            );
            None
        }
        Ok(features) => Some(features),
    }
}
