//! Profiles on disk: `profiles.json` in the config folder (no secrets in it) and `secrets.json`
//! beside it, both 0600 in a folder created 0700. A profile and its secrets are saved or removed together
//! (both files read first). `SSF_INSPECTOR_CONFIG_DIR` moves the folder.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::core::profile::{Profile, SecretRef};
use crate::runtime::receiver::auth::{Auth, TokenSource};

const PROFILES: &str = "profiles.json";
const SECRETS: &str = "secrets.json";

/// The profile files of one config folder.
#[derive(Clone, Debug)]
pub struct ProfileFiles {
    dir: PathBuf,
}

impl ProfileFiles {
    /// The user's config folder (or `SSF_INSPECTOR_CONFIG_DIR`).
    pub fn user() -> anyhow::Result<Self> {
        if let Some(dir) = std::env::var_os("SSF_INSPECTOR_CONFIG_DIR") {
            return Ok(Self::new(PathBuf::from(dir)));
        }
        let dirs = directories::ProjectDirs::from("dev", "ssf-inspector", "ssf-inspector")
            .context("no home folder to keep profiles in; set SSF_INSPECTOR_CONFIG_DIR")?;
        Ok(Self::new(dirs.config_dir().to_path_buf()))
    }

    /// Profiles kept in `dir`, or in the user's config folder when `None`.
    pub fn at(dir: Option<&Path>) -> anyhow::Result<Self> {
        dir.map_or_else(Self::user, |dir| Ok(Self::new(dir.to_path_buf())))
    }

    /// Profiles kept in `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every profile (none when the file does not exist yet).
    pub fn load(&self) -> anyhow::Result<Vec<Profile>> {
        let path = self.dir.join(PROFILES);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid profiles file", path.display())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Replace every profile.
    pub fn save(&self, profiles: &[Profile]) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(profiles)?;
        write_atomically(&self.dir.join(PROFILES), text.as_bytes())
    }

    fn secrets(&self) -> anyhow::Result<BTreeMap<String, String>> {
        let path = self.dir.join(SECRETS);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid secrets file", path.display())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Keep a secret under `key` in the secrets file (mode 0600).
    pub fn store_secret(&self, key: &str, value: &str) -> anyhow::Result<()> {
        let mut secrets = self.secrets()?;
        secrets.insert(key.to_owned(), value.to_owned());
        self.write_secrets(&secrets)
    }

    /// Save `profile` (replacing the one of its name) and the literal secrets it refers to,
    /// both or neither: both files are read before either is written, so a broken one stops
    /// the change with nothing written; the secrets are written first, and put back if the
    /// profiles cannot be.
    pub fn put(&self, profile: Profile, secrets: &[(String, String)]) -> anyhow::Result<()> {
        let mut profiles = self.load()?;
        let before = self.secrets()?;
        profiles.retain(|p| p.name != profile.name);
        profiles.push(profile);
        profiles.sort_by(|a, b| a.name.cmp(&b.name));
        if secrets.is_empty() {
            return self.save(&profiles);
        }
        let mut after = before.clone();
        after.extend(secrets.iter().cloned());
        self.write_secrets(&after)?;
        self.save(&profiles)
            .inspect_err(|_| self.put_back_secrets(&before))
    }

    /// Remove the profile named `name` and the secrets it kept (`NAME.token`,
    /// `NAME.push_auth`, `NAME.client_secret`), both or neither as [`Self::put`] does; `false`
    /// when there is no such profile (nothing is written).
    pub fn remove(&self, name: &str) -> anyhow::Result<bool> {
        let before = self.load()?;
        let mut secrets = self.secrets()?;
        let mut profiles = before.clone();
        profiles.retain(|p| p.name != name);
        if profiles.len() == before.len() {
            return Ok(false);
        }
        let kept = secrets.len();
        let keys = ["token", "push_auth", "client_secret"].map(|field| format!("{name}.{field}"));
        secrets.retain(|key, _| !keys.contains(key));
        self.save(&profiles)?;
        if secrets.len() != kept {
            self.write_secrets(&secrets).inspect_err(|_| {
                if let Err(err) = self.save(&before) {
                    tracing::error!("the profiles could not be put back: {err:#}");
                }
            })?;
        }
        Ok(true)
    }

    fn write_secrets(&self, secrets: &BTreeMap<String, String>) -> anyhow::Result<()> {
        write_atomically(
            &self.dir.join(SECRETS),
            serde_json::to_string_pretty(secrets)?.as_bytes(),
        )
    }

    /// The secrets as they were before a change that could not be finished.
    fn put_back_secrets(&self, before: &BTreeMap<String, String>) {
        let put_back = if before.is_empty() {
            match std::fs::remove_file(self.dir.join(SECRETS)) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err.into()),
                _ => Ok(()),
            }
        } else {
            self.write_secrets(before)
        };
        if let Err(err) = put_back {
            tracing::error!("the secrets file could not be put back: {err:#}");
        }
    }

    /// The value of a secret reference (errors name the reference, never a value). The value
    /// is registered to be scrubbed from every text the app writes or shows.
    pub fn resolve(&self, secret: &SecretRef) -> anyhow::Result<String> {
        let value = self.resolve_value(secret)?;
        crate::core::secrets::register(&value);
        Ok(value)
    }

    fn resolve_value(&self, secret: &SecretRef) -> anyhow::Result<String> {
        match secret {
            SecretRef::Env(name) => std::env::var(name)
                .with_context(|| format!("the environment variable {name} is not set")),
            SecretRef::File(path) => Ok(std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the secret file {path}"))?
                .trim()
                .to_owned()),
            SecretRef::Stored(key) => self
                .secrets()?
                .remove(key)
                .with_context(|| format!("no stored secret \"{key}\"; add the profile again")),
        }
    }
}

