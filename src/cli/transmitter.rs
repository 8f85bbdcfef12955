//! `ssf-inspector transmitter`: the built-in SSF 1.0 transmitter as a standalone server, for
//! people building receivers and for trying the inspector against something local.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use tokio_util::sync::CancellationToken;

use crate::runtime::transmitter::{
    PushTrust, Quirk, Quirks, Scenario, Transmitter, TransmitterOptions,
};

/// Options of `transmitter`.
#[derive(Debug, Args)]
pub struct TransmitterArgs {
    /// Address to listen on (use a loopback address).
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// What to play on each stream: steady, mallory, faulty or quiet.
    #[arg(long, default_value = "steady", value_parser = parse_scenario)]
    pub scenario: Scenario,
    /// Stop without a word: no stream-updated when the transmitter changes a stream's status.
    #[arg(long, conflicts_with = "tells")]
    pub silent: bool,
    /// Send stream-updated before stopping a stream and upon re-enabling it (the default).
    #[arg(long)]
    pub tells: bool,
    /// Events per second (instead of one every 2 s).
    #[arg(long, value_name = "N")]
    pub rate: Option<f64>,
    /// `mallory`: seconds after stream creation when the stream is disabled.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub disable_after: u64,
    /// Management bearer token (else from SSF_TRANSMITTER_TOKEN, else a random one, printed).
    #[arg(
        long,
        env = "SSF_TRANSMITTER_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// A second token that may read but not change (gets 403 on changes).
    #[arg(long, value_name = "TOKEN")]
    pub read_token: Option<String>,
    /// Issuer path, e.g. /tenant1 (metadata then at /.well-known/ssf-configuration/tenant1).
    #[arg(long, default_value = "", value_name = "PATH")]
    pub issuer_path: String,
    /// Sign with RS256 instead of ES256.
    #[arg(long)]
    pub rs256: bool,
    /// Allow several streams per receiver (otherwise a second create gets 409).
    #[arg(long)]
    pub multi_stream: bool,
    /// Seconds between verification requests before 429.
    #[arg(long, default_value_t = 15, value_name = "SECS")]
    pub min_verification_interval: u64,
    /// Pause a stream after this many seconds without receiver activity.
    #[arg(long, value_name = "SECS")]
    pub inactivity_timeout: Option<u64>,
    /// Bend the spec as real transmitters do (repeatable); changeable while running through
    /// POST {issuer}/control/quirks.
    #[arg(long = "quirk", value_name = "NAME", value_parser = quirk_parser())]
    pub quirks: Vec<Quirk>,
    /// Trust this PEM CA (or self-signed certificate) for https push endpoints, beside the
    /// system's roots.
    #[arg(long, value_name = "FILE")]
    pub push_ca_cert: Option<std::path::PathBuf>,
    /// Push to https endpoints whatever their certificate (a self-signed test receiver).
    #[arg(long)]
    pub push_accept_invalid_certs: bool,
    /// The event types it supports (repeatable; default every current CAEP and RISC type), as
    /// a transmitter that supports few does (with `--quirk strict-create` it refuses others).
    #[arg(long = "event-supported", value_name = "URI")]
    pub events_supported: Vec<String>,
}

fn parse_scenario(text: &str) -> Result<Scenario, String> {
    text.parse()
}

/// A quirk name; clap refuses any other with the list of names.
pub fn quirk_parser() -> impl TypedValueParser<Value = Quirk> {
    PossibleValuesParser::new(Quirk::names()).try_map(|name| name.parse::<Quirk>())
}

impl TransmitterArgs {
    /// The options these flags describe.
    pub fn options(&self) -> TransmitterOptions {
        let interval = match self.rate {
            Some(rate) if rate > 0.0 => Duration::from_secs_f64(1.0 / rate),
            _ => Duration::from_secs(2),
        };
        TransmitterOptions {
            scenario: self.scenario,
            event_interval: interval,
            disable_after: Some(Duration::from_secs(self.disable_after)),
            tells: !self.silent,
            token: self.token.clone(),
            read_token: self.read_token.clone(),
            issuer_path: self.issuer_path.clone(),
            signing_alg: if self.rs256 {
                jsonwebtoken::Algorithm::RS256
            } else {
                jsonwebtoken::Algorithm::ES256
            },
            multiple_streams: self.multi_stream,
            min_verification_interval: self.min_verification_interval,
            inactivity_timeout: self.inactivity_timeout.map(Duration::from_secs),
            quirks: self.quirks.iter().copied().collect::<Quirks>(),
            push_trust: PushTrust {
                ca_pem: None,
                accept_invalid_certs: self.push_accept_invalid_certs,
            },
            events_supported: (!self.events_supported.is_empty())
                .then(|| self.events_supported.clone()),
            ..TransmitterOptions::default()
        }
    }

    /// The options, with the push CA read from its file.
    pub fn options_with_files(&self) -> anyhow::Result<TransmitterOptions> {
        let mut options = self.options();
        if let Some(path) = &self.push_ca_cert {
            let pem = std::fs::read(path)
                .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", path.display()))?;
            options.push_trust.ca_pem = Some(pem);
        }
        Ok(options)
    }
}

/// Run the transmitter until Ctrl-C.
pub fn run(args: &TransmitterArgs) -> anyhow::Result<ExitCode> {
    if !args.listen.ip().is_loopback() {
        tracing::warn!(listen = %args.listen, "the transmitter serves plain http: prefer a loopback address");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("ssf-transmitter")
        .enable_all()
        .build()?;
    let options = args.options_with_files()?;
    let quirks = options.quirks;
    rt.block_on(async {
        let cancel = CancellationToken::new();
        let transmitter = Transmitter::start(args.listen, options, cancel.clone()).await?;
        let issuer = &transmitter.issuer;
        let path = args.issuer_path.trim_end_matches('/');
        println!("SSF transmitter listening ({:?} scenario, {})", args.scenario, if args.silent { "silent" } else { "tells" });
        println!("  issuer    {issuer}");
        println!("  metadata  http://{}/.well-known/ssf-configuration{path}", transmitter.addr);
        if args.token.is_none() {
            println!("  token     {}", transmitter.management_token);
        }
        println!("  quirks    {quirks}");
        println!("Create a push stream:");
        println!("  curl -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
        println!("    -d '{{\"delivery\":{{\"method\":\"urn:ietf:rfc:8935\",\"endpoint_url\":\"http://127.0.0.1:9000/push\"}}}}' {issuer}/streams");
        println!("or a poll stream with -d '{{}}', then POST to its delivery.endpoint_url. Ctrl-C stops.");
        crate::runtime::signals::termination().await;
        cancel.cancel();
        anyhow::Ok(())
    })?;
    rt.shutdown_timeout(Duration::from_secs(1));
    Ok(ExitCode::SUCCESS)
}
