//! Stream management calls (SSF §8): streams (list, create, update, replace, delete), status
//! (read, update), subjects (add, remove) and verification. Errors say what to check.

use anyhow::Context as _;
use reqwest::Method;
use serde_json::{Value, json};

use super::auth::Auth;
use super::exchange_log::{ExchangeLog, Reply};
use crate::core::discovery::TransmitterMetadata;

/// A client for one transmitter's management API, with its bearer token.
pub struct Management<'a> {
    /// HTTP client.
    pub client: &'a reqwest::Client,
    /// Validated metadata.
    pub metadata: &'a TransmitterMetadata,
    /// How calls are authorized (never logged).
    pub auth: &'a Auth,
    /// Where the exchanges are kept.
    pub log: &'a ExchangeLog,
}

fn endpoint<'m>(value: Option<&'m String>, name: &str) -> anyhow::Result<&'m str> {
    value
        .map(String::as_str)
        .with_context(|| format!("the transmitter metadata has no {name}"))
}

/// A management call the transmitter answered with an error status.
#[derive(Debug)]
pub struct Refused {
    /// What was asked ("creating the stream").
    pub what: String,
    /// The HTTP status.
    pub status: u16,
    /// The answer's body as text (secrets scrubbed, cut to [`REFUSAL_TEXT_MAX`]).
    pub body: String,
    /// The whole body (secrets scrubbed), to find what it names.
    pub full_body: String,
    /// The exchange's record id.
    pub exchange: u64,
}

/// How much of an error body an error message quotes.
pub const REFUSAL_TEXT_MAX: usize = 400;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A gloss only where the status alone supports it: a 404 is said as the body says it
        // (a missing route, an unknown subject and a deleted stream all answer 404).
        let hint = match self.status {
            401 => " (the management token was refused: check it)",
            403 => " (the token may not do this: check its scopes, e.g. ssf.manage)",
            404 if self.body.is_empty() => " (not found; the answer gives no reason)",
            405 | 501 => " (the transmitter does not implement this call)",
            409 => " (the transmitter already has a stream for this receiver)",
            429 => " (too many requests: wait for min_verification_interval)",
            _ => "",
        };
        let status = reqwest::StatusCode::from_u16(self.status)
            .map_or_else(|_| self.status.to_string(), |s| s.to_string());
        write!(f, "{} answered HTTP {status}{hint}", self.what)?;
        if !self.body.is_empty() {
            write!(f, ": {}", self.body)?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

/// The refusal in an error chain, if the transmitter answered with an error status.
pub fn refusal(err: &anyhow::Error) -> Option<&Refused> {
    err.chain().find_map(|e| e.downcast_ref::<Refused>())
}

/// The HTTP status of a refusal in an error chain.
pub fn refused_status(err: &anyhow::Error) -> Option<u16> {
    refusal(err).map(|r| r.status)
}

fn checked(reply: Reply, what: &str) -> anyhow::Result<Reply> {
    if reply.status.is_success() {
        return Ok(reply);
    }
    let full_body = reply.text().trim().to_owned();
    let mut body = full_body.clone();
    if body.len() > REFUSAL_TEXT_MAX {
        let mut cut = REFUSAL_TEXT_MAX;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        body.truncate(cut);
        body.push('…');
    }
    Err(Refused {
        what: what.to_owned(),
        status: reply.status.as_u16(),
        body,
        full_body,
        exchange: reply.exchange,
    }
    .into())
}

/// A success status whose body is not JSON where JSON was due: a read learned nothing, and
/// whether a change was made is not known (the transmitter may have made it and answered
/// badly, or answered from something other than its API).
#[derive(Debug)]
pub struct UnreadableAnswer {
    /// The HTTP status (a success).
    pub status: u16,
    /// What was asked, e.g. "updating the stream status".
    pub what: &'static str,
    /// Whether it asked for a change (else it read).
    pub change: bool,
}

impl std::fmt::Display for UnreadableAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the transmitter answered HTTP {} to {}, but its answer is not JSON",
            self.status, self.what
        )?;
        if self.change {
            f.write_str(", so whether the change was made is not known")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnreadableAnswer {}

/// Whether `err` is (or was caused by) an [`UnreadableAnswer`] to a change: its outcome is not
/// known.
pub fn outcome_unknown(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<UnreadableAnswer>()
            .is_some_and(|unreadable| unreadable.change)
    })
}

/// The answer to a change as JSON: `Null` when it has no body (a 202 or 204 says only that it
/// was taken), an [`UnreadableAnswer`] when it has one that is not JSON.
fn change_answer(reply: &Reply, what: &'static str) -> anyhow::Result<Value> {
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&reply.body).map_err(|_| {
        UnreadableAnswer {
            status: reply.status.as_u16(),
            what,
            change: true,
        }
        .into()
    })
}

/// The answer to a create.
pub struct Created {
    /// The configuration returned.
    pub config: Value,
    /// 201, or another success status (a 200 may mean an existing stream was changed).
    pub status: u16,
    /// The exchange's record id.
    pub exchange: u64,
}

