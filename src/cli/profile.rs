//! `ssf-inspector profile add|list|remove`: transmitter profiles from the command line, kept in
//! the same files the window uses. Secret values go to the 0600 secrets file, never the profile.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::core::profile::{
    Concern, DeliveryMode, ManagementAuth, PUSH_AUTHORIZATION_HINT, Profile, ProfileWatch, PushTls,
    SecretRef, SetupOptions, StreamSetup, push_authorization_problem,
};
use crate::runtime::profiles::ProfileFiles;

/// Profile subcommands.
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Add (or replace) a profile.
    Add(Box<AddArgs>),
    /// List the profiles (no secret is shown).
    List {
        /// One JSON object per profile.
        #[arg(long)]
        json: bool,
    },
    /// Remove a profile and its stored secrets.
    Remove {
        /// The profile's name.
        name: String,
    },
}

/// Options of `profile add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The profile's name.
    pub name: String,
    /// The transmitter's issuer URL.
    #[arg(long)]
    pub issuer: String,
    /// Metadata URL when it is not at the well-known location.
    #[arg(long, value_name = "URL")]
    pub metadata_url: Option<String>,
    /// Management bearer token: env:VAR, file:PATH, or the value (kept in the secrets file).
    /// A value may start with '-' (random tokens do).
    #[arg(long, value_name = "SECRET", allow_hyphen_values = true)]
    pub token: Option<String>,
    /// OAuth client credentials instead of a token: the token endpoint URL.
    #[arg(long, value_name = "URL", requires_all = ["client_id", "client_secret"], conflicts_with = "token")]
    pub token_endpoint: Option<String>,
    /// OAuth client id.
    #[arg(long, value_name = "ID", requires = "token_endpoint")]
    pub client_id: Option<String>,
    /// OAuth client secret: env:VAR, file:PATH, or the value (kept in the secrets file).
    #[arg(
        long,
        value_name = "SECRET",
        requires = "token_endpoint",
        allow_hyphen_values = true
    )]
    pub client_secret: Option<String>,
    /// OAuth scopes (space-separated).
    #[arg(long, default_value = "ssf.read ssf.manage", value_name = "SCOPES")]
    pub scope: String,
    /// Push or poll.
    #[arg(long, default_value = "push", value_parser = ["push", "poll"])]
    pub delivery: String,
    /// Push: listen address, e.g. 127.0.0.1:9000.
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// Push: the Authorization value the transmitter must send (env:, file: or the value).
    #[arg(long, value_name = "SECRET", allow_hyphen_values = true)]
    pub push_auth: Option<String>,
    /// Expected audience.
    #[arg(long)]
    pub audience: Option<String>,
    /// Event types to request: URIs, or names such as session-revoked (comma-separated or
    /// repeated); none given asks for what the transmitter lists (its metadata, or its
    /// streams' events_supported), else the current CAEP and RISC types, and leaves out once
    /// what a refusal names as unsupported.
    #[arg(long = "event", value_name = "NAME|URI", value_delimiter = ',')]
    pub events: Vec<String>,
    /// Extra trusted CA certificate (PEM file).
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<String>,
    /// Allow a plain-http issuer on another machine.
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Accept invalid TLS certificates (dangerous).
    #[arg(long)]
    pub accept_invalid_certs: bool,
    /// Accept (and flag) SETs that break a MUST, for a transmitter known to bend it, instead of
    /// refusing them with invalid_request: without-jti, wrong-typ, expired (repeatable).
    #[arg(long = "accept-broken", value_name = "RULE", value_delimiter = ',')]
    pub accept_broken: Vec<String>,
    /// Read the stream status every SECS seconds (default 60).
    #[arg(long, value_name = "SECS")]
    pub status_every: Option<u64>,
    /// Request a verification SET every SECS seconds (default 120; never more often than the
    /// transmitter's min_verification_interval).
    #[arg(long, value_name = "SECS")]
    pub heartbeat_every: Option<u64>,
    /// A requested verification SET must arrive within SECS seconds (default 60).
    #[arg(long, value_name = "SECS")]
    pub heartbeat_timeout: Option<u64>,
    /// Alert when no SET came for SECS seconds (default: learned from the traffic).
    #[arg(long, value_name = "SECS")]
    pub silent_after: Option<u64>,
    /// Poll: wait SECS seconds after an empty answer that came at once (default 5).
    #[arg(long, value_name = "SECS")]
    pub poll_every: Option<u64>,
    /// When to create a stream: auto (only when the transmitter lists no stream of others),
    /// always (even beside others, unless the transmitter says it keeps a single stream),
    /// never. The receiver's own stream (its description, the id this profile remembers, or a
    /// transmitter's one configuration per token) is used in every mode.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"], conflicts_with_all = ["attach", "listen_only"])]
    pub create_stream: String,
    /// Attach to this existing stream (by id): receive from it, change nothing.
    #[arg(long, value_name = "STREAM_ID", conflicts_with = "listen_only")]
    pub attach: Option<String>,
    /// No management calls: the stream was provisioned out of band (push: needs --listen with
    /// a port, --push-path and --push-auth; poll: needs --poll-url).
    #[arg(long)]
    pub listen_only: bool,
    /// Extra members of the create request, a JSON object, e.g. '{"aud":"https://rp.example"}'.
    #[arg(long, value_name = "JSON")]
    pub create_members: Option<String>,
    /// Leave description out of the create request (a transmitter that refuses it as an
    /// unknown member is asked again without it anyway; the stream is remembered by its id).
    #[arg(long)]
    pub no_description: bool,
    /// Poll this URL instead of the one the stream configuration names.
    #[arg(long, value_name = "URL")]
    pub poll_url: Option<String>,
    /// Push: the endpoint's path, e.g. /ssf/push (default: random).
    #[arg(long, value_name = "PATH")]
    pub push_path: Option<String>,
    /// Push: serve the endpoint over TLS with a generated self-signed certificate.
    #[arg(long, conflicts_with = "push_cert")]
    pub push_tls_self_signed: bool,
    /// Push: serve the endpoint over TLS with this certificate chain (PEM).
    #[arg(long, value_name = "PEM", requires = "push_key")]
    pub push_cert: Option<String>,
    /// Push: the private key of --push-cert (PEM).
    #[arg(long, value_name = "PEM", requires = "push_cert")]
    pub push_key: Option<String>,
}

