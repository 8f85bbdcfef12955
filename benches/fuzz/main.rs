//! A mutation fuzzer on the stable toolchain (cargo-fuzz needs nightly): the SET decoder and
//! the RFC 8936 poll-answer reader, for a fixed time each, from the corpus in `fuzz/corpus/`.
//!
//! `cargo bench --bench fuzz -- [--seconds N] [--target decoder|poll] [--seed N]` runs each
//! target N seconds (default 10), keeps inputs with a feature never seen before (see
//! `targets.rs`) and prints the figures. It exits 1 when an input panicked, broke an invariant
//! or took longer than [`SLOW_LIMIT`] twice in a row; those inputs are saved in
//! `fuzz/crashes/<target>/`. An input running longer than [`HANG_LIMIT`] is saved by a watchdog
//! thread, which then ends the process (exit 3). `--write-seeds` writes the seed corpus;
//! `--replay FILE [--target T]` runs one saved input three times and prints its time.
//! Without `--bench` (`cargo test --bench fuzz`: a debug build, overflow checks on) it runs
//! 1 s per target unless told otherwise and writes no corpus entry.

mod corpus;
mod hostile;
mod json_tree;
mod mutate;
mod run;
mod seeds;
mod structure;
mod targets;
mod watch;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use corpus::Corpus;
use mutate::Mutator;
use run::{Figures, SLOW_LIMIT};
use targets::Target;
use watch::Watch;

/// An input still running after this is a hang.
const HANG_LIMIT: Duration = Duration::from_secs(10);

struct Options {
    seconds: Option<f64>,
    targets: Vec<Target>,
    seed: u64,
    write_seeds: bool,
    replay: Option<String>,
    bench: bool,
}

fn options() -> Result<Options, String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos());
    let mut options = Options {
        seconds: None,
        targets: Target::ALL.to_vec(),
        seed: u64::try_from(nanos % u128::from(u64::MAX)).unwrap_or(1),
        write_seeds: false,
        replay: None,
        bench: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => options.bench = true,
            "--write-seeds" => options.write_seeds = true,
            "--replay" => options.replay = Some(value("--replay")?),
            "--seconds" => {
                let text = value("--seconds")?;
                let seconds = text.parse::<f64>().ok().filter(|s| *s > 0.0);
                options.seconds =
                    Some(seconds.ok_or(format!("--seconds {text}: not a positive number"))?);
            }
            "--seed" => {
                let text = value("--seed")?;
                options.seed = text
                    .parse()
                    .map_err(|_| format!("--seed {text}: not a number"))?;
            }
            "--target" => {
                let name = value("--target")?;
                let target = Target::ALL.into_iter().find(|t| t.name() == name);
                options.targets = vec![target.ok_or(format!("--target {name}: decoder or poll"))?];
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(err) => {
            eprintln!(
                "{err}\nusage: cargo bench --bench fuzz -- [--seconds N] [--target decoder|poll] [--seed N] [--write-seeds] [--replay FILE]"
            );
            return ExitCode::from(2);
        }
    };
    if options.write_seeds {
        return match seeds::write() {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("writing the seeds failed: {err}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(path) = &options.replay {
        return replay(path, options.targets[0]);
    }
    let seconds = options
        .seconds
        .unwrap_or(if options.bench { 10.0 } else { 1.0 });
    let per_target = Duration::from_secs_f64(seconds);
    let watch = Watch::start(HANG_LIMIT);
    println!(
        "ssf-inspector fuzz: {seconds} s per target, seed {} (--seed to replay), {} CPUs{}",
        options.seed,
        std::thread::available_parallelism().map_or(1, usize::from),
        if options.bench {
            ""
        } else {
            "; no --bench: corpus not written"
        }
    );
    let mut mutator = Mutator::new(options.seed);
    let mut failed = false;
    for target in options.targets {
        match run::fuzz(target, per_target, options.bench, &mut mutator, &watch) {
            Ok((figures, corpus)) => {
                report(target, &figures, &corpus);
                failed |= figures.crashes > 0 || figures.slow > 0;
            }
            Err(err) => {
                eprintln!(
                    "{}: the corpus could not be read or written: {err}",
                    target.name()
                );
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Run one saved input (a crash, a slow one) and tell what happened and how long it took.
fn replay(path: &str, target: Target) -> ExitCode {
    let input = match std::fs::read(path) {
        Ok(input) => input,
        Err(err) => {
            eprintln!("{path}: {err}");
            return ExitCode::from(2);
        }
    };
    let watch = Watch::start(HANG_LIMIT);
    targets::run(target, b"", &mut Vec::new());
    for _ in 0..3 {
        let mut features = Vec::new();
        let started = Instant::now();
        let result = watch.run(target.name(), &input, || {
            targets::run(target, &input, &mut features);
        });
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(()) => println!(
                "{}: {path}: {ms:.2} ms, features {features:?}",
                target.name()
            ),
            Err(message) => {
                println!(
                    "{}: {path}: panicked after {ms:.2} ms: {message}",
                    target.name()
                );
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn report(target: Target, figures: &Figures, corpus: &Corpus) {
    let rate = figures.runs as f64 / figures.elapsed.as_secs_f64().max(1e-9);
    println!("{}:", target.name());
    println!(
        "  inputs run         {} in {:.1} s ({rate:.0}/s)",
        figures.runs,
        figures.elapsed.as_secs_f64()
    );
    println!(
        "  corpus             {} → {} files ({} new kept, of which {} replaced redundant ones; {} turned away: corpus full)",
        figures.corpus_start,
        corpus.entries.len(),
        corpus.added,
        corpus.replaced,
        corpus.turned_away
    );
    println!("  features seen      {}", corpus.features());
    println!(
        "  slowest input      {:.2} ms, the lesser of two runs ({} bytes; kept as fuzz/crashes/{}/slowest-input)",
        figures.slowest.as_secs_f64() * 1000.0,
        figures.slowest_len,
        target.name()
    );
    let slow = format!("slow (> {} ms)", SLOW_LIMIT.as_millis());
    println!("  {slow:<19}{}", figures.slow);
    println!("  crashes            {}", figures.crashes);
    if figures.crashes + figures.slow > 0 {
        println!("  failing inputs are in fuzz/crashes/{}/", target.name());
    }
}
