//! The fuzz corpus replayed: every file of `fuzz/corpus/decoder/` and `fuzz/corpus/poll/` goes
//! through the same targets as the fuzzer (`benches/fuzz/targets.rs`), which assert that nothing
//! panics and that the raw body is kept in the record. A debug build, so overflow checks run too.

#[path = "../../benches/fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

use targets::{KEY, Target};

/// The fuzzer's caps (`benches/fuzz/corpus.rs`, `benches/fuzz/mutate.rs`).
const MAX_FILES: usize = 200;
const MAX_BYTES: usize = 64 * 1024;

fn corpus_files(target: Target) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target.name());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    files
}

/// Run every corpus file of a target; the files that failed, with the panic message.
fn replay(target: Target) -> (usize, Vec<String>) {
    let files = corpus_files(target);
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("a corpus file");
        let run = std::panic::catch_unwind(|| targets::run(target, &bytes, &mut Vec::new()));
        if let Err(panic) = run {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", file.display()));
        }
    }
    (files.len(), failures)
}

#[test]
fn every_decoder_corpus_file_runs_without_panic_and_keeps_the_raw_body() {
    let (count, failures) = replay(Target::Decoder);
    assert!(
        count >= 50,
        "the decoder corpus has its seeds ({count} files)"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_poll_corpus_file_runs_without_panic_and_keeps_the_raw_tokens() {
    let (count, failures) = replay(Target::Poll);
    assert!(count >= 20, "the poll corpus has its seeds ({count} files)");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_keeps_to_its_caps() {
    for target in Target::ALL {
        let files = corpus_files(target);
        assert!(
            files.len() <= MAX_FILES,
            "{}: {} files",
            target.name(),
            files.len()
        );
        for file in files {
            let len = std::fs::metadata(&file).expect("metadata").len();
            assert!(len <= MAX_BYTES as u64, "{}: {len} bytes", file.display());
        }
    }
}

#[test]
fn the_fuzz_key_signs_what_it_verifies() {
    let claims = serde_json::json!({"iss": targets::ISSUER, "aud": targets::AUDIENCE, "jti": "k", "iat": targets::NOW.as_secs(),
        "events": {"https://schemas.openid.net/secevent/caep/event-type/session-revoked": {}}});
    let header = serde_json::json!({"alg": "ES256", "kid": targets::KID});
    let token = KEY.sign(&header, &claims);
    let mut features = Vec::new();
    targets::run(Target::Decoder, token.as_bytes(), &mut features);
    assert!(
        features.iter().any(|f| f == "token:verdict:valid"),
        "{features:?}"
    );
}
