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

/// The modules (files, and folders with a `mod.rs`) directly in `dir`, by name, with the files
/// each one's references are read from (a folder's: every file under it) and how deep each
/// file sits below `dir` (a file in `dir`, or a folder's `mod.rs`: 0).
fn modules_in(dir: &Path) -> Vec<(String, Vec<(std::path::PathBuf, usize)>)> {
    let mut modules = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a name")
            .to_owned();
        if path.is_dir() {
            if !path.join("mod.rs").exists() {
                continue;
            }
            let mut files = Vec::new();
            rust_files(&path, &mut files);
            let files = files
                .into_iter()
                .map(|file| {
                    let count = file
                        .strip_prefix(&path)
                        .expect("under the folder")
                        .components()
                        .count();
                    // `x/mod.rs` is module `x`; `x/y.rs` one below it.
                    let depth = if file.ends_with("mod.rs") {
                        count - 1
                    } else {
                        count
                    };
                    (file, depth)
                })
                .collect();
            modules.push((name, files));
        } else if path.extension().is_some_and(|e| e == "rs")
            && !["mod", "lib", "main"].contains(&name.as_str())
        {
            modules.push((name, vec![(path, 0)]));
        }
    }
    modules
}

/// A file's code without comment lines and without its test module.
fn code_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).expect("read file");
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// The first path segment of each item after `prefix` (`prefix::x`, `prefix::{x, y::z}`).
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    for (at, _) in code.match_indices(prefix) {
        // `super::super::x` is not `super::x`; `crate::a::b` is not `xcrate::a::b`.
        if code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| is_ident(c) || c == ':')
        {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(std::mem::take(&mut item));
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            names.push(item);
        } else {
            names.push(rest.to_owned());
        }
    }
    names
        .iter()
        .map(|item| {
            item.trim_start()
                .chars()
                .take_while(|&c| is_ident(c))
                .collect()
        })
        .collect()
}

/// The references between the modules of one folder (`super::x`, `crate::path::x`), as edges
/// from a module to the modules it names.
fn module_graph(dir: &Path, module_path: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let modules = modules_in(dir);
    let names: std::collections::BTreeSet<&str> = modules.iter().map(|(n, _)| n.as_str()).collect();
    let mut graph = std::collections::BTreeMap::new();
    for (name, files) in &modules {
        let mut to = std::collections::BTreeSet::new();
        for (file, depth) in files {
            let code = code_of(file);
            let up = "super::".repeat(depth + 1);
            let absolute = if module_path.is_empty() {
                "crate::".to_owned()
            } else {
                format!("crate::{module_path}::")
            };
            for other in names_after(&code, &up)
                .into_iter()
                .chain(names_after(&code, &absolute))
            {
                if other != *name && names.contains(other.as_str()) {
                    to.insert(other);
                }
            }
        }
        graph.insert(name.clone(), to.into_iter().collect());
    }
    graph
}

/// The import circles of a graph: each strongly connected part of more than one module, its
/// names sorted.
fn circles(graph: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    let reaches = |from: &str| {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(next) = todo.pop() {
            for to in graph.get(&next).into_iter().flatten() {
                if seen.insert(to.clone()) {
                    todo.push(to.clone());
                }
            }
        }
        seen
    };
    let reach: std::collections::BTreeMap<&str, _> =
        graph.keys().map(|n| (n.as_str(), reaches(n))).collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    for name in graph.keys() {
        let part: Vec<String> = graph
            .keys()
            .filter(|other| {
                *other == name
                    || (reach[name.as_str()].contains(*other)
                        && reach[other.as_str()].contains(name))
            })
            .cloned()
            .collect();
        if part.len() > 1 && !found.contains(&part) {
            found.push(part);
        }
    }
    found
}

/// Every folder under `src` with its module path (`runtime::receiver`; `src` itself: "").
fn folders() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &Path, path: &str, out: &mut Vec<(std::path::PathBuf, String)>) {
        out.push((dir.to_owned(), path.to_owned()));
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();
        for sub in entries {
            let name = sub.file_name().and_then(|n| n.to_str()).expect("a name");
            let child = if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}::{name}")
            };
            walk(&sub, &child, out);
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        "",
        &mut out,
    );
    out
}

/// Import circles that were there before this check, per folder: they may shrink or go, never
/// grow, and no new one may appear. `runtime::receiver` has none, and must keep it so.
const KNOWN_CIRCLES: &[(&str, &[&str])] = &[
    ("cli", &["stream", "stream_run"]),
    ("core", &["exchange", "secrets", "update"]),
    ("core", &["filter", "set_summary"]),
    ("core", &["profile", "profile_stream"]),
    ("core", &["record", "stream"]),
    (
        "runtime",
        &["journal", "own_streams", "profiles", "receiver"],
    ),
    ("runtime::record", &["schema", "summaries"]),
    ("runtime::transmitter", &["control", "http"]),
    ("ui", &["oauth_draft", "profile_draft"]),
    ("ui", &["shortcuts", "view_menu"]),
];

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let mut found = Vec::new();
    for (dir, path) in folders() {
        for circle in circles(&module_graph(&dir, &path)) {
            let known = KNOWN_CIRCLES.iter().any(|(folder, members)| {
                *folder == path
                    && path != "runtime::receiver"
                    && circle.iter().all(|m| members.contains(&m.as_str()))
            });
            if !known {
                found.push(format!(
                    "src/{}: {}",
                    path.replace("::", "/"),
                    circle.join(" ↔ ")
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "import circles between the files of a folder:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_circle_check_sees_every_way_of_naming_a_sibling() {
    let code = "use super::{a, b::{C, D}};\nuse super::super::z;\nfn f() { super::c::g(); crate::m::d::h(); }\n";
    assert_eq!(names_after(code, "super::"), ["a", "b", "super", "c"]);
    assert_eq!(names_after(code, "crate::m::"), ["d"]);
    assert_eq!(names_after(code, "super::super::"), ["z"]);
    let graph = std::collections::BTreeMap::from([
        ("a".to_owned(), vec!["b".to_owned()]),
        ("b".to_owned(), vec!["c".to_owned()]),
        ("c".to_owned(), vec!["a".to_owned()]),
        ("d".to_owned(), vec!["a".to_owned()]),
    ]);
    assert_eq!(circles(&graph), [["a", "b", "c"]]);
}