/// Write through a temporary file and rename, so a crash never leaves half a file. The file is
/// private (0600) from its creation, its folder too when this makes it; a temporary file a
/// crash left behind is removed, not written through with its mode.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("a file without a folder")?;
    crate::runtime::private::folder(dir)?;
    let tmp = path.with_extension("tmp");
    match std::fs::remove_file(&tmp) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            return Err(err).with_context(|| format!("cannot remove {}", tmp.display()));
        }
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Turn a profile into a session: secrets resolved, an HTTP client with its TLS settings.
pub fn session_for(
    files: &ProfileFiles,
    profile: &Profile,
    leave_as_found: bool,
) -> anyhow::Result<(
    crate::runtime::receiver::session::SessionConfig,
    reqwest::Client,
)> {
    let (mut config, client) =
        session_resolving(profile, leave_as_found, &|secret| files.resolve(secret))?;
    config.profile_dir = Some(files.dir().to_path_buf());
    Ok((config, client))
}

/// [`session_for`] with secrets typed but not stored yet (the profile form's *Test connection*):
/// a stored reference named in `given` takes its value from there.
pub fn session_with_secrets(
    files: &ProfileFiles,
    profile: &Profile,
    given: &[(String, String)],
) -> anyhow::Result<(
    crate::runtime::receiver::session::SessionConfig,
    reqwest::Client,
)> {
    let (mut config, client) = session_resolving(profile, true, &|secret| {
        if let SecretRef::Stored(key) = secret
            && let Some((_, value)) = given.iter().find(|(k, _)| k == key)
        {
            crate::core::secrets::register(value);
            return Ok(value.clone());
        }
        files.resolve(secret)
    })?;
    config.profile_dir = Some(files.dir().to_path_buf());
    Ok((config, client))
}

type Resolve<'a> = dyn Fn(&SecretRef) -> anyhow::Result<String> + 'a;

fn session_resolving(
    profile: &Profile,
    leave_as_found: bool,
    resolve: &Resolve<'_>,
) -> anyhow::Result<(
    crate::runtime::receiver::session::SessionConfig,
    reqwest::Client,
)> {
    use crate::core::profile::{Concern, ManagementAuth};
    if let Some((_, why)) = profile
        .check()
        .into_iter()
        .find(|(c, _)| *c == Concern::Error)
    {
        anyhow::bail!("profile \"{}\": {why}", profile.name);
    }
    let auth = match &profile.auth {
        ManagementAuth::None => Auth::None,
        ManagementAuth::Bearer { token } => Auth::Bearer(resolve(token)?),
        ManagementAuth::ClientCredentials {
            token_endpoint,
            client_id,
            client_secret,
            scopes,
        } => Auth::ClientCredentials(TokenSource::new(
            token_endpoint.clone(),
            client_id.clone(),
            resolve(client_secret)?,
            scopes.clone(),
        )),
    };
    let push_authorization = profile
        .push_authorization
        .as_ref()
        .map(resolve)
        .transpose()?;
    if let Some(problem) = push_authorization
        .as_deref()
        .and_then(crate::core::profile::push_authorization_problem)
    {
        anyhow::bail!(
            "profile \"{}\": the push authorization {problem}; {}",
            profile.name,
            crate::core::profile::PUSH_AUTHORIZATION_HINT
        );
    }
    let listen = match &profile.listen {
        Some(listen) => listen
            .parse()
            .with_context(|| format!("listen address \"{listen}\""))?,
        None => std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0)),
    };
    let mut client =
        crate::runtime::net::client_builder().timeout(std::time::Duration::from_secs(30));
    if let Some(path) = &profile.ca_cert {
        let pem = std::fs::read(path)
            .with_context(|| format!("cannot read the CA certificate {path}"))?;
        client = client.add_root_certificate(
            reqwest::Certificate::from_pem(&pem)
                .with_context(|| format!("{path} is not a PEM certificate"))?,
        );
    }
    if profile.accept_invalid_certs {
        client = client.danger_accept_invalid_certs(true);
    }
    let config = crate::runtime::receiver::session::SessionConfig {
        key: crate::core::record::StreamKey(profile.name.clone()),
        label: profile.name.clone(),
        issuer: profile.issuer.clone(),
        metadata_url: profile.metadata_url.clone(),
        auth: std::sync::Arc::new(auth),
        delivery: profile.delivery,
        listen,
        push_authorization,
        audience: profile.audience.clone(),
        events_requested: profile.events_requested.clone(),
        allow_insecure_http: profile.allow_insecure_http,
        rules: profile.rules,
        leave_as_found,
        watch: crate::runtime::receiver::session::WatchSettings::from(&profile.watch),
        stream: profile.stream.clone(),
        setup: profile.setup.clone(),
        profile_dir: None,
    };
    Ok((config, client.build()?))
}
