//! `ssf-inspector decode` and `lint`: read SETs from a file or standard input, verify them when
//! a JWKS is given, and print what they say and where they break the spec.
//! Exit status: 0 no error finding, 1 some error finding, 2 the input could not be read.

use std::io::{BufRead, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value, json};

use crate::core::ingest::{self, Arrival, Expectations};
use crate::core::input::InputSet;
use crate::core::lint::{Finding, Level};
use crate::core::record::{SetForm, SetRecord, StreamKey, Transport};
use crate::core::time::UnixMillis;
use crate::core::verify::{AlgorithmPolicy, KeySet, Verdict};

/// Options of `decode` and `lint`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// File with SETs (a token, a claims object, or JSON Lines of either); `-` or none: standard input.
    pub input: Option<PathBuf>,
    /// JWK Set file to verify signatures with.
    #[arg(long, value_name = "FILE")]
    pub jwks: Option<PathBuf>,
    /// The issuer the SETs must come from (exact match).
    #[arg(long, value_name = "ISSUER")]
    pub issuer: Option<String>,
    /// This receiver's audience (`aud` must contain it).
    #[arg(long, value_name = "AUDIENCE")]
    pub audience: Option<String>,
    /// Print one JSON object per SET instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Which command: `decode` shows the contents, `lint` the findings only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Header, claims and findings.
    Decode,
    /// Findings.
    Lint,
}

/// Run `decode` or `lint`.
pub fn run(args: &DecodeArgs, mode: Mode) -> ExitCode {
    let keys = match read_keys(args) {
        Ok(keys) => keys,
        Err(err) => {
            eprintln!("ssf-inspector: {err:#}");
            return ExitCode::from(2);
        }
    };
    let items = match open_input(args) {
        Ok(items) => items,
        Err(err) => {
            eprintln!("ssf-inspector: {err:#}");
            return ExitCode::from(2);
        }
    };
    let expect = Expectations {
        issuer: args.issuer.clone(),
        audience: args.audience.clone(),
        // The answer a receiver with the default rules would give.
        ..Expectations::default()
    };
    let color = !args.json && std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let mut errors = 0_usize;
    let mut seen = 0_usize;
    for (n, item) in items.enumerate() {
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                eprintln!("ssf-inspector: cannot read the input: {err}");
                return ExitCode::from(2);
            }
        };
        seen += 1;
        let arrival = Arrival {
            stream: StreamKey("input".to_owned()),
            transport: Transport::File,
            received_at: UnixMillis::now(),
        };
        let record = match item.set {
            Ok(InputSet::Token(token)) => ingest::inspect(
                token,
                arrival,
                keys.as_ref().unwrap_or(&KeySet::default()),
                &AlgorithmPolicy::default(),
                &expect,
            ),
            Ok(InputSet::Claims(claims)) => ingest::inspect_claims(claims, arrival, &expect),
            Err(why) => ingest::unreadable(why, arrival),
        };
        let findings = &record.findings;
        if findings.iter().any(|f| f.severity == Level::Error) {
            errors += 1;
        }
        let text = if args.json {
            to_json(&record, item.line, findings).to_string()
        } else {
            human(&record, n + 1, item.line, findings, mode, color)
        };
        if writeln!(out, "{text}").is_err() {
            return ExitCode::from(2);
        }
    }
    if seen == 0 {
        eprintln!("ssf-inspector: the input holds no SET");
        return ExitCode::from(2);
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The input (a file, or standard input for `-` or none), read as it comes.
fn open_input(args: &DecodeArgs) -> anyhow::Result<super::decode_input::Items<impl BufRead>> {
    use anyhow::Context as _;
    let reader: Box<dyn BufRead> = match args.input.as_deref() {
        None => Box::new(std::io::stdin().lock()),
        Some(path) if path.as_os_str() == "-" => Box::new(std::io::stdin().lock()),
        Some(path) => Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
        )),
    };
    let described = match args.input.as_deref() {
        Some(path) if path.as_os_str() != "-" => path.display().to_string(),
        _ => "standard input".to_owned(),
    };
    super::decode_input::items(reader).with_context(|| format!("cannot read {described}"))
}

