//! The window's *Decode*: pasted text decoded off the UI thread, verified with a chosen
//! profile's keys (read for this paste), and sent back as one update.

use std::path::PathBuf;

use crate::core::ingest::Expectations;
use crate::core::pasted::{Pasted, PastedKeys};
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::KeySet;
use crate::runtime::profiles::{self, ProfileFiles};
use crate::runtime::receiver;
use crate::runtime::receiver::exchange_log::ExchangeLog;
use crate::runtime::receiver::session::SessionDeps;

/// Decode `text`, with the keys of the saved profile `profile` when one is named.
pub(super) fn decode(
    config: Option<PathBuf>,
    text: String,
    profile: Option<String>,
    deps: &SessionDeps,
) {
    let deps = deps.clone();
    tokio::spawn(async move {
        let (keys, expect, used) = match profile {
            None => (KeySet::default(), Expectations::default(), PastedKeys::None),
            Some(name) => match profile_keys(config, &name, &deps).await {
                Ok(found) => found,
                Err(why) => (
                    KeySet::default(),
                    Expectations::default(),
                    PastedKeys::Failed { name, why },
                ),
            },
        };
        let decoded = tokio::task::spawn_blocking(move || {
            let (text, _) = crate::core::pasted::within_limit(&text);
            Pasted::decode(text, &keys, &expect, used, UnixMillis::now())
        })
        .await;
        match decoded {
            Ok(pasted) => {
                deps.updates
                    .send(Update::Pasted(Box::new(pasted)))
                    .await
                    .ok();
            }
            Err(err) => {
                let text = format!("The pasted text could not be decoded: {err}");
                deps.updates.notice(NoticeLevel::Error, text).await;
            }
        }
    });
}

/// The saved profile's transmitter keys, and what its SETs must say.
async fn profile_keys(
    config: Option<PathBuf>,
    name: &str,
    deps: &SessionDeps,
) -> Result<(KeySet, Expectations, PastedKeys), String> {
    let wanted = name.to_owned();
    let resolved = tokio::task::spawn_blocking(move || {
        let files = ProfileFiles::at(config.as_deref())?;
        let profile = files.load()?.into_iter().find(|p| p.name == wanted);
        let profile = profile.ok_or_else(|| anyhow::anyhow!("no profile named \"{wanted}\""))?;
        profiles::session_for(&files, &profile, true)
    })
    .await
    .map_err(|err| format!("{err}"))?
    .map_err(|err| format!("the profile cannot be used: {err:#}"))?;
    let (session, client) = resolved;
    let log = ExchangeLog::new(
        deps.store.clone(),
        deps.updates.clone(),
        Some(session.key.clone()),
    );
    receiver::paste_keys::read(&session, &client, &log).await
}
