//! Byte-level mutations (bit flips, byte insert/delete/overwrite, range copy, dictionary words,
//! splice between corpus items) and the seeded generator they draw from. Structure-aware ones
//! are in `structure.rs`; [`Mutator::mutate`] stacks a few of either kind.

use crate::structure;

/// Longest input the fuzzer makes (the corpus file cap too).
pub const MAX_INPUT: usize = 64 * 1024;

/// xorshift64*: small, fast, and reproducible from the seed the run prints.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is moved off, xorshift's one bad state).
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// A random element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Words that mean something to the decoder, the linter or the poll reader.
pub const DICTIONARY: &[&str] = &[
    ".",
    "..",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "=",
    "==",
    "\n",
    "\r\n",
    "\t",
    " ",
    "null",
    "true",
    "false",
    "0",
    "-0",
    "1e999",
    "-1e999",
    "1.5",
    "18446744073709551616",
    "-9223372036854775809",
    "\"events\"",
    "\"sub_id\"",
    "\"iss\"",
    "\"aud\"",
    "\"jti\"",
    "\"iat\"",
    "\"exp\"",
    "\"sub\"",
    "\"txn\"",
    "\"toe\"",
    "\"format\"",
    "\"complex\"",
    "\"email\"",
    "\"opaque\"",
    "\"iss_sub\"",
    "\"aliases\"",
    "\"identifiers\"",
    "\"subject\"",
    "\"subject_type\"",
    "\"alg\"",
    "\"none\"",
    "\"ES256\"",
    "\"RS256\"",
    "\"HS256\"",
    "\"kid\"",
    "\"fuzz-k1\"",
    "\"typ\"",
    "\"secevent+jwt\"",
    "\"crit\"",
    "\"b64\"",
    "\"sets\"",
    "\"moreAvailable\"",
    "\"setErrs\"",
    "\"kind\":\"set\"",
    "\"raw\"",
    "eyJhbGciOiJub25lIn0",
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImZ1enotazEifQ",
    "e30",
    "W10",
    "https://schemas.openid.net/secevent/caep/event-type/session-revoked",
    "https://schemas.openid.net/secevent/ssf/event-type/stream-updated",
    "https://schemas.openid.net/secevent/ssf/event-type/verification",
    "https://schemas.openid.net/secevent/sse/event-type/stream-updated",
    "http://schemas.openid.net/secevent/risc/event-type/account-disabled",
    "https://transmitter.example.com/ssf",
    "https://receiver.example.com/",
    "\u{feff}",
    "\u{0}",
    "\u{ffff}",
    "é",
    "𝄞",
];

/// Bytes that split or end things.
const SPECIAL: &[u8] = b".\"{}[],:=\\\n\r\t \0\xff\x80-_+/";

/// Makes new inputs from corpus items.
pub struct Mutator {
    /// The generator (public so structure-aware mutations share it).
    pub rng: Rng,
}

impl Mutator {
    /// A mutator drawing from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::new(seed),
        }
    }

    /// A new input from `parent`: one to four stacked mutations, of bytes or of structure.
    pub fn mutate(&mut self, parent: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
        let mut data = parent.to_vec();
        let rounds = 1 + self.rng.below(4);
        for _ in 0..rounds {
            match self.rng.below(10) {
                0..=3 => self.bytes(&mut data),
                4 => self.splice(&mut data, corpus),
                5..=7 => structure::segment(self, &mut data),
                _ => structure::json(self, &mut data),
            }
        }
        data.truncate(MAX_INPUT);
        data
    }

    /// One byte-level change.
    pub fn bytes(&mut self, data: &mut Vec<u8>) {
        let len = data.len();
        match self.rng.below(8) {
            0 if len > 0 => {
                let i = self.rng.below(len);
                data[i] ^= 1 << self.rng.below(8);
            }
            1 if len > 0 => {
                let i = self.rng.below(len);
                data[i] = if self.rng.one_in(2) {
                    *self.rng.pick(SPECIAL)
                } else {
                    self.rng.next().to_le_bytes()[0]
                };
            }
            2 => {
                let at = self.rng.below(len + 1);
                let byte = *self.rng.pick(SPECIAL);
                data.insert(at, byte);
            }
            3 if len > 0 => {
                let at = self.rng.below(len);
                let n = 1 + self.rng.below((len - at).min(16));
                data.drain(at..at + n);
            }
            4 if len > 0 => {
                // Copy a range elsewhere (repeats grow structures: nesting, long strings).
                let from = self.rng.below(len);
                let n = 1 + self.rng.below((len - from).min(256));
                let chunk = data[from..from + n].to_vec();
                let at = self.rng.below(len + 1);
                let times = if self.rng.one_in(8) {
                    1 + self.rng.below(64)
                } else {
                    1
                };
                for _ in 0..times {
                    data.splice(at..at, chunk.iter().copied());
                }
            }
            5 if len > 0 => {
                let at = self.rng.below(len);
                data.truncate(at);
            }
            _ => {
                let at = self.rng.below(len + 1);
                let word = self.rng.pick(DICTIONARY).as_bytes();
                data.splice(at..at, word.iter().copied());
            }
        }
    }

    /// Head of this input, tail of another corpus item (or the reverse).
    fn splice(&mut self, data: &mut Vec<u8>, corpus: &[Vec<u8>]) {
        if corpus.is_empty() {
            return self.bytes(data);
        }
        let other = self.rng.pick(corpus);
        let cut = self.rng.below(data.len() + 1);
        let from = self.rng.below(other.len() + 1);
        if self.rng.one_in(2) {
            data.truncate(cut);
            data.extend_from_slice(&other[from..]);
        } else {
            let tail = data.split_off(cut);
            *data = other[..from].to_vec();
            data.extend_from_slice(&tail);
        }
    }
}
