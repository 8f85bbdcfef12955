//! Before the transmitter is made to act on the stream: the stream confirmed ours by its own
//! answer; the verification heartbeat (asked only of a stream so confirmed); and a stream
//! found gone, told.

use super::management::{Management, refused_status};
use super::shared::SessionDeps;
use crate::core::own_action::OwnAction;
use crate::core::record::StreamKey;
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::runtime::journal::JournalReader;
use crate::runtime::random::random_token;

/// The stream is gone (deleted or replaced at the transmitter; the reducer knows whether it was
/// the receiver's own doing); `why` quotes how that was found out, in `exchange`.
pub(super) async fn gone(deps: &SessionDeps, key: &StreamKey, why: String, exchange: Option<u64>) {
    let update = Update::StreamGone {
        key: key.clone(),
        why,
        at: UnixMillis::now(),
        exchange,
    };
    deps.updates.send(update).await.ok();
}

/// Before a call that makes the transmitter act on the stream (a verification, a status
/// change, a subject, a delete): the transmitter must still have it, by its own answer about
/// that stream. On a transmitter that ignores `stream_id` the call would otherwise act on
/// whatever stream it has now, someone else's. A transmitter without a configuration endpoint
/// cannot be asked, and is trusted.
pub(super) async fn confirm_ours(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    stream_id: &str,
) -> anyhow::Result<()> {
    if management.metadata.configuration_endpoint.is_none() {
        return Ok(());
    }
    let found = management.find_stream(stream_id).await.map_err(|err| {
        anyhow::anyhow!("nothing was sent: the stream could not be read first ({err:#})")
    })?;
    match found.absence(stream_id) {
        None => Ok(()),
        Some(why) => {
            gone(deps, key, why.clone(), management.last_exchange()).await;
            anyhow::bail!("nothing was sent: {why}")
        }
    }
}

/// Ask for a verification SET with a fresh `state`; the reducer waits for it. The stream is
/// confirmed first (a transmitter that ignores `stream_id` would have another receiver's
/// stream push it). A request the transmitter did not accept is told as such, so no heartbeat
/// is taken for lost; a 404 is a deletion only when the configuration no longer finds it.
/// `by_user` is a request the user made (its refusal is the operation's outcome, no alert).
pub(super) async fn heartbeat(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    stream_id: &str,
    (own, by_user): (Option<&JournalReader>, bool),
) -> anyhow::Result<()> {
    confirm_ours(management, deps, key, stream_id).await?;
    let state = random_token()?;
    // Written down, so a later run of this profile that receives its SET (a transmitter that
    // queues it) knows it was asked.
    if let Some(own) = own {
        let action = OwnAction::Verification {
            state: state.clone(),
        };
        own.journal()
            .asked(
                &key.0,
                stream_id,
                action,
                if by_user {
                    "the user's verification request"
                } else {
                    "the verification heartbeat"
                },
            )
            .ended(true);
    }
    // Announced before the request, so the answer can never overtake it on the way to the UI.
    let requested = Update::VerificationRequested {
        key: key.clone(),
        state: state.clone(),
        at: UnixMillis::now(),
    };
    deps.updates.send(requested).await.ok();
    match management.request_verification(stream_id, &state).await {
        Ok(exchange) => {
            let sent = Update::VerificationSent {
                key: key.clone(),
                exchange,
            };
            deps.updates.send(sent).await.ok();
            Ok(())
        }
        Err(err) => {
            // A 404 with the stream still there (a route the transmitter lacks) is a refused
            // verification; only a stream the configuration no longer finds is gone.
            if refused_status(&err) == Some(404)
                && let Ok(found) = management.find_stream(stream_id).await
                && let Some(why) = found.absence(stream_id)
            {
                gone(deps, key, why, management.last_exchange()).await;
                return Err(err);
            }
            let failed = Update::VerificationFailed {
                key: key.clone(),
                error: format!("{err:#}"),
                exchange: management.evidence_of(&err),
                at: UnixMillis::now(),
                by_user,
            };
            deps.updates.send(failed).await.ok();
            Err(err)
        }
    }
}
