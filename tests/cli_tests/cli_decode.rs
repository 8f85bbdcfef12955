//! `ssf-inspector decode` and `lint` as a user runs them: files made in the test, JSON output
//! read back, and the exit statuses 0 / 1 / 2.

use crate::fixtures;

use std::path::PathBuf;
use std::process::{Command, Output};

use fixtures::{TestKey, session_revoked};
use serde_json::{Value, json};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn decode_verifies_with_a_jwks_and_prints_the_documented_json() {
    let key = TestKey::es256("k1");
    let token = key.sign(&session_revoked("cli-1"));
    let jwks = write("cli-jwks.json", &json!({"keys": [key.jwk]}).to_string());
    let sets = write(
        "cli-valid.jwt",
        &format!("{}\n{}\n", &token[..40], &token[40..]),
    );
    let output = bin()
        .args([
            "decode",
            "--json",
            "--issuer",
            fixtures::ISSUER,
            "--audience",
            fixtures::AUDIENCE,
            "--jwks",
        ])
        .arg(&jwks)
        .arg(&sets)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1, "a line-wrapped token is one SET");
    let set = &lines[0];
    assert_eq!(set["verdict"], "valid");
    assert_eq!(set["header"]["typ"], "secevent+jwt");
    assert_eq!(set["claims"]["jti"], "cli-1");
    assert_eq!(set["profile"], "ssf-1.0", "{set}");
    assert_eq!(set["events"][0]["name"], "Session revoked");
    assert_eq!(set["events"][0]["family"], "caep");
    assert_eq!(set["events"][0]["known"], true);
    assert_eq!(set["subject"], "email alice@example.com");
    assert!(
        set["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] != "error"),
        "{set}"
    );
}

#[test]
fn lint_exits_1_on_an_error_finding_and_reads_json_lines_from_stdin() {
    let key = TestKey::es256("k1");
    let mut bad = session_revoked("cli-2");
    bad["sub"] = json!("alice");
    let tampered = {
        let token = key.sign(&session_revoked("cli-3"));
        let cut = token.len() - 10;
        format!("{}{}", &token[..cut], "AAAAAAAAAA")
    };
    let input = format!(
        "{}\n{}\n\"{}\"\nnot json at all {{\n",
        bad,
        key.sign(&session_revoked("cli-4")),
        tampered
    );
    let jwks = write("cli-jwks-2.json", &json!({"keys": [key.jwk]}).to_string());
    let mut child = bin()
        .args(["lint", "--json", "--jwks"])
        .arg(&jwks)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 4, "every line is reported, the broken one too");
    let rules = |i: usize| -> Vec<String> {
        lines[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        lines[0]["header"],
        Value::Null,
        "a bare claims object has no header"
    );
    assert_eq!(lines[0]["verdict"], "not_verified");
    assert!(
        rules(0).contains(&"sub-forbidden".to_owned()),
        "{:?}",
        rules(0)
    );
    assert_eq!(lines[1]["verdict"], "valid");
    assert_eq!(lines[2]["verdict"], "bad_signature");
    assert!(rules(2).contains(&"signature".to_owned()), "{:?}", rules(2));
    assert_eq!(lines[3]["verdict"], "malformed");
    assert_eq!(lines[3]["line"], 4);
}

#[test]
fn unreadable_input_exits_2_with_a_message() {
    let output = bin()
        .args(["lint", "/nonexistent/sets.jsonl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/sets.jsonl")
    );
}

#[test]
fn human_output_names_the_rule_and_section() {
    let path = write("cli-human.json", &json!({"iss": "https://x/", "iat": 1, "jti": "j", "exp": 5, "sub_id": {"format": "opaque", "id": "s"}, "events": {"https://schemas.openid.net/secevent/ssf/event-type/stream-updated": {"status": "disabled"}}}).to_string());
    let output = bin().arg("lint").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Stream updated [SSF]"), "{text}");
    assert!(
        text.contains("exp-forbidden") && text.contains("SSF 1.0 §4.1.7"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when stdout is not a terminal"
    );
}

/// A large JSON Lines input is decoded as it comes: the first SETs are printed while standard
/// input is still open, a line too long to read is reported, and every line gets its answer.
#[test]
fn decode_streams_a_large_input_and_reports_an_overlong_line() {
    use std::io::{BufRead as _, BufReader, Write as _};
    let key = TestKey::es256("k1");
    let token = key.sign(&session_revoked("stream-1"));
    // More than the 1 MiB read whole, so the input is read line by line.
    let lines = (1024 * 1024) / token.len() + 50;
    let mut child = bin()
        .args(["decode", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run decode");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    for _ in 0..lines {
        writeln!(stdin, "{token}").expect("write a line");
    }
    // Standard input is still open: the first answer comes anyway.
    let (first_tx, first_rx) = std::sync::mpsc::sync_channel(1);
    let reader = std::thread::Builder::new()
        .name("decode-output".to_owned())
        .spawn(move || {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("read the first line");
            first_tx.send(line).ok();
            let mut rest = Vec::new();
            for line in stdout.lines() {
                rest.push(line.expect("a line"));
            }
            rest
        })
        .expect("a reader thread");
    let first = first_rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the first SET is printed before the input ends");
    let first: Value = serde_json::from_str(&first).expect("a JSON line");
    assert_eq!(first["line"], 1);
    assert_eq!(first["claims"]["jti"], "stream-1");
    // A 2 MiB line, then one more SET.
    writeln!(stdin, "{}", "a".repeat(2 * 1024 * 1024)).expect("write the long line");
    writeln!(stdin, "{token}").expect("write the last line");
    drop(stdin);
    let rest = reader.join().expect("the reader ends");
    let status = child.wait().expect("decode ends");
    assert_eq!(rest.len(), lines + 1, "every line got its answer");
    let long: Value = serde_json::from_str(&rest[lines - 1]).expect("a JSON line");
    assert_eq!(long["line"], lines + 1);
    let text = long.to_string();
    assert!(text.contains("at most 1048576 are read"), "{text}");
    let last: Value = serde_json::from_str(&rest[lines]).expect("a JSON line");
    assert_eq!(last["claims"]["jti"], "stream-1");
    assert_eq!(status.code(), Some(1), "the long line is an error finding");
}
