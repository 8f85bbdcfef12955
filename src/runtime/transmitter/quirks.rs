//! Quirks: ways real transmitters bend the SSF 1.0 spec, which the built-in transmitter can
//! reproduce so a receiver can be tested against them. None is set by default (spec behaviour);
//! the set can change while the transmitter runs (`POST {issuer}/control/quirks`).

use std::fmt;
use std::str::FromStr;

/// One deviation from the spec; its kebab-case name is the one `--quirk` and the control
/// endpoint take.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Quirk {
    /// One stream in all: a create replaces the existing stream, whoever made it.
    SingleStream,
    /// A create needs `aud`, refuses unknown members and unsupported event types (422).
    StrictCreate,
    /// Only the pre-2023 RISC delivery method URIs; the RFC URNs are refused (400).
    LegacyDelivery,
    /// Configurations without `stream_id` or `description`: one stream, read as an object,
    /// updated by POST (PATCH and PUT answer 405), reset by DELETE; calls without `stream_id`
    /// act on it (duo-labs/sharedsignals).
    ConfigWithoutId,
    /// The poll `endpoint_url` names a host that does not resolve (`https://ssf-transmitter.invalid`).
    WrongPollUrl,
    /// A poll without `returnImmediately: true` gets 404.
    NoLongPoll,
    /// Every poll is answered at once, even when empty.
    ImmediatePoll,
    /// Acknowledgements are read from `acks`, not `ack`, so acknowledged SETs come again.
    IgnoresAck,
    /// Error answers echo the request body and its Authorization header.
    EchoErrors,
    /// A deleted stream's status reads as disabled (reason `no_stream`) instead of 404.
    DeletedIsDisabled,
    /// PATCH on the configuration endpoint answers 501.
    NoPatch,
    /// Push `endpoint_url`s must be https (400 otherwise).
    PushHttpsOnly,
    /// The metadata leaves out the optional status, verification and subject endpoints
    /// (SSF 1.0 §7.1 makes them optional; push-only transmitters seen in the wild do).
    MinimalMetadata,
    /// `stream_id` is ignored by the configuration (read, update, delete), status and
    /// verification calls: each acts on the one stream there is, whatever it names (seen in
    /// solarssk/ssf-transmitter, whose `/streams/{id}` path forms alone check the id).
    IgnoresStreamId,
    /// A push create is answered only after a verification SET was pushed to the new stream;
    /// if that push fails the create answers 502 and the new stream is dropped, after a
    /// `single-stream` create already dropped the one before (solarssk/ssf-transmitter).
    VerifyOnCreate,
    /// The status endpoint only reads (POST answers 405); the status changes by PATCH of the
    /// configuration with a `status` member (solarssk/ssf-transmitter).
    StatusByPatch,
    /// Configurations carry `"stream_model": "single-stream"`, the transmitter's own word that
    /// it keeps one stream (solarssk/ssf-transmitter).
    StreamModel,
    /// The verification endpoint answers 404 `{"detail":"Not Found"}` (a route bug), while
    /// the stream is there and every other call finds it.
    VerifyNotFound,
    /// A create without `iss` is refused with 400 `{"error":"missing_fields: iss"}`.
    RequiresIss,
    /// SETs reported in `setErrs` are kept and delivered again, as if not answered for.
    IgnoresSetErrs,
    /// A poll answer carries every SET waiting, whatever `maxEvents` asks.
    IgnoresMaxEvents,
    /// A poll answer with no SET says `moreAvailable: true`.
    EmptyMoreAvailable,
    /// The metadata is served only at the SSE-era `/.well-known/sse-configuration` (SSE
    /// Framework ID1, 2021); the SSF §7.2 location answers 404 (transmitters not updated since
    /// the 2023 rename).
    LegacyWellKnown,
    /// The metadata's `issuer` ends with a `/` the issuer its URLs are built from does not
    /// have, so the SSF §7.2.4 exact match fails (a configuration slip: the issuer set in two
    /// places).
    IssuerSlash,
    /// The JWKS also lists a 1024-bit RSA key, under the 2048 bits RFC 7518 §3.3 requires
    /// (a key never rotated since it was made).
    ShortRsaKey,
    /// The JWKS lists a second key under the first key's `kid` (a rotation that reused its
    /// kid), so a SET's `kid` cannot say which key signed it.
    DuplicateKid,
}