/// The `stream_id` query, left out for a transmitter whose streams have no id.
fn id_query(stream_id: &str) -> Option<(&'static str, &str)> {
    (!stream_id.is_empty()).then_some(("stream_id", stream_id))
}

/// A request body with `stream_id`, left out when the stream has no id.
pub fn with_id(mut body: Value, stream_id: &str) -> Value {
    if !stream_id.is_empty() {
        body["stream_id"] = Value::from(stream_id);
    }
    body
}

/// The body of a push delivery.
pub fn push_delivery(method: &str, endpoint_url: &str, authorization_header: &str) -> Value {
    json!({"method": method, "endpoint_url": endpoint_url, "authorization_header": authorization_header})
}

impl Management<'_> {
    /// The exchange that answered the last call (or was sent and got no answer).
    pub fn last_exchange(&self) -> Option<u64> {
        self.log.last_sent()
    }

    /// The exchange behind a failed call: the refusal's own, else the last one sent (a
    /// request that got no answer is kept too).
    pub fn evidence_of(&self, err: &anyhow::Error) -> Option<u64> {
        refusal(err)
            .map(|refused| refused.exchange)
            .or_else(|| self.last_exchange())
    }

    async fn call(
        &self,
        method: Method,
        url: &str,
        query: Option<(&str, &str)>,
        body: Option<&Value>,
        what: &str,
    ) -> anyhow::Result<Reply> {
        let mut request = self.client.request(method, url);
        if let Some(query) = query {
            request = request.query(&[query]);
        }
        if let Some(token) = self.auth.token(self.client, self.log).await? {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let reply = self
            .log
            .send(self.client, request)
            .await
            .with_context(|| what.to_owned())?;
        checked(reply, what)
    }

    fn streams_url(&self) -> anyhow::Result<&str> {
        endpoint(
            self.metadata.configuration_endpoint.as_ref(),
            "configuration_endpoint",
        )
    }

    /// GET every stream of this receiver (SSF §8.1.1.2 without stream_id).
    pub async fn list_streams(&self) -> anyhow::Result<Vec<Value>> {
        let response = self
            .call(
                Method::GET,
                self.streams_url()?,
                None,
                None,
                "listing the streams",
            )
            .await?;
        Ok(match response.json::<Value>()? {
            Value::Array(streams) => streams,
            single @ Value::Object(_) => vec![single],
            _ => Vec::new(),
        })
    }

    /// POST a new stream with this body.
    pub async fn create_stream(&self, body: &Value) -> anyhow::Result<Created> {
        let response = self
            .call(
                Method::POST,
                self.streams_url()?,
                None,
                Some(body),
                "creating the stream",
            )
            .await?;
        Ok(Created {
            config: response.json()?,
            status: response.status.as_u16(),
            exchange: response.exchange,
        })
    }

    /// GET one stream's configuration (SSF §8.1.1.2 with `stream_id`). A transmitter that
    /// ignores the query and answers its list is searched for the stream. The answer may be
    /// about another stream (a transmitter that ignores `stream_id`): see [`Self::find_stream`].
    pub async fn read_stream(&self, stream_id: &str) -> anyhow::Result<Value> {
        self.read_listed(stream_id)
            .await?
            .with_context(|| format!("the transmitter does not list the stream {stream_id}"))
    }

    /// [`Self::read_stream`]; `None` when the answer is a list without the stream.
    pub(super) async fn read_listed(&self, stream_id: &str) -> anyhow::Result<Option<Value>> {
        let response = self
            .call(
                Method::GET,
                self.streams_url()?,
                id_query(stream_id),
                None,
                "reading the stream configuration",
            )
            .await?;
        Ok(match response.json::<Value>()? {
            Value::Array(streams) => streams
                .into_iter()
                .find(|s| crate::core::json::string(s, "stream_id").as_deref() == Some(stream_id)),
            config => Some(config),
        })
    }

    /// PATCH (`replace == false`) or PUT a stream configuration; `body` has `stream_id`.
    pub async fn change_stream(&self, body: &Value, replace: bool) -> anyhow::Result<Value> {
        Ok(self
            .change_stream_reply(body, replace)
            .await?
            .json()
            .unwrap_or(Value::Null))
    }

    async fn change_stream_reply(&self, body: &Value, replace: bool) -> anyhow::Result<Reply> {
        let (method, what) = if replace {
            (Method::PUT, "replacing the stream")
        } else {
            (Method::PATCH, "updating the stream")
        };
        self.call(method, self.streams_url()?, None, Some(body), what)
            .await
    }

    /// DELETE a stream (unchecked: see [`Self::delete_checked`]); the exchange's record id.
    pub async fn delete_stream(&self, stream_id: &str) -> anyhow::Result<u64> {
        self.call(
            Method::DELETE,
            self.streams_url()?,
            id_query(stream_id),
            None,
            "deleting the stream",
        )
        .await
        .map(|reply| reply.exchange)
    }

    /// GET the stream's status.
    pub async fn read_status(&self, stream_id: &str) -> anyhow::Result<Value> {
        let url = endpoint(self.metadata.status_endpoint.as_ref(), "status_endpoint")?;
        let response = self
            .call(
                Method::GET,
                url,
                id_query(stream_id),
                None,
                "reading the stream status",
            )
            .await?;
        response.json().map_err(|_| {
            UnreadableAnswer {
                status: response.status.as_u16(),
                what: "reading the stream status",
                change: false,
            }
            .into()
        })
    }

    /// POST a status change (receiver-initiated, SSF §8.1.2.2).
    pub async fn update_status(
        &self,
        stream_id: &str,
        status: &str,
        reason: Option<&str>,
    ) -> anyhow::Result<Value> {
        let url = endpoint(self.metadata.status_endpoint.as_ref(), "status_endpoint")?;
        let mut body = with_id(json!({"status": status}), stream_id);
        if let Some(reason) = reason {
            body["reason"] = Value::from(reason);
        }
        let response = self
            .call(
                Method::POST,
                url,
                None,
                Some(&body),
                "updating the stream status",
            )
            .await?;
        change_answer(&response, "updating the stream status")
    }

    /// Change the status: POST to the status endpoint, or, where that is not implemented (405,
    /// 501, or no status endpoint), PATCH the configuration with a `status` member, as some
    /// transmitters take it (solarssk/ssf-transmitter). The answer, and how it was sent when
    /// not the spec's way (said to the user).
    pub async fn set_status(
        &self,
        stream_id: &str,
        status: &str,
        reason: Option<&str>,
    ) -> anyhow::Result<(Value, Option<String>)> {
        let refused_method = |err: &anyhow::Error| matches!(refused_status(err), Some(405 | 501));
        let why = match self.update_status(stream_id, status, reason).await {
            Ok(answer) => return Ok((answer, None)),
            Err(err) if refused_method(&err) => format!("{err:#}"),
            Err(err) if self.metadata.status_endpoint.is_none() => {
                format!("{err:#}")
            }
            Err(err) => return Err(err),
        };
        let body = with_id(json!({"status": status}), stream_id);
        let reply = match self.change_stream_reply(&body, false).await {
            Ok(reply) => reply,
            // A transmitter that refuses `stream_id` in a PATCH body (it acts on its one
            // stream, which the caller has checked is this one).
            Err(err)
                if matches!(refused_status(&err), Some(400 | 422))
                    && refusal(&err).is_some_and(|r| r.full_body.contains("stream_id")) =>
            {
                self.change_stream_reply(&json!({"status": status}), false)
                    .await?
            }
            Err(err) => return Err(err),
        };
        let answer = change_answer(&reply, "updating the stream")?;
        let mut how = format!("by PATCH of the configuration, since {why}");
        if reason.is_some() {
            how.push_str(" (the reason is not sent that way)");
        }
        Ok((answer, Some(how)))
    }

    /// POST add or remove subject.
    pub async fn subject(&self, stream_id: &str, subject: &Value, add: bool) -> anyhow::Result<()> {
        let (url, what) = if add {
            (
                endpoint(
                    self.metadata.add_subject_endpoint.as_ref(),
                    "add_subject_endpoint",
                )?,
                "adding the subject",
            )
        } else {
            (
                endpoint(
                    self.metadata.remove_subject_endpoint.as_ref(),
                    "remove_subject_endpoint",
                )?,
                "removing the subject",
            )
        };
        let body = with_id(json!({"subject": subject}), stream_id);
        self.call(Method::POST, url, None, Some(&body), what)
            .await?;
        Ok(())
    }

    /// POST a verification request with `state`; returns the record id of its exchange.
    pub async fn request_verification(&self, stream_id: &str, state: &str) -> anyhow::Result<u64> {
        let url = endpoint(
            self.metadata.verification_endpoint.as_ref(),
            "verification_endpoint",
        )?;
        let body = with_id(json!({"state": state}), stream_id);
        self.call(
            Method::POST,
            url,
            None,
            Some(&body),
            "requesting verification",
        )
        .await
        .map(|reply| reply.exchange)
    }
}

#[cfg(test)]
mod tests {
    use super::Refused;

    fn refused(status: u16, body: &str) -> String {
        Refused {
            what: "removing the subject".to_owned(),
            status,
            body: body.to_owned(),
            full_body: body.to_owned(),
            exchange: 1,
        }
        .to_string()
    }

    #[test]
    fn a_404_is_said_as_the_transmitter_says_it_never_guessed() {
        // A subject not on the stream, a missing route: no "the stream may have been deleted".
        let said = refused(404, "Email not found in subject");
        assert_eq!(
            said,
            "removing the subject answered HTTP 404 Not Found: Email not found in subject"
        );
        let said = refused(404, "");
        assert!(
            said.contains("not found; the answer gives no reason"),
            "{said}"
        );
        assert!(!said.contains("deleted"), "{said}");
        // Where the status alone says what to do, it is said.
        assert!(refused(401, "").contains("check it"));
    }
}