fn read_keys(args: &DecodeArgs) -> anyhow::Result<Option<KeySet>> {
    use anyhow::Context as _;
    let Some(path) = &args.jwks else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the JWKS {}", path.display()))?;
    let document: Value = serde_json::from_str(&text)
        .with_context(|| format!("the JWKS {} is not JSON", path.display()))?;
    let keys =
        KeySet::from_jwks(&document).with_context(|| format!("the JWKS {}", path.display()))?;
    for skipped in &keys.skipped {
        eprintln!("ssf-inspector: JWKS {}: {skipped}", path.display());
    }
    Ok(Some(keys))
}

fn to_json(record: &SetRecord, line: usize, findings: &[Finding]) -> Value {
    let header = match (&record.jws, record.form) {
        (Some(jws), SetForm::Jws) => Value::Object(jws.header.clone()),
        _ => Value::Null,
    };
    let claims = record
        .jws
        .as_ref()
        .map_or(Value::Null, |jws| Value::Object(jws.claims.clone()));
    json!({
        "line": line,
        "header": header,
        "claims": claims,
        "profile": record.profile.map(|p| p.as_str()),
        "events": record.events,
        "subject": record.subject,
        "verdict": record.verification.verdict.as_str(),
        "verdict_detail": record.verification.detail,
        "findings": findings,
    })
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

fn human(
    record: &SetRecord,
    n: usize,
    line: usize,
    findings: &[Finding],
    mode: Mode,
    color: bool,
) -> String {
    let verdict = record.verification.verdict;
    let verdict_code = match verdict {
        Verdict::Valid => "32",
        Verdict::NotVerified => "2",
        _ => "31",
    };
    let families: Vec<String> = record
        .events
        .iter()
        .map(|e| format!("{} [{}]", e.name, e.family.tag()))
        .collect();
    let profile = record.profile.map_or("-", |p| p.as_str());
    let mut text = format!(
        "{} (line {line})  {}  ·  {}  ·  profile {profile}\n",
        paint(color, "1", &format!("SET {n}")),
        if families.is_empty() {
            record.title().to_owned()
        } else {
            families.join(", ")
        },
        paint(color, verdict_code, verdict.label()),
    );
    text.push_str(&format!("  {:<9}{}\n", "subject", record.subject));
    if let Some(jti) = &record.jti {
        text.push_str(&format!("  {:<9}{jti}\n", "jti"));
    }
    if let Some(iss) = &record.iss {
        text.push_str(&format!("  {:<9}{iss}\n", "iss"));
    }
    if mode == Mode::Decode
        && let Some(jws) = &record.jws
    {
        if record.form == SetForm::Jws {
            text.push_str(&format!(
                "  {:<9}{}\n",
                "header",
                Value::Object(jws.header.clone())
            ));
        }
        let pretty =
            serde_json::to_string_pretty(&Value::Object(jws.claims.clone())).unwrap_or_default();
        text.push_str("  claims\n");
        for claims_line in pretty.lines() {
            text.push_str(&format!("    {claims_line}\n"));
        }
    }
    if findings.is_empty() {
        text.push_str(&format!("  {}\n", paint(color, "32", "no findings")));
    }
    for finding in findings {
        let (code, label) = match finding.severity {
            Level::Error => ("31;1", "ERROR"),
            Level::Warning => ("33", "warning"),
            Level::Info => ("2", "info"),
        };
        text.push_str(&format!(
            "  {}  {:<24} {}  [{}]\n",
            paint(color, code, &format!("{label:<7}")),
            finding.rule,
            finding.message,
            finding.reference
        ));
    }
    text
}