impl Quirk {
    /// Every quirk, in the order they are listed.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// Its name (`--quirk NAME`, the control endpoint).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every name, in order.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|q| q.as_str()).collect()
    }

    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Quirk {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|q| q.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown quirk \"{s}\" (known: {})",
                    Self::names().join(", ")
                )
            })
    }
}

/// A set of quirks; empty (the default) is the spec behaviour.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Quirks(u32);

impl Quirks {
    /// No quirk.
    pub const NONE: Self = Self(0);

    /// Whether `quirk` is in the set.
    pub const fn has(self, quirk: Quirk) -> bool {
        self.0 & quirk.bit() != 0
    }

    /// Add `quirk`.
    pub fn insert(&mut self, quirk: Quirk) {
        self.0 |= quirk.bit();
    }

    /// Remove `quirk`.
    pub fn remove(&mut self, quirk: Quirk) {
        self.0 &= !quirk.bit();
    }

    /// True when no quirk is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The quirks in the set, in [`Quirk::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Quirk> {
        Quirk::ALL.iter().copied().filter(move |q| self.has(*q))
    }

    /// Their names, in order.
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Quirk::as_str).collect()
    }

    /// Parse a list of names; the first unknown one is the error.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        names.into_iter().map(str::parse).collect()
    }
}

impl FromIterator<Quirk> for Quirks {
    fn from_iter<I: IntoIterator<Item = Quirk>>(iter: I) -> Self {
        let mut set = Self::NONE;
        for quirk in iter {
            set.insert(quirk);
        }
        set
    }
}

impl<const N: usize> From<[Quirk; N]> for Quirks {
    fn from(quirks: [Quirk; N]) -> Self {
        quirks.into_iter().collect()
    }
}

impl fmt::Debug for Quirks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

impl fmt::Display for Quirks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&self.names().join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Quirk, Quirks};

    #[test]
    fn names_round_trip_and_unknown_names_list_the_known_ones() {
        for &quirk in Quirk::ALL {
            assert_eq!(quirk.as_str().parse::<Quirk>(), Ok(quirk));
        }
        let err = "sloppy".parse::<Quirk>().unwrap_err();
        assert!(err.contains("\"sloppy\""), "{err}");
        assert!(Quirk::names().iter().all(|n| err.contains(n)), "{err}");
    }

    #[test]
    fn names_are_pinned() {
        // Scripts and the control endpoint use these names: a rename must fail here.
        let names = Quirk::names();
        assert_eq!(names.len(), 26);
        assert_eq!(names.first(), Some(&"single-stream"));
        assert_eq!(names.last(), Some(&"duplicate-kid"));
        assert_eq!(Quirk::LegacyWellKnown.as_str(), "legacy-well-known");
        assert_eq!(Quirk::IssuerSlash.as_str(), "issuer-slash");
        assert_eq!(Quirk::ShortRsaKey.as_str(), "short-rsa-key");
        assert_eq!(Quirk::ConfigWithoutId.as_str(), "config-without-id");
        assert_eq!(Quirk::IgnoresSetErrs.as_str(), "ignores-set-errs");
        assert_eq!(Quirk::PushHttpsOnly.as_str(), "push-https-only");
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn a_set_keeps_the_listed_order_and_nothing_else() {
        let set = Quirks::parse(["no-patch", "single-stream", "no-patch"]).unwrap();
        assert_eq!(set.names(), ["single-stream", "no-patch"]);
        assert!(set.has(Quirk::NoPatch) && !set.has(Quirk::EchoErrors));
        assert_eq!(set.to_string(), "single-stream, no-patch");
        assert_eq!(Quirks::default().to_string(), "none");
        assert!(Quirks::parse(["no-patch", "nope"]).is_err());
    }
}
