//! Running one input safely: a panic is caught and told (its message and place, from a panic
//! hook), and a watchdog thread saves an input that runs past the hang limit, then ends the
//! process (a hang cannot be caught in-process).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::corpus;

/// The message of the last panic, set by the hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

#[derive(Default)]
struct Running {
    since: Option<Instant>,
    target: &'static str,
    input: Vec<u8>,
}

/// The input being run, shared with the watchdog.
pub struct Watch {
    running: Arc<Mutex<Running>>,
}

impl Watch {
    /// Install the panic hook and start the watchdog.
    pub fn start(limit: Duration) -> Self {
        std::panic::set_hook(Box::new(|info| {
            let place = info
                .location()
                .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned());
            *LAST_PANIC.lock() = Some(format!("{message}{place}"));
        }));
        let running = Arc::new(Mutex::new(Running::default()));
        let watched = Arc::clone(&running);
        let spawned = std::thread::Builder::new()
            .name("fuzz-watchdog".to_owned())
            .spawn(move || watchdog(&watched, limit));
        if let Err(err) = spawned {
            eprintln!("no watchdog (hangs will not be caught): {err}");
        }
        Self { running }
    }

    /// Run `f` on `input`: `Err(panic message)` when it panicked.
    pub fn run(&self, target: &'static str, input: &[u8], f: impl FnOnce()) -> Result<(), String> {
        {
            let mut running = self.running.lock();
            running.target = target;
            running.input.clear();
            running.input.extend_from_slice(input);
            running.since = Some(Instant::now());
        }
        let result = std::panic::catch_unwind(AssertUnwindSafe(f));
        self.running.lock().since = None;
        result.map_err(|_| {
            LAST_PANIC
                .lock()
                .take()
                .unwrap_or_else(|| "a panic".to_owned())
        })
    }
}

fn watchdog(running: &Mutex<Running>, limit: Duration) {
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let running = running.lock();
        if running.since.is_some_and(|since| since.elapsed() > limit) {
            let name = format!("hang-{}", corpus::short_hash(&running.input));
            let path = corpus::save_failure(running.target, &name, &running.input);
            eprintln!(
                "HANG {}: an input ran over {} s; saved in {}",
                running.target,
                limit.as_secs(),
                path.display()
            );
            std::process::exit(3);
        }
    }
}
