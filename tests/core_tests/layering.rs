//! The layering rules check themselves: `core` imports no egui/eframe/tokio/reqwest/axum and
//! nothing of ours outside `core`; `runtime` never imports `ui` or `app`; `ui` never imports
//! `runtime`.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn offenders(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(layer),
        &mut files,
    );
    assert!(!files.is_empty(), "no files under src/{layer}");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read file");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for word in forbidden {
                if code.contains(word) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, code));
                }
            }
        }
    }
    found
}

#[test]
fn core_is_pure() {
    let forbidden = [
        "egui",
        "eframe",
        "tokio",
        "reqwest",
        "axum",
        "crate::runtime",
        "crate::ui",
        "crate::app",
        "crate::bridge",
    ];
    let found = offenders("core", &forbidden);
    assert!(
        found.is_empty(),
        "core must stay pure:\n{}",
        found.join("\n")
    );
}

#[test]
fn runtime_does_not_reach_up_into_the_ui() {
    let found = offenders("runtime", &["egui", "eframe", "crate::ui", "crate::app"]);
    assert!(
        found.is_empty(),
        "runtime reports through the bridge only:\n{}",
        found.join("\n")
    );
}

#[test]
fn ui_does_not_touch_the_runtime() {
    let found = offenders(
        "ui",
        &["crate::runtime", "tokio", "reqwest", "crate::bridge"],
    );
    assert!(
        found.is_empty(),
        "ui returns actions instead:\n{}",
        found.join("\n")
    );
}
