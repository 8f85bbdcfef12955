//! `ssf-inspector audit --profile NAME [--json] [--out FILE]` as a script runs it, against the
//! built-in transmitter on 127.0.0.1: Markdown or JSON on stdout, the same written 0600, exit 0
//! when no required check failed, 1 when one did, 2 when it could not run; no credential shown.

use std::os::unix::fs::PermissionsExt as _;

use crate::cli_kit;

use cli_kit::{Setup, expect, json_of, stderr};
use ssf_inspector::runtime::transmitter::{Quirk, TransmitterOptions};

#[test]
fn the_audit_prints_markdown_and_exits_0_when_no_required_check_fails() {
    let s = Setup::new("cli-audit-pass", false);
    let out = s.data.join("audit.md");
    let out_arg = out.to_str().expect("a UTF-8 path");
    let printed = expect(&s.run("audit", &["--profile", "tx", "--out", out_arg]), 0);
    assert!(
        printed.starts_with(&format!("# Audit of {}\n", s.tx.issuer)),
        "{printed}"
    );
    assert!(printed.contains("**PASSED**: 16 checks:"), "{printed}");
    assert!(printed.contains("| `metadata.issuer-matches` (required) | ✅ pass |"));
    assert!(printed.contains("## Keys\n") && printed.contains("## Hygiene\n"));
    // The evidence's exchange ids are listed, so each can be looked up.
    assert!(
        printed.contains("- `metadata.location`: exchanges #1\n"),
        "{printed}"
    );
    let first = format!(
        "- #1 GET {}/.well-known/ssf-configuration → 200 (",
        s.tx.issuer
    );
    assert!(printed.contains(&first), "{printed}");
    let written = std::fs::read_to_string(&out).expect("the report file");
    assert_eq!(written, printed);
    let mode = std::fs::metadata(&out)
        .expect("its metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_required_failure_exits_1_and_json_names_it() {
    let s = Setup::with(
        "cli-audit-fail",
        TransmitterOptions {
            quirks: [Quirk::DuplicateKid].into_iter().collect(),
            ..Setup::options()
        },
    );
    let report = json_of(&s.run("audit", &["--profile", "tx", "--json"]), 1);
    assert_eq!(report["passed"], false);
    assert_eq!(report["profile"], "tx");
    assert_eq!(report["issuer"], s.tx.issuer.as_str());
    let failed: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .map(|c| c["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(failed, ["keys.kid-unique"]);
    assert!(
        report["total"]
            .as_str()
            .is_some_and(|t| t.ends_with("(keys.kid-unique)")),
        "{report}"
    );
}

#[test]
fn an_audit_that_cannot_run_exits_2() {
    let s = Setup::new("cli-audit-none", false);
    let unknown = s.run("audit", &["--profile", "nobody"]);
    expect(&unknown, 2);
    assert!(
        stderr(&unknown).contains("no profile named \"nobody\""),
        "{}",
        stderr(&unknown)
    );
}
