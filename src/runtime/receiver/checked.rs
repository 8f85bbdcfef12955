//! Management calls that check the transmitter's answer is about the stream asked for, before
//! anything is believed or done: some transmitters ignore `stream_id` and answer (or delete)
//! the one stream they have, whoever made it. A delete is checked before (the stream is there,
//! by its own answer, and delivers where it should) and after (it is gone, and nothing else is).

use serde_json::Value;

use super::management::{Management, refusal, refused_status};
use crate::core::stream_identity::{self, About, Listed};

/// What the transmitter says of a stream asked for by id ([`Management::find_stream`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// It has the stream: its configuration.
    Ours(Value),
    /// It does not (a 404, or no longer listed): why, quoting its answer.
    Gone(String),
    /// Asked for the stream, it answers for another: it ignores `stream_id`, and the stream
    /// asked for is gone (replaced, or deleted).
    Other {
        /// The stream it answers for.
        stream_id: String,
        /// Where that one delivers.
        delivers_to: Option<String>,
    },
}

impl Found {
    /// Why the stream asked for is not there, in words; `None` when it is.
    pub fn absence(&self, asked: &str) -> Option<String> {
        match self {
            Self::Ours(_) => None,
            Self::Gone(why) => Some(why.clone()),
            Self::Other {
                stream_id,
                delivers_to,
            } => Some(format!(
                "asked for stream {asked}, the transmitter answers for stream {stream_id}{}: it ignores stream_id, and stream {asked} is no longer there (replaced by another receiver's create, or deleted)",
                delivers_to
                    .as_ref()
                    .map(|url| format!(" (delivering to {url})"))
                    .unwrap_or_default()
            )),
        }
    }
}

/// A 404 in words: what was asked, and the transmitter's own answer quoted.
fn gone_text(err: &anyhow::Error) -> String {
    match refusal(err) {
        Some(refused) if !refused.body.is_empty() => {
            format!("{} answered HTTP 404: {}", refused.what, refused.body)
        }
        Some(refused) => format!("{} answered HTTP 404", refused.what),
        None => format!("{err:#}"),
    }
}

/// How a checked delete ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// Deleted, and the listing after no longer has it. `also_gone`: streams listed before that
    /// the listing after no longer has either (the delete took them too), with the exchange of
    /// the DELETE.
    Done {
        /// Streams that went with it.
        also_gone: Vec<String>,
        /// The DELETE's exchange.
        exchange: Option<u64>,
    },
    /// Nothing was deleted: the transmitter no longer has the stream (why, quoting it).
    AlreadyGone(String),
    /// Nothing was deleted: the stream is there but is not as this receiver left it (why).
    Left(String),
}

impl Management<'_> {
    /// Whether the transmitter still has the stream `stream_id` (empty: the one configuration
    /// of a transmitter without ids), checked by its own answer: a configuration read must
    /// name the stream asked for, else the listing must list it. Nothing is believed of an
    /// answer about another stream.
    pub async fn find_stream(&self, stream_id: &str) -> anyhow::Result<Found> {
        if stream_id.is_empty() {
            return match self.list_streams().await {
                Ok(mut listed) => Ok(listed.pop().map_or_else(
                    || Found::Gone("the transmitter lists no configuration".to_owned()),
                    Found::Ours,
                )),
                Err(err) if refused_status(&err) == Some(404) => Ok(Found::Gone(gone_text(&err))),
                Err(err) => Err(err),
            };
        }
        let config = match self.read_listed(stream_id).await {
            Ok(Some(config)) => config,
            Ok(None) => {
                return Ok(Found::Gone(format!(
                    "the transmitter no longer lists stream {stream_id}"
                )));
            }
            Err(err) if refused_status(&err) == Some(404) => {
                return Ok(Found::Gone(gone_text(&err)));
            }
            Err(err) => return Err(err),
        };
        match stream_identity::about(&config, stream_id) {
            About::Asked => Ok(Found::Ours(config)),
            About::Other {
                stream_id: other,
                delivers_to,
            } => Ok(Found::Other {
                stream_id: other,
                delivers_to,
            }),
            // A configuration that names no stream: the listing decides.
            About::Unnamed => match stream_identity::listed(&self.list_streams().await?, stream_id)
            {
                Listed::Yes | Listed::CannotTell => Ok(Found::Ours(config)),
                Listed::No(others) => Ok(Found::Gone(format!(
                    "the transmitter no longer lists stream {stream_id} (it lists {})",
                    others.join(", ")
                ))),
            },
        }
    }

    /// Delete `stream_id` only once the transmitter's own answer says it has that stream (and,
    /// when `delivers_to` is given, that it still delivers there: a stream someone pointed
    /// elsewhere is in use and left), then check the listing: the stream is gone, and every
    /// other stream listed before is still there.
    pub async fn delete_checked(
        &self,
        stream_id: &str,
        delivers_to: Option<&str>,
    ) -> anyhow::Result<Deleted> {
        if stream_id.is_empty() {
            anyhow::bail!("a stream without an id is not deleted");
        }
        let before = self.list_streams().await.unwrap_or_default();
        let config = match self.find_stream(stream_id).await? {
            Found::Ours(config) => config,
            found => {
                let why = found.absence(stream_id).unwrap_or_default();
                return Ok(Deleted::AlreadyGone(why));
            }
        };
        if let (Some(ours), Some(now)) = (delivers_to, stream_identity::delivers_to(&config))
            && ours != now
        {
            return Ok(Deleted::Left(format!(
                "stream {stream_id} now delivers to {now}, not to {ours}: someone pointed it there and may be using it"
            )));
        }
        let exchange = match self.delete_stream(stream_id).await {
            Ok(exchange) => exchange,
            Err(err) if refused_status(&err) == Some(404) => {
                return Ok(Deleted::AlreadyGone(gone_text(&err)));
            }
            Err(err) => return Err(err),
        };
        let after = self.list_streams().await;
        let after = match after {
            Ok(after) => after,
            // A transmitter that answers 404 when it has no stream left.
            Err(err) if refused_status(&err) == Some(404) => Vec::new(),
            Err(err) => {
                tracing::info!("listing the streams after the delete failed: {err:#}");
                return Ok(Deleted::Done {
                    also_gone: Vec::new(),
                    exchange: Some(exchange),
                });
            }
        };
        if stream_identity::listed(&after, stream_id) == Listed::Yes {
            anyhow::bail!(
                "the transmitter answered the DELETE of stream {stream_id} but still lists it"
            );
        }
        let also_gone = stream_identity::vanished(&before, &after)
            .into_iter()
            .filter(|gone| gone.split(' ').next() != Some(stream_id))
            .collect();
        Ok(Deleted::Done {
            also_gone,
            exchange: Some(exchange),
        })
    }
}