impl AddArgs {
    /// How the stream is got.
    fn stream(&self) -> StreamSetup {
        if self.listen_only {
            StreamSetup::ListenOnly
        } else if let Some(stream_id) = &self.attach {
            StreamSetup::Attach {
                stream_id: stream_id.clone(),
            }
        } else {
            StreamSetup::from_create_arg(&self.create_stream).unwrap_or_default()
        }
    }

    /// The set-up options given.
    fn setup(&self) -> anyhow::Result<SetupOptions> {
        let create_members = self
            .create_members
            .as_deref()
            .map(serde_json::from_str::<serde_json::Value>)
            .transpose()
            .map_err(|err| anyhow::anyhow!("--create-members is not JSON: {err}"))?;
        let push_tls = match (&self.push_cert, &self.push_key) {
            (Some(cert), Some(key)) => Some(PushTls::Files {
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ if self.push_tls_self_signed => Some(PushTls::SelfSigned),
            _ => None,
        };
        Ok(SetupOptions {
            create_members,
            omit_description: self.no_description,
            poll_url: self.poll_url.clone(),
            push_path: self.push_path.clone(),
            push_tls,
        })
    }

    /// The watch section: the options given, the defaults for the rest.
    fn watch(&self) -> ProfileWatch {
        let default = ProfileWatch::default();
        ProfileWatch {
            status_every_secs: self.status_every.unwrap_or(default.status_every_secs),
            heartbeat_every_secs: self.heartbeat_every.unwrap_or(default.heartbeat_every_secs),
            heartbeat_timeout_secs: self
                .heartbeat_timeout
                .unwrap_or(default.heartbeat_timeout_secs),
            silent_after_secs: self.silent_after.or(default.silent_after_secs),
            poll_every_secs: self.poll_every.unwrap_or(default.poll_every_secs),
        }
    }
}

/// Run a profile subcommand.
pub fn run(command: &ProfileCommand) -> anyhow::Result<ExitCode> {
    let files = ProfileFiles::user()?;
    match command {
        ProfileCommand::Add(args) => add(&files, args),
        ProfileCommand::List { json } => list(&files, *json),
        ProfileCommand::Remove { name } => remove(&files, name),
    }
}

/// A secret argument as a reference, and the literal value to store (after the checks pass).
fn secret(
    arg: Option<&String>,
    key: &str,
    to_store: &mut Vec<(String, String)>,
) -> Option<SecretRef> {
    let (reference, value) = SecretRef::from_arg(arg?, key);
    if let Some(value) = value {
        to_store.push((key.to_owned(), value));
    }
    Some(reference)
}

/// `--accept-broken` names → the profile's SET rules (the rest refuse).
fn rules(names: &[String]) -> anyhow::Result<crate::core::set_rules::SetRules> {
    use crate::core::set_rules::{OnBreak, SetRules};
    let mut rules = SetRules::default();
    for name in names {
        match name.trim() {
            "without-jti" => rules.without_jti = OnBreak::Flag,
            "wrong-typ" => rules.wrong_typ = OnBreak::Flag,
            "expired" => rules.expired = OnBreak::Flag,
            other => anyhow::bail!(
                "--accept-broken takes without-jti, wrong-typ or expired, got \"{other}\""
            ),
        }
    }
    Ok(rules)
}

fn add(files: &ProfileFiles, args: &AddArgs) -> anyhow::Result<ExitCode> {
    let name = &args.name;
    let mut to_store = Vec::new();
    let token = secret(args.token.as_ref(), &format!("{name}.token"), &mut to_store);
    let client_secret = secret(
        args.client_secret.as_ref(),
        &format!("{name}.client_secret"),
        &mut to_store,
    );
    let profile = Profile {
        name: name.clone(),
        issuer: args.issuer.clone(),
        metadata_url: args.metadata_url.clone(),
        auth: match (&args.token_endpoint, &args.client_id, client_secret) {
            (Some(endpoint), Some(id), Some(secret)) => ManagementAuth::ClientCredentials {
                token_endpoint: endpoint.clone(),
                client_id: id.clone(),
                client_secret: secret,
                scopes: args.scope.split_whitespace().map(str::to_owned).collect(),
            },
            _ => token.map_or(ManagementAuth::None, |token| ManagementAuth::Bearer {
                token,
            }),
        },
        delivery: if args.delivery == "poll" {
            DeliveryMode::Poll
        } else {
            DeliveryMode::Push
        },
        listen: args.listen.clone(),
        push_authorization: secret(
            args.push_auth.as_ref(),
            &format!("{name}.push_auth"),
            &mut to_store,
        ),
        audience: args.audience.clone(),
        ca_cert: args.ca_cert.clone(),
        accept_invalid_certs: args.accept_invalid_certs,
        allow_insecure_http: args.allow_insecure_http,
        rules: rules(&args.accept_broken)?,
        events_requested: crate::core::events::parse_list(&args.events.join(" ")).map_err(
            |unknown| {
                anyhow::anyhow!(
                    "unknown event type(s): {} (use a URI, or a name such as session-revoked)",
                    unknown.join(", ")
                )
            },
        )?,
        watch: args.watch(),
        stream: args.stream(),
        setup: args.setup()?,
    };
    // A value given as such is checked now; one from env: or file: when the profile starts.
    let literal = args
        .push_auth
        .as_deref()
        .filter(|v| !v.starts_with("env:") && !v.starts_with("file:"));
    if let Some(problem) = literal.and_then(push_authorization_problem) {
        eprintln!("error: --push-auth {problem}: {PUSH_AUTHORIZATION_HINT}");
        return Ok(ExitCode::from(2));
    }
    let concerns = profile.check();
    for (concern, text) in &concerns {
        eprintln!(
            "{}: {text}",
            if *concern == Concern::Error {
                "error"
            } else {
                "warning"
            }
        );
    }
    if !profile.is_usable() {
        return Ok(ExitCode::from(2));
    }
    files.put(profile, &to_store)?;
    println!("profile \"{name}\" saved in {}", files.dir().display());
    Ok(ExitCode::SUCCESS)
}

fn auth_text(auth: &ManagementAuth) -> String {
    match auth {
        ManagementAuth::None => "none".to_owned(),
        ManagementAuth::Bearer { token } => format!("bearer {}", token.describe()),
        ManagementAuth::ClientCredentials { client_id, .. } => {
            format!("client credentials ({client_id})")
        }
    }
}

/// The watch section on one line.
fn watch_text(watch: &ProfileWatch) -> String {
    let silent = watch.silent_after_secs.map_or_else(
        || "learned from the traffic".to_owned(),
        |secs| format!("{secs} s"),
    );
    format!(
        "status every {} s, heartbeat every {} s (timeout {} s), silent after {silent}",
        watch.status_every_secs, watch.heartbeat_every_secs, watch.heartbeat_timeout_secs
    )
}

fn list(files: &ProfileFiles, json: bool) -> anyhow::Result<ExitCode> {
    for profile in files.load()? {
        if json {
            println!("{}", serde_json::to_string(&profile)?);
            continue;
        }
        let delivery = match profile.delivery {
            DeliveryMode::Push => format!(
                "push (listen {})",
                profile.listen.as_deref().unwrap_or("127.0.0.1, any port")
            ),
            DeliveryMode::Poll => "poll".to_owned(),
        };
        let events = if profile.events_requested.is_empty() {
            "every event type known".to_owned()
        } else {
            let names: Vec<String> = profile
                .events_requested
                .iter()
                .map(|uri| crate::core::events::short_name(uri))
                .collect();
            names.join(", ")
        };
        println!(
            "{}\n  issuer    {}\n  auth      {}\n  delivery  {delivery}\n  events    {events}\n  watch     {}\n  stream    {}",
            profile.name,
            profile.issuer,
            auth_text(&profile.auth),
            watch_text(&profile.watch),
            profile.stream.describe()
        );
        for (_, text) in profile.check() {
            println!("  ⚠ {text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn remove(files: &ProfileFiles, name: &str) -> anyhow::Result<ExitCode> {
    if !files.remove(name)? {
        eprintln!("no profile named \"{name}\"");
        return Ok(ExitCode::from(2));
    }
    println!("profile \"{name}\" removed");
    Ok(ExitCode::SUCCESS)
}
