//! Fuzz the whole path a received body takes: input splitting, JWS decoding, verification,
//! linting and record building. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::input::{self, InputSet};
use ssf_inspector::core::record::{StreamKey, Transport};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let arrival = || Arrival {
        stream: StreamKey("fuzz".to_owned()),
        transport: Transport::Push,
        received_at: UnixMillis(1_795_424_400_000),
    };
    let keys = KeySet::default();
    let policy = AlgorithmPolicy::default();
    let expect = Expectations::default();
    for item in input::split(&text) {
        match item.set {
            Ok(InputSet::Token(token)) => drop(ingest::inspect(token, arrival(), &keys, &policy, &expect)),
            Ok(InputSet::Claims(claims)) => drop(ingest::inspect_claims(claims, arrival(), &expect)),
            Err(_) => {}
        }
    }
    drop(ingest::inspect(text.into_owned(), arrival(), &keys, &policy, &expect));
});
